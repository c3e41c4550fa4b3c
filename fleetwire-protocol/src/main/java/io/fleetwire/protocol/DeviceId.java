package io.fleetwire.protocol;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/** Identity of a device: a UUID assigned by the hub when the device is created or registered. */
public record DeviceId(UUID value) {

    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public DeviceId {
        Objects.requireNonNull(value, "value");
    }

    /** Parses the canonical UUID text; throws {@link IllegalArgumentException} naming the bad input. */
    public static DeviceId parse(String text) {
        if (text == null || !CANONICAL.matcher(text).matches()) {
            throw new IllegalArgumentException("not a device id: " + text);
        }
        try {
            return new DeviceId(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a device id: " + text);
        }
    }

    public static DeviceId random() {
        return new DeviceId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
