package io.fleetwire.hub.command;

import io.fleetwire.protocol.CommandId;
import io.fleetwire.protocol.CommandStatus;
import io.fleetwire.protocol.DeviceId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** SQL for {@code device_commands}. Every status change is guarded by the status it leaves. */
final class CommandRepository {

    private static final String RETURNING = " RETURNING " + Command.COLUMNS;

    private final Pool pool;

    CommandRepository(Pool pool) {
        this.pool = pool;
    }

    Pool pool() {
        return pool;
    }

    /**
     * One statement: locks the device row ({@code FOR KEY SHARE}: it cannot be deleted until the
     * transaction ends), inserts the command ({@code pending}) and writes its {@code command.created}
     * audit line. Empty when there is no such device (nothing written).
     */
    Future<Optional<Command>> create(SqlClient tx, CommandId id, DeviceId device, String type, JsonObject params,
                                     Instant expiresAt, String actor, JsonObject auditDetail) {
        return tx.preparedQuery("""
                        WITH d AS (SELECT id FROM devices WHERE id = $2 FOR KEY SHARE),
                        c AS (INSERT INTO device_commands (id, device_id, type, params, status, expires_at, created_by)
                              SELECT $1, d.id, $3, $4, 'pending', $5, $6 FROM d""" + RETURNING + """
                        ),
                        a AS (INSERT INTO audit_log (actor, action, device_id, command_id, detail)
                              SELECT $6, 'command.created', c.device_id, c.id, $7 FROM c)
                        SELECT\s""" + Command.COLUMNS + " FROM c")
                .execute(Tuple.of(id.value(), device.value(), type, params, expiresAt.atOffset(ZoneOffset.UTC), actor, auditDetail))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(one(rows)));
    }

    Future<Optional<Command>> find(SqlClient client, CommandId id) {
        return client.preparedQuery("SELECT " + Command.COLUMNS + " FROM device_commands WHERE id = $1")
                .execute(Tuple.of(id.value()))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(one(rows)));
    }

    /** Locks one command for a status change. */
    Future<Optional<Command>> lock(SqlClient tx, CommandId id) {
        return tx.preparedQuery("SELECT " + Command.COLUMNS + " FROM device_commands WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(id.value()))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(one(rows)));
    }

    /** A device's commands, newest first, optionally only some statuses; {@code beforeSeq} pages. */
    Future<List<Command>> list(DeviceId device, Set<CommandStatus> statuses, Long beforeSeq, int limit) {
        String[] names = statuses == null ? null : statuses.stream().map(CommandStatus::wireName).toArray(String[]::new);
        return pool.preparedQuery("SELECT " + Command.COLUMNS + """
                         FROM device_commands WHERE device_id = $1
                         AND ($2::text[] IS NULL OR status = ANY($2::text[])) AND ($3::bigint IS NULL OR seq < $3)
                         ORDER BY seq DESC LIMIT $4""")
                .execute(Tuple.from(Arrays.asList(device.value(), names, beforeSeq, limit)))
                .map(CommandRepository::all);
    }

    /** A device's open commands, oldest first, and whether it takes them one at a time. */
    record Open(List<Command> commands, boolean sequential) {
    }

    /**
     * The device's open commands (pending, sent, delivered), oldest first, locked, with the device's
     * ordering read in the same round trip. No open command: nothing to order, burst.
     */
    /** Which of these devices have a pending or sent command: the only ones a connect may send something to. */
    Future<Set<DeviceId>> sendable(SqlClient client, List<DeviceId> devices) {
        return client.preparedQuery("""
                        SELECT DISTINCT device_id FROM device_commands
                        WHERE device_id = ANY($1) AND status IN ('pending', 'sent')""")
                .execute(Tuple.of((Object) devices.stream().map(DeviceId::value).toArray(UUID[]::new)))
                .map(rows -> {
                    Set<DeviceId> out = new java.util.HashSet<>();
                    rows.forEach(r -> out.add(new DeviceId(r.getUUID(0))));
                    return out;
                });
    }

    Future<Open> lockOpen(SqlClient tx, DeviceId device) {
        return tx.preparedQuery("SELECT " + Command.COLUMNS + """
                         , (SELECT command_ordering FROM devices WHERE id = $1) AS ordering
                         FROM device_commands WHERE device_id = $1 AND status IN ('pending', 'sent', 'delivered')
                         ORDER BY seq FOR UPDATE""")
                .execute(Tuple.of(device.value()))
                .map(rows -> new Open(all(rows),
                        rows.size() > 0 && "sequential".equals(rows.iterator().next().getString("ordering"))));
    }

    /**
     * Marks commands sent (again): one more attempt, now; and writes their {@code command.sent} audit
     * lines (actor {@code hub}, in the commands' order) in the same statement. Returned oldest first.
     */
    Future<List<Command>> markSent(SqlClient tx, List<CommandId> ids, String via) {
        return tx.preparedQuery("""
                        WITH s AS (
                            UPDATE device_commands SET status = 'sent', attempts = attempts + 1,
                                   sent_at = coalesce(sent_at, now()), last_sent_at = clock_timestamp()
                            WHERE id = ANY($1) AND status IN ('pending', 'sent')""" + RETURNING + """
                        ),
                        a AS (INSERT INTO audit_log (actor, action, device_id, command_id, job_id, detail)
                              SELECT 'hub', 'command.sent', device_id, id, job_id,
                                     jsonb_build_object('attempt', attempts, 'via', $2::text)
                              FROM s ORDER BY seq)
                        SELECT\s""" + Command.COLUMNS + " FROM s ORDER BY seq")
                .execute(Tuple.of(ids.stream().map(CommandId::value).toArray(UUID[]::new), via))
                .map(CommandRepository::all);
    }

    Future<Command> markDelivered(SqlClient tx, CommandId id, String via) {
        return tx.preparedQuery("""
                        UPDATE device_commands SET status = 'delivered', delivered_at = now(), delivered_via = $2
                        WHERE id = $1 AND status = 'sent'""" + RETURNING)
                .execute(Tuple.of(id.value(), via))
                .map(CommandRepository::one);
    }

    Future<Command> markFinished(SqlClient tx, CommandId id, CommandStatus outcome, String outputJson, String error, String via) {
        return tx.preparedQuery("""
                        UPDATE device_commands SET status = $2, finished_at = now(), output = $3::text::jsonb, error = $4,
                               delivered_at = coalesce(delivered_at, now()), delivered_via = coalesce(delivered_via, $5)
                        WHERE id = $1 AND status IN ('sent', 'delivered')""" + RETURNING)
                .execute(Tuple.from(Arrays.asList(id.value(), outcome.wireName(), outputJson, error, via)))
                .map(CommandRepository::one);
    }

    Future<Command> markLateResult(SqlClient tx, CommandId id, JsonObject result) {
        return tx.preparedQuery("UPDATE device_commands SET late_result = $2 WHERE id = $1 AND late_result IS NULL" + RETURNING)
                .execute(Tuple.of(id.value(), result))
                .compose(rows -> rows.size() == 0 ? find(tx, id).map(Optional::orElseThrow) : Future.succeededFuture(one(rows)));
    }

    Future<Command> markCancelled(SqlClient tx, CommandId id, String actor) {
        return tx.preparedQuery("""
                        UPDATE device_commands SET status = 'cancelled', cancelled_at = now(), cancelled_by = $2
                        WHERE id = $1 AND status IN ('pending', 'sent')""" + RETURNING)
                .execute(Tuple.of(id.value(), actor))
                .map(CommandRepository::one);
    }

    /** A transition the hub made by itself, for the audit trail and the bus. */
    record Moved(CommandId id, DeviceId deviceId, UUID jobId, String type, CommandStatus from, CommandStatus to) {
    }

    /**
     * Expires what is overdue: pending commands at their expiry, sent ones {@code sentGrace} later
     * (an acknowledgement may be on its way). At most {@code max} per call; writes the audit lines.
     */
    Future<List<Moved>> expireDue(Duration sentGrace, int max) {
        return pool.preparedQuery("""
                        WITH due AS (
                            SELECT id, status FROM device_commands
                            WHERE (status = 'pending' AND expires_at <= now())
                               OR (status = 'sent' AND expires_at <= now() - make_interval(secs => $1))
                            ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED),
                        expired AS (
                            UPDATE device_commands c SET status = 'expired', expired_at = now() FROM due
                            WHERE c.id = due.id RETURNING c.id, c.device_id, c.job_id, c.type, due.status AS from_status),
                        audit AS (
                            INSERT INTO audit_log (actor, action, device_id, command_id, job_id, detail)
                            SELECT 'hub', 'command.expired', device_id, id, job_id, jsonb_build_object('from', from_status)
                            FROM expired)
                        SELECT id, device_id, job_id, type, from_status FROM expired""")
                .execute(Tuple.of((double) sentGrace.toMillis() / 1000.0, max))
                .map(rows -> {
                    List<Moved> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Moved(new CommandId(r.getUUID(0)), new DeviceId(r.getUUID(1)), r.getUUID(2),
                            r.getString(3), CommandStatus.fromWire(r.getString(4)), CommandStatus.EXPIRED)));
                    return out;
                });
    }

    /**
     * Fails delivered commands whose device reported no result within {@code timeout} of receiving
     * them, so nothing waits forever (and a sequential device's queue moves on). A result that
     * comes later is kept as the command's late result.
     */
    Future<List<Moved>> timeOutDelivered(Duration timeout, int max) {
        return pool.preparedQuery("""
                        WITH due AS (
                            SELECT id FROM device_commands
                            WHERE status = 'delivered' AND delivered_at <= now() - make_interval(secs => $1)
                            ORDER BY delivered_at LIMIT $2 FOR UPDATE SKIP LOCKED),
                        failed AS (
                            UPDATE device_commands c SET status = 'failed', finished_at = now(), timed_out_at = now(),
                                   error = 'no result from the device within ' || $3::bigint || ' s of delivery'
                            FROM due WHERE c.id = due.id RETURNING c.id, c.device_id, c.job_id, c.type),
                        audit AS (
                            INSERT INTO audit_log (actor, action, device_id, command_id, job_id, detail)
                            SELECT 'hub', 'command.failed', device_id, id, job_id, jsonb_build_object('reason', 'result timeout')
                            FROM failed)
                        SELECT id, device_id, job_id, type FROM failed""")
                .execute(Tuple.of((double) timeout.toSeconds(), max, timeout.toSeconds()))
                .map(rows -> {
                    List<Moved> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Moved(new CommandId(r.getUUID(0)), new DeviceId(r.getUUID(1)), r.getUUID(2),
                            r.getString(3), CommandStatus.DELIVERED, CommandStatus.FAILED)));
                    return out;
                });
    }

    /** Rollout: makes due pending commands sendable; the devices that now have one. */
    Future<Set<DeviceId>> releaseDue(int max) {
        return pool.preparedQuery("""
                        UPDATE device_commands SET not_before = NULL WHERE id IN (
                            SELECT id FROM device_commands WHERE status = 'pending' AND not_before <= now()
                            ORDER BY not_before LIMIT $1 FOR UPDATE SKIP LOCKED)
                        RETURNING device_id""")
                .execute(Tuple.of(max))
                .map(CommandRepository::devices);
    }

    /** Online devices holding a sent command not acknowledged for {@code timeout}. */
    Future<Set<DeviceId>> unacknowledged(Duration timeout, int max) {
        return pool.preparedQuery("""
                        SELECT DISTINCT c.device_id FROM device_commands c JOIN devices d ON d.id = c.device_id AND d.online
                        WHERE c.status = 'sent' AND c.last_sent_at <= now() - make_interval(secs => $1) LIMIT $2""")
                .execute(Tuple.of((double) timeout.toMillis() / 1000.0, max))
                .map(CommandRepository::devices);
    }

    /** Cancels the open, undelivered commands of a deleted device. */
    Future<List<Moved>> cancelAllOf(DeviceId device, String reason) {
        return pool.preparedQuery("""
                        WITH cancelled AS (
                            UPDATE device_commands SET status = 'cancelled', cancelled_at = now(), cancelled_by = 'hub'
                            WHERE device_id = $1 AND status IN ('pending', 'sent') RETURNING id, device_id, job_id, type),
                        audit AS (
                            INSERT INTO audit_log (actor, action, device_id, command_id, job_id, detail)
                            SELECT 'hub', 'command.cancelled', device_id, id, job_id, jsonb_build_object('reason', $2::text)
                            FROM cancelled)
                        SELECT id, device_id, job_id, type FROM cancelled""")
                .execute(Tuple.of(device.value(), reason))
                .map(rows -> {
                    List<Moved> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Moved(new CommandId(r.getUUID(0)), new DeviceId(r.getUUID(1)), r.getUUID(2),
                            r.getString(3), null, CommandStatus.CANCELLED)));
                    return out;
                });
    }

    private static Set<DeviceId> devices(RowSet<Row> rows) {
        Set<DeviceId> out = new LinkedHashSet<>();
        rows.forEach(r -> out.add(new DeviceId(r.getUUID(0))));
        return out;
    }

    private static Command one(RowSet<Row> rows) {
        if (rows.size() == 0) {
            throw new IllegalStateException("the command changed state concurrently");
        }
        return Command.from(rows.iterator().next());
    }

    private static List<Command> all(RowSet<Row> rows) {
        List<Command> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(Command.from(r)));
        return out;
    }
}
