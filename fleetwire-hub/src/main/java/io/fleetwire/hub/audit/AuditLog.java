package io.fleetwire.hub.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.Arrays;
import java.util.UUID;

/**
 * Who did what, to which device, command or job, and when: the {@code audit_log} table. Entries are
 * written in the same transaction as the change they describe, so the trail never disagrees with
 * the state.
 */
public final class AuditLog {

    /** The actor for changes the hub makes by itself (expiry, resends, job rules). */
    public static final String HUB = "hub";

    private final Pool pool;

    public AuditLog(Pool pool) {
        this.pool = pool;
    }

    /** The actor name of a device acting with its own token. */
    public static String device(io.fleetwire.protocol.DeviceId id) {
        return "device:" + id;
    }

    public Future<Void> record(SqlClient client, Entry entry) {
        return client.preparedQuery("""
                        INSERT INTO audit_log (actor, action, device_id, command_id, job_id, detail)
                        VALUES ($1, $2, $3, $4, $5, $6)""")
                .execute(Tuple.from(Arrays.asList(entry.actor(), entry.action(), entry.deviceId(), entry.commandId(),
                        entry.jobId(), entry.detail() == null ? new JsonObject() : entry.detail())))
                .mapEmpty();
    }

    /** One line of the trail. Null ids are absent. */
    public record Entry(String actor, String action, UUID deviceId, UUID commandId, UUID jobId, JsonObject detail) {
    }

    /** A filter of the trail; null fields match everything. */
    public record Query(UUID deviceId, UUID commandId, UUID jobId, String actor, String action, Long beforeId, int limit) {
    }

    /** Entries matching the query, newest first. */
    public Future<JsonArray> find(Query q) {
        return pool.preparedQuery("""
                        SELECT id, ts, actor, action, device_id, command_id, job_id, detail FROM audit_log
                        WHERE ($1::uuid IS NULL OR device_id = $1) AND ($2::uuid IS NULL OR command_id = $2)
                          AND ($3::uuid IS NULL OR job_id = $3) AND ($4::text IS NULL OR actor = $4)
                          AND ($5::text IS NULL OR action = $5) AND ($6::bigint IS NULL OR id < $6)
                        ORDER BY id DESC LIMIT $7""")
                .execute(Tuple.from(Arrays.asList(q.deviceId(), q.commandId(), q.jobId(), q.actor(), q.action(),
                        q.beforeId(), q.limit())))
                .map(rows -> {
                    JsonArray out = new JsonArray();
                    rows.forEach(r -> {
                        JsonObject o = new JsonObject()
                                .put("id", r.getLong("id"))
                                .put("ts", r.getOffsetDateTime("ts").toInstant().toString())
                                .put("actor", r.getString("actor"))
                                .put("action", r.getString("action"));
                        putId(o, "deviceId", r.getUUID("device_id"));
                        putId(o, "commandId", r.getUUID("command_id"));
                        putId(o, "jobId", r.getUUID("job_id"));
                        o.put("detail", r.getJsonObject("detail"));
                        out.add(o);
                    });
                    return out;
                });
    }

    private static void putId(JsonObject o, String field, UUID id) {
        if (id != null) {
            o.put(field, id.toString());
        }
    }
}
