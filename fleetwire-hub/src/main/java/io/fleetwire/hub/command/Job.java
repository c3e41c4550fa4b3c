package io.fleetwire.hub.command;

import io.fleetwire.protocol.CommandStatus;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A command for many devices, with how far it got: one count per command status. */
public record Job(UUID id, String type, JsonObject params, JsonObject target, int ttlSeconds, Integer rolloutPerMinute,
                  Double abortFailurePercent, Integer abortMinFinished, String status, String statusReason,
                  String createdBy, Instant createdAt, Instant endedAt, Map<CommandStatus, Long> counts) {

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public long count(CommandStatus s) {
        return counts.getOrDefault(s, 0L);
    }

    /** Commands not yet final. */
    public long open() {
        return count(CommandStatus.PENDING) + count(CommandStatus.SENT) + count(CommandStatus.DELIVERED);
    }

    public JsonObject toJson() {
        JsonObject counts = new JsonObject();
        for (CommandStatus s : CommandStatus.values()) {
            counts.put(s.wireName(), count(s));
        }
        JsonObject o = new JsonObject()
                .put("id", id.toString())
                .put("type", type)
                .put("params", params)
                .put("target", target)
                .put("ttlSeconds", ttlSeconds)
                .put("status", status)
                .put("total", total())
                .put("counts", counts)
                .put("createdBy", createdBy)
                .put("createdAt", createdAt.toString());
        if (rolloutPerMinute != null) {
            o.put("rollout", new JsonObject().put("perMinute", rolloutPerMinute));
        }
        if (abortFailurePercent != null) {
            o.put("abort", new JsonObject().put("failurePercent", abortFailurePercent).put("minFinished", abortMinFinished));
        }
        if (statusReason != null) {
            o.put("statusReason", statusReason);
        }
        if (endedAt != null) {
            o.put("endedAt", endedAt.toString());
        }
        return o;
    }
}
