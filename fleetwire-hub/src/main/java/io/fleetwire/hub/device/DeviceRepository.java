package io.fleetwire.hub.device;

import io.fleetwire.hub.api.ApiException;
import io.fleetwire.protocol.DeviceId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for the {@code devices} table. */
public final class DeviceRepository {

    private static final String COLUMNS = """
            d.id, d.name, d.hostname, d.labels, d.agent_id, d.agent_name, d.agent_version, d.capabilities,
            d.online, d.last_seen, d.created_at, d.command_ordering""";

    private final Pool pool;

    private final SqlClient authClient;

    public DeviceRepository(Pool pool) {
        this(pool, pool);
    }

    /**
     * {@code authClient} serves {@link #findByToken} alone, so upgrades never wait behind writes; pipelined,
     * so they do not wait behind each other either (see {@link io.fleetwire.hub.db.Database#authClient}).
     */
    public DeviceRepository(Pool pool, SqlClient authClient) {
        this.pool = pool;
        this.authClient = authClient;
    }

    /**
     * Identity behind a device token, with the device's own settings overrides (none: empty, version 1)
     * and the settings version it last reported applied (null: never).
     */
    public record Credentials(DeviceId id, String agentId, JsonObject settingsOverrides, long settingsVersion,
                              Long appliedVersion) {
    }

    public Future<Void> insert(SqlClient client, DeviceId id, String name, String hostname, JsonObject labels,
                               byte[] tokenHash, String agentId, UUID enrollmentId, JsonObject capabilities) {
        return client.preparedQuery("""
                        INSERT INTO devices (id, name, hostname, labels, token_hash, agent_id, enrollment_token_id, capabilities)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""")
                .execute(Tuple.from(java.util.Arrays.asList(id.value(), name, (hostname), labels,
                        io.vertx.core.buffer.Buffer.buffer(tokenHash), (agentId), (enrollmentId), capabilities)))
                .<Void>mapEmpty()
                .recover(e -> Future.failedFuture(isUnique(e, "devices_name_key")
                        ? new ApiException.Conflict("a device named '" + name + "' already exists") : e));
    }

    public Future<Optional<Credentials>> findByToken(byte[] tokenHash) {
        return authClient.preparedQuery("""
                        SELECT d.id, d.agent_id, s.overrides, s.version, d.settings_applied_version FROM devices d
                        LEFT JOIN device_settings s ON s.device_id = d.id WHERE d.token_hash = $1""")
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(tokenHash)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row r = rows.iterator().next();
                    Object overrides = r.getValue(2);
                    return Optional.of(new Credentials(new DeviceId(r.getUUID(0)), r.getString(1),
                            overrides instanceof JsonObject o ? o : new JsonObject(),
                            r.getLong(3) == null ? 1 : r.getLong(3), r.getLong(4)));
                });
    }

    public Future<Optional<Device>> find(DeviceId id) {
        // The newest numbers come from the device's newest telemetry row (its primary key finds it, newest
        // partition first); the newest full sample from device_latest, which is kept less often (V6).
        return pool.preparedQuery("SELECT " + COLUMNS + """
                        , t.ts AS t_ts, t.seq AS t_seq, s.names AS t_names, t.vals AS t_vals,
                          l.ts AS l_ts, l.seq AS l_seq, l.state AS l_state
                        FROM devices d
                        LEFT JOIN LATERAL (SELECT ts, seq, set_id, vals FROM telemetry WHERE device_id = d.id
                                           ORDER BY ts DESC, seq DESC, idx DESC LIMIT 1) t ON true
                        LEFT JOIN metric_sets s ON s.id = t.set_id
                        LEFT JOIN device_latest l ON l.device_id = d.id
                        WHERE d.id = $1""")
                .execute(Tuple.of(id.value()))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next(), true)));
    }

    /** A page ordered by creation; {@code after} is the previous page's last (createdAt, id). */
    public Future<List<Device>> list(int limit, Instant afterCreated, UUID afterId, Boolean online) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM devices d"
                        + " WHERE ($2::timestamptz IS NULL OR (d.created_at, d.id) > ($2::timestamptz, $3::uuid))"
                        + " AND ($4::boolean IS NULL OR d.online = $4::boolean)"
                        + " ORDER BY d.created_at, d.id LIMIT $1")
                .execute(Tuple.from(java.util.Arrays.asList(limit, (afterCreated == null ? null : afterCreated.atOffset(ZoneOffset.UTC)),
                        (afterId), (online))))
                .map(rows -> {
                    List<Device> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r, false)));
                    return out;
                });
    }

    public Future<Boolean> delete(SqlClient client, DeviceId id) {
        return client.preparedQuery("DELETE FROM devices WHERE id = $1").execute(Tuple.of(id.value()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The device an enrollment token already registered for this hostname, if any. */
    public Future<Optional<DeviceId>> findEnrolled(SqlClient client, UUID enrollmentId, String hostname) {
        return client.preparedQuery("SELECT id FROM devices WHERE enrollment_token_id = $1 AND hostname = $2 FOR UPDATE")
                .execute(Tuple.of(enrollmentId, hostname))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(new DeviceId(rows.iterator().next().getUUID(0))));
    }

    public Future<Boolean> nameTaken(SqlClient client, String name) {
        return client.preparedQuery("SELECT 1 FROM devices WHERE name = $1").execute(Tuple.of(name))
                .map(rows -> rows.size() > 0);
    }

    /** Re-registration: a new token (the old one stops working) and fresh capabilities. */
    public Future<Void> reRegister(SqlClient client, DeviceId id, byte[] tokenHash, String agentId, JsonObject capabilities) {
        return client.preparedQuery("UPDATE devices SET token_hash = $2, agent_id = COALESCE($3, agent_id), capabilities = $4 WHERE id = $1")
                .execute(Tuple.of(id.value(), io.vertx.core.buffer.Buffer.buffer(tokenHash), agentId, capabilities))
                .mapEmpty();
    }

    /** Changes what an operator may change; null leaves a field as it is. False when there is no such device. */
    public Future<Boolean> update(DeviceId id, JsonObject labels, String commandOrdering) {
        return pool.preparedQuery("""
                        UPDATE devices SET labels = COALESCE($2, labels), command_ordering = COALESCE($3, command_ordering)
                        WHERE id = $1""")
                .execute(Tuple.from(java.util.Arrays.asList(id.value(), labels, commandOrdering)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** A device's presence after a batch of transitions: its last state, and the newest time it was seen. */
    public record Presence(DeviceId id, boolean online, Instant seen) {
    }

    /** Writes many devices' presence in one statement; the transaction has locked them ({@link #lockInIdOrder}). */
    public Future<Void> setPresence(SqlClient client, List<Presence> presence) {
        if (presence.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Presence> sorted = new ArrayList<>(presence);
        sorted.sort(java.util.Comparator.comparing(p -> p.id().value()));
        UUID[] ids = new UUID[sorted.size()];
        Boolean[] online = new Boolean[sorted.size()];
        OffsetDateTime[] seen = new OffsetDateTime[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            ids[i] = sorted.get(i).id().value();
            online[i] = sorted.get(i).online();
            seen[i] = sorted.get(i).seen().atOffset(ZoneOffset.UTC);
        }
        return client.preparedQuery("""
                        UPDATE devices d SET online = u.online, last_seen = GREATEST(d.last_seen, u.seen)
                        FROM unnest($1::uuid[], $2::bool[], $3::timestamptz[]) AS u(id, online, seen) WHERE d.id = u.id""")
                .execute(Tuple.of(ids, online, seen))
                .mapEmpty();
    }

    /**
     * What agents said in their hellos, one per device; a row is only written when something changed.
     * The transaction has locked them ({@link #lockInIdOrder}).
     */
    public Future<Void> updateAgents(SqlClient client, List<AgentInfo> agents) {
        if (agents.isEmpty()) {
            return Future.succeededFuture();
        }
        List<AgentInfo> sorted = new ArrayList<>(agents);
        sorted.sort(java.util.Comparator.comparing(a -> a.id().value()));
        UUID[] ids = new UUID[sorted.size()];
        String[] names = new String[sorted.size()];
        String[] versions = new String[sorted.size()];
        String[] capabilities = new String[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            AgentInfo a = sorted.get(i);
            ids[i] = a.id().value();
            names[i] = a.name();
            versions[i] = a.version();
            capabilities[i] = a.capabilities().encode();
        }
        return client.preparedQuery("""
                        UPDATE devices d SET agent_name = u.name, agent_version = u.version,
                               capabilities = CASE WHEN u.caps::jsonb = '{}'::jsonb THEN d.capabilities ELSE u.caps::jsonb END
                        FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS u(id, name, version, caps)
                        WHERE d.id = u.id AND (d.agent_name, d.agent_version, d.capabilities) IS DISTINCT FROM
                              (u.name, u.version, CASE WHEN u.caps::jsonb = '{}'::jsonb THEN d.capabilities ELSE u.caps::jsonb END)""")
                .execute(Tuple.of(ids, names, versions, capabilities))
                .mapEmpty();
    }

    /** What an agent says about itself in its hello; empty capabilities leave the stored ones. */
    public record AgentInfo(DeviceId id, String name, String version, JsonObject capabilities) {
    }

    /**
     * Locks these devices' rows in id order. Every transaction that updates many devices' rows (a
     * presence batch: flags, then hellos; a batch of applied-settings reports) calls this first, so all
     * its row locks are taken in one ordered pass and batches running side by side wait for each other
     * instead of deadlocking (a deadlock costs PostgreSQL's 1 s {@code deadlock_timeout} and a retry,
     * which made connect storms crawl). An UPDATE … FROM unnest(…) alone locks in plan order.
     */
    public static Future<Void> lockInIdOrder(SqlClient client, java.util.Collection<DeviceId> ids) {
        if (ids.isEmpty()) {
            return Future.succeededFuture();
        }
        UUID[] array = ids.stream().map(DeviceId::value).distinct().toArray(UUID[]::new);
        return client.preparedQuery("SELECT id FROM devices WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE")
                .execute(Tuple.of((Object) array))
                .mapEmpty();
    }

    /** Marks every device offline (at start: no socket survives a restart); returns the ids changed. */
    public Future<List<DeviceId>> markAllOffline(SqlClient client) {
        return client.query("UPDATE devices SET online = false WHERE online RETURNING id").execute()
                .map(rows -> {
                    List<DeviceId> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new DeviceId(r.getUUID(0))));
                    return out;
                });
    }

    /**
     * Writes the in-memory last-seen times of connected devices. Rows another transaction holds (a
     * presence batch) are skipped, not waited for: the next sweep writes them.
     */
    public Future<Void> touch(List<DeviceId> ids, List<Instant> seen) {
        if (ids.isEmpty()) {
            return Future.succeededFuture();
        }
        UUID[] idArray = ids.stream().map(DeviceId::value).toArray(UUID[]::new);
        OffsetDateTime[] seenArray = seen.stream().map(i -> i.atOffset(ZoneOffset.UTC)).toArray(OffsetDateTime[]::new);
        return pool.preparedQuery("""
                        WITH u AS (SELECT * FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, seen)),
                             l AS (SELECT id FROM devices WHERE id IN (SELECT id FROM u) ORDER BY id FOR NO KEY UPDATE SKIP LOCKED)
                        UPDATE devices d SET last_seen = GREATEST(d.last_seen, u.seen)
                        FROM u WHERE d.id = u.id AND d.id IN (SELECT id FROM l)""")
                .execute(Tuple.of((Object) idArray, (Object) seenArray))
                .mapEmpty();
    }

    private static Device map(Row r, boolean withLatest) {
        JsonObject latest = withLatest ? latest(r) : null;
        OffsetDateTime lastSeen = r.getOffsetDateTime("last_seen");
        return new Device(new DeviceId(r.getUUID("id")), r.getString("name"), r.getString("hostname"),
                r.getJsonObject("labels"), r.getString("agent_id"), r.getString("agent_name"),
                r.getString("agent_version"), r.getJsonObject("capabilities"), r.getBoolean("online"),
                lastSeen == null ? null : lastSeen.toInstant(), r.getOffsetDateTime("created_at").toInstant(),
                r.getString("command_ordering"), latest);
    }

    /**
     * {@code latest}: time, seq and numbers of the newest stored sample, and the newest full sample
     * kept ({@code state}, which may be older: it is rewritten at most every
     * {@code FLEETWIRE_LATEST_STATE_SECONDS}). Null when the device has neither.
     */
    private static JsonObject latest(Row r) {
        boolean rows = r.getValue("t_ts") != null;
        if (!rows && r.getValue("l_ts") == null) {
            return null;
        }
        JsonObject metrics = new JsonObject();
        if (rows) {
            String[] names = r.getArrayOfStrings("t_names");
            Double[] vals = r.getArrayOfDoubles("t_vals");
            for (int i = 0; i < names.length; i++) {
                metrics.put(names[i], vals[i]);
            }
        }
        String prefix = rows ? "t_" : "l_";
        return new JsonObject()
                .put("ts", r.getOffsetDateTime(prefix + "ts").toInstant().toString())
                .put("seq", r.getLong(prefix + "seq"))
                .put("metrics", metrics)
                .put("state", r.getJsonObject("l_state"));
    }

    static boolean isUnique(Throwable e, String constraint) {
        return e instanceof PgException pg && "23505".equals(pg.getSqlState())
                && (constraint == null || String.valueOf(pg.getConstraint()).equals(constraint)
                || String.valueOf(pg.getErrorMessage()).contains(constraint));
    }
}
