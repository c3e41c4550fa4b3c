package io.fleetwire.hub.device;

import io.fleetwire.protocol.DeviceId;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/** A device as stored, with its newest telemetry when it has any. */
public record Device(
        DeviceId id,
        String name,
        String hostname,
        JsonObject labels,
        String agentId,
        String agentName,
        String agentVersion,
        JsonObject capabilities,
        boolean online,
        Instant lastSeen,
        Instant createdAt,
        String commandOrdering,
        JsonObject latest) {

    /** The API's view; {@code online} and {@code lastSeen} may be overridden by live presence. */
    public JsonObject toJson(boolean onlineNow, Instant lastSeenNow) {
        JsonObject o = new JsonObject()
                .put("id", id.toString())
                .put("name", name)
                .put("hostname", hostname)
                .put("labels", labels)
                .put("online", onlineNow)
                .put("lastSeen", lastSeenNow == null ? null : lastSeenNow.toString())
                .put("createdAt", createdAt.toString())
                .put("commandOrdering", commandOrdering);
        if (agentId != null) {
            o.put("agentId", agentId);
        }
        if (agentName != null) {
            o.put("agent", new JsonObject().put("name", agentName).put("version", agentVersion));
        }
        o.put("capabilities", capabilities);
        if (latest != null) {
            o.put("latest", latest);
        }
        return o;
    }
}
