package io.fleetwire.hub.command;

import io.fleetwire.protocol.CommandStatus;
import io.fleetwire.protocol.DeviceId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL for {@code command_jobs} and the device commands they own. */
final class JobRepository {

    private static final String COLUMNS = """
            id, type, params, target, ttl_seconds, rollout_per_minute, abort_failure_pct, abort_min_finished,
            status, status_reason, created_by, created_at, ended_at""";

    private final Pool pool;

    JobRepository(Pool pool) {
        this.pool = pool;
    }

    Pool pool() {
        return pool;
    }

    /** Which devices a target names: exactly one of ids, labels (all must match) or hostnames. */
    record Target(List<UUID> deviceIds, JsonObject labels, List<String> hostnames) {
        JsonObject toJson() {
            if (deviceIds != null) {
                return new JsonObject().put("deviceIds", new io.vertx.core.json.JsonArray(deviceIds.stream().map(UUID::toString).toList()));
            }
            if (labels != null) {
                return new JsonObject().put("labels", labels);
            }
            return new JsonObject().put("hostnames", new io.vertx.core.json.JsonArray(hostnames));
        }
    }

    /** The ids among {@code ids} that name no device. */
    Future<List<UUID>> missing(SqlClient client, List<UUID> ids) {
        return client.preparedQuery("SELECT x FROM unnest($1::uuid[]) x WHERE NOT EXISTS (SELECT 1 FROM devices d WHERE d.id = x)")
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(rows -> {
                    List<UUID> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getUUID(0)));
                    return out;
                });
    }

    Future<Void> insertJob(SqlClient tx, UUID id, String type, JsonObject params, Target target, int ttl,
                           Integer rollout, Double abortPct, Integer abortMin, String actor) {
        return tx.preparedQuery("""
                        INSERT INTO command_jobs (id, type, params, target, ttl_seconds, rollout_per_minute,
                                                  abort_failure_pct, abort_min_finished, created_by)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""")
                .execute(Tuple.from(Arrays.asList(id, type, params, target.toJson(), ttl, rollout, abortPct, abortMin, actor)))
                .mapEmpty();
    }

    /** A new device command per targeted device; returns the devices whose command may go at once. */
    Future<Created> insertCommands(SqlClient tx, UUID job, String type, JsonObject params, Target target, int ttl,
                                   Integer rollout, String actor) {
        String[] hostnames = target.hostnames() == null ? null : target.hostnames().toArray(String[]::new);
        UUID[] ids = target.deviceIds() == null ? null : target.deviceIds().toArray(UUID[]::new);
        return tx.preparedQuery("""
                        WITH targets AS (
                            SELECT id, row_number() OVER (ORDER BY created_at, id) - 1 AS n FROM devices
                            WHERE ($1::uuid[] IS NULL OR id = ANY($1::uuid[]))
                              AND ($2::jsonb IS NULL OR labels @> $2::jsonb)
                              AND ($3::text[] IS NULL OR hostname = ANY($3::text[]))),
                        slots AS (
                            SELECT id, CASE WHEN $7::int IS NULL THEN NULL
                                            ELSE now() + make_interval(secs => n * 60.0 / $7::int) END AS not_before
                            FROM targets),
                        ins AS (
                            INSERT INTO device_commands (id, device_id, job_id, type, params, status, expires_at, not_before, created_by)
                            SELECT gen_random_uuid(), s.id, $4, $5, $6, 'pending',
                                   coalesce(s.not_before, now()) + make_interval(secs => $8), s.not_before, $9
                            FROM slots s ORDER BY s.not_before NULLS FIRST, s.id
                            RETURNING id, device_id, not_before),
                        audit AS (
                            INSERT INTO audit_log (actor, action, device_id, command_id, job_id, detail)
                            SELECT $9, 'command.created', device_id, id, $4, jsonb_build_object('type', $5::text) FROM ins)
                        SELECT device_id, not_before IS NULL FROM ins""")
                .execute(Tuple.from(Arrays.asList(ids, target.labels(), hostnames, job, type, params, rollout, (double) ttl, actor)))
                .map(rows -> {
                    List<DeviceId> now = new ArrayList<>();
                    int[] total = {0};
                    rows.forEach(r -> {
                        total[0]++;
                        if (r.getBoolean(1)) {
                            now.add(new DeviceId(r.getUUID(0)));
                        }
                    });
                    return new Created(total[0], now);
                });
    }

    record Created(int total, List<DeviceId> sendNow) {
    }

    Future<Optional<Job>> find(SqlClient client, UUID id) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM command_jobs WHERE id = $1").execute(Tuple.of(id))
                .compose(rows -> rows.size() == 0 ? Future.succeededFuture(Optional.<Job>empty())
                        : counts(client, List.of(id)).map(c -> Optional.of(map(rows.iterator().next(), c.getOrDefault(id, Map.of())))));
    }

    Future<List<Job>> list(int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM command_jobs ORDER BY created_at DESC, id DESC LIMIT $1")
                .execute(Tuple.of(limit))
                .compose(rows -> {
                    List<Row> list = new ArrayList<>();
                    rows.forEach(list::add);
                    return counts(pool, list.stream().map(r -> r.getUUID("id")).toList())
                            .map(c -> list.stream().map(r -> map(r, c.getOrDefault(r.getUUID("id"), Map.of()))).toList());
                });
    }

    private Future<Map<UUID, Map<CommandStatus, Long>>> counts(SqlClient client, List<UUID> jobs) {
        return client.preparedQuery("SELECT job_id, status, count(*) FROM device_commands WHERE job_id = ANY($1) GROUP BY job_id, status")
                .execute(Tuple.of(jobs.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, Map<CommandStatus, Long>> out = new HashMap<>();
                    rows.forEach(r -> out.computeIfAbsent(r.getUUID(0), k -> new EnumMap<>(CommandStatus.class))
                            .put(CommandStatus.fromWire(r.getString(1)), r.getLong(2)));
                    return out;
                });
    }

    /** Ends an in-progress job; false when it had already ended. */
    Future<Boolean> end(SqlClient tx, UUID id, String status, String reason) {
        return tx.preparedQuery("""
                        UPDATE command_jobs SET status = $2, status_reason = $3, ended_at = now()
                        WHERE id = $1 AND status = 'in_progress'""")
                .execute(Tuple.of(id, status, reason))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Cancels a job's undelivered commands, with their audit lines; returns them as they were. */
    Future<List<CommandRepository.Moved>> cancelOpen(SqlClient tx, UUID job, String actor, String reason) {
        return tx.preparedQuery("""
                        WITH open AS (
                            SELECT id, status FROM device_commands WHERE job_id = $1 AND status IN ('pending', 'sent') FOR UPDATE),
                        cancelled AS (
                            UPDATE device_commands c SET status = 'cancelled', cancelled_at = now(), cancelled_by = $2
                            FROM open WHERE c.id = open.id RETURNING c.id, c.device_id, c.type, open.status AS from_status),
                        audit AS (
                            INSERT INTO audit_log (actor, action, device_id, command_id, job_id, detail)
                            SELECT $2, 'command.cancelled', device_id, id, $1, jsonb_build_object('from', from_status, 'reason', $3::text)
                            FROM cancelled)
                        SELECT id, device_id, type, from_status FROM cancelled""")
                .execute(Tuple.of(job, actor, reason))
                .map(rows -> {
                    List<CommandRepository.Moved> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new CommandRepository.Moved(new io.fleetwire.protocol.CommandId(r.getUUID(0)), new DeviceId(r.getUUID(1)), job,
                            r.getString(2), CommandStatus.fromWire(r.getString(3)), CommandStatus.CANCELLED)));
                    return out;
                });
    }

    private static Job map(Row r, Map<CommandStatus, Long> counts) {
        Number pct = (Number) r.getValue("abort_failure_pct");
        return new Job(r.getUUID("id"), r.getString("type"), (JsonObject) r.getValue("params"),
                (JsonObject) r.getValue("target"), r.getInteger("ttl_seconds"), r.getInteger("rollout_per_minute"),
                pct == null ? null : pct.doubleValue(), r.getInteger("abort_min_finished"), r.getString("status"),
                r.getString("status_reason"), r.getString("created_by"),
                r.getOffsetDateTime("created_at").toInstant(),
                r.getOffsetDateTime("ended_at") == null ? null : r.getOffsetDateTime("ended_at").withOffsetSameInstant(ZoneOffset.UTC).toInstant(),
                counts);
    }
}
