package io.fleetwire.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetwire.protocol.CommandId;

import java.time.Instant;
import java.util.Objects;

/**
 * A command the hub asked this device to run, with params already checked against its type's schema.
 *
 * @param id        the command's id; a handler is called at most once per id
 * @param name      the command type, e.g. {@code lock} or {@code set_fan_speed}
 * @param params    the params (never null; may be empty)
 * @param expiresAt when the hub stops waiting for it (hub time)
 */
public record CommandRequest(CommandId id, String name, ObjectNode params, Instant expiresAt) {
    public CommandRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
