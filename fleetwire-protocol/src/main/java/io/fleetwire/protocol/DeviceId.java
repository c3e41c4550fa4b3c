package io.fleetwire.protocol;

import java.util.Objects;
import java.util.UUID;

/** Identity of a device: a UUID assigned by the hub when the device is created or registered. */
public record DeviceId(UUID value) {

    public DeviceId {
        Objects.requireNonNull(value, "value");
    }

    /** Parses the canonical UUID text; throws {@link IllegalArgumentException} naming the bad input. */
    public static DeviceId parse(String text) {
        if (text == null || text.length() != 36) {
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
