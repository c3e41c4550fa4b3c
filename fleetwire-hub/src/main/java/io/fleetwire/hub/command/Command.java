package io.fleetwire.hub.command;

import io.fleetwire.protocol.CommandId;
import io.fleetwire.protocol.CommandStatus;
import io.fleetwire.protocol.DeviceId;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A command for one device, as stored in {@code device_commands}. */
public record Command(
        CommandId id,
        long seq,
        DeviceId deviceId,
        UUID jobId,
        String type,
        JsonObject params,
        CommandStatus status,
        Instant expiresAt,
        Instant notBefore,
        int attempts,
        String createdBy,
        Instant createdAt,
        Instant sentAt,
        Instant lastSentAt,
        Instant deliveredAt,
        String deliveredVia,
        Instant finishedAt,
        Instant expiredAt,
        Instant cancelledAt,
        String cancelledBy,
        Instant timedOutAt,
        Object output,
        String error,
        JsonObject lateResult) {

    static final String COLUMNS = """
            id, seq, device_id, job_id, type, params, status, expires_at, not_before, attempts, created_by, created_at,
            sent_at, last_sent_at, delivered_at, delivered_via, finished_at, expired_at, cancelled_at, cancelled_by, timed_out_at,
            output, error, late_result\s""";

    static Command from(Row r) {
        return new Command(
                new CommandId(r.getUUID("id")),
                r.getLong("seq"),
                new DeviceId(r.getUUID("device_id")),
                r.getUUID("job_id"),
                r.getString("type"),
                (JsonObject) r.getValue("params"),
                CommandStatus.fromWire(r.getString("status")),
                instant(r.getOffsetDateTime("expires_at")),
                instant(r.getOffsetDateTime("not_before")),
                r.getInteger("attempts"),
                r.getString("created_by"),
                instant(r.getOffsetDateTime("created_at")),
                instant(r.getOffsetDateTime("sent_at")),
                instant(r.getOffsetDateTime("last_sent_at")),
                instant(r.getOffsetDateTime("delivered_at")),
                r.getString("delivered_via"),
                instant(r.getOffsetDateTime("finished_at")),
                instant(r.getOffsetDateTime("expired_at")),
                instant(r.getOffsetDateTime("cancelled_at")),
                r.getString("cancelled_by"),
                instant(r.getOffsetDateTime("timed_out_at")),
                r.getValue("output"),
                r.getString("error"),
                (JsonObject) r.getValue("late_result"));
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    /** The API's view. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject()
                .put("id", id.toString())
                .put("deviceId", deviceId.toString())
                .put("type", type)
                .put("params", params)
                .put("status", status.wireName())
                .put("attempts", attempts)
                .put("createdBy", createdBy)
                .put("createdAt", createdAt.toString())
                .put("expiresAt", expiresAt.toString());
        if (jobId != null) {
            o.put("jobId", jobId.toString());
        }
        put(o, "notBefore", notBefore);
        put(o, "sentAt", sentAt);
        put(o, "lastSentAt", lastSentAt);
        put(o, "deliveredAt", deliveredAt);
        if (deliveredVia != null) {
            o.put("deliveredVia", deliveredVia);
        }
        put(o, "finishedAt", finishedAt);
        put(o, "expiredAt", expiredAt);
        put(o, "cancelledAt", cancelledAt);
        if (cancelledBy != null) {
            o.put("cancelledBy", cancelledBy);
        }
        put(o, "timedOutAt", timedOutAt);
        if (status.isFinal() && finishedAt != null) {
            o.put("output", output);
            if (error != null) {
                o.put("error", error);
            }
        }
        if (lateResult != null) {
            o.put("lateResult", lateResult);
        }
        return o;
    }

    private static void put(JsonObject o, String field, Instant t) {
        if (t != null) {
            o.put(field, t.toString());
        }
    }
}
