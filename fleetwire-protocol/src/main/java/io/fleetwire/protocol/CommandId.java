package io.fleetwire.protocol;

import java.util.Objects;
import java.util.UUID;

/** Identity of a command: a UUID assigned by the hub when the command is created; devices de-duplicate by it. */
public record CommandId(UUID value) {

    public CommandId {
        Objects.requireNonNull(value, "value");
    }

    /** Parses the canonical UUID text; throws {@link IllegalArgumentException} naming the bad input. */
    public static CommandId parse(String text) {
        try {
            return new CommandId(DeviceId.parse(text).value());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a command id: " + text);
        }
    }

    public static CommandId random() {
        return new CommandId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
