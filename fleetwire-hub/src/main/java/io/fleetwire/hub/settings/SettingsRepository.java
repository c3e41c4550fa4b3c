package io.fleetwire.hub.settings;

import io.fleetwire.protocol.DeviceId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL for {@code fleet_settings}, {@code device_settings} and the applied version on {@code devices}. */
final class SettingsRepository {

    /** One row of overrides. {@code updatedAt}/{@code updatedBy} are null when nothing was ever set. */
    record Overrides(JsonObject values, long version, Instant updatedAt, String updatedBy) {
        static final Overrides NONE = new Overrides(new JsonObject(), 1, null, null);
    }

    /** What a device last reported as applied; both null when it never reported. */
    record Applied(Long version, Instant at) {
    }

    Future<Overrides> fleet(SqlClient client) {
        return client.query("SELECT overrides, version, updated_at, updated_by FROM fleet_settings").execute()
                .map(SettingsRepository::first);
    }

    Future<Overrides> device(SqlClient client, DeviceId id) {
        return client.preparedQuery("SELECT overrides, version, updated_at, updated_by FROM device_settings WHERE device_id = $1")
                .execute(Tuple.of(id.value()))
                .map(SettingsRepository::first);
    }

    /** Overrides of each listed device that has any. */
    Future<Map<DeviceId, Overrides>> devices(SqlClient client, List<DeviceId> ids) {
        UUID[] array = ids.stream().map(DeviceId::value).toArray(UUID[]::new);
        return client.preparedQuery("""
                        SELECT device_id, overrides, version, updated_at, updated_by FROM device_settings
                        WHERE device_id = ANY($1)""")
                .execute(Tuple.of((Object) array))
                .map(rows -> {
                    Map<DeviceId, Overrides> out = new HashMap<>();
                    rows.forEach(r -> out.put(new DeviceId(r.getUUID("device_id")), map(r)));
                    return out;
                });
    }

    /**
     * Sets ({@code set}) and removes ({@code remove}) fleet overrides; a new version only when the
     * overrides change. Returns the row after the change.
     */
    Future<Overrides> saveFleet(SqlClient tx, JsonObject set, List<String> remove, String actor) {
        return tx.preparedQuery("""
                        INSERT INTO fleet_settings (overrides, version, updated_by)
                        VALUES ($1::jsonb - $2::text[], nextval('settings_version'), $3)
                        ON CONFLICT (singleton) DO UPDATE
                            SET overrides = (fleet_settings.overrides || $1::jsonb) - $2::text[],
                                version = nextval('settings_version'), updated_at = now(), updated_by = $3
                            WHERE (fleet_settings.overrides || $1::jsonb) - $2::text[] IS DISTINCT FROM fleet_settings.overrides
                        RETURNING overrides, version, updated_at, updated_by""")
                .execute(Tuple.of(set, remove.toArray(String[]::new), actor))
                .compose(rows -> rows.size() > 0 ? Future.succeededFuture(first(rows)) : fleet(tx));
    }

    /** As {@link #saveFleet}, for one device; fails with a FK violation when the device does not exist. */
    Future<Overrides> saveDevice(SqlClient tx, DeviceId id, JsonObject set, List<String> remove, String actor) {
        return tx.preparedQuery("""
                        INSERT INTO device_settings (device_id, overrides, version, updated_by)
                        VALUES ($1, $2::jsonb - $3::text[], nextval('settings_version'), $4)
                        ON CONFLICT (device_id) DO UPDATE
                            SET overrides = (device_settings.overrides || $2::jsonb) - $3::text[],
                                version = nextval('settings_version'), updated_at = now(), updated_by = $4
                            WHERE (device_settings.overrides || $2::jsonb) - $3::text[] IS DISTINCT FROM device_settings.overrides
                        RETURNING overrides, version, updated_at, updated_by""")
                .execute(Tuple.of(id.value(), set, remove.toArray(String[]::new), actor))
                .compose(rows -> rows.size() > 0 ? Future.succeededFuture(first(rows)) : device(tx, id));
    }

    /** A device's report of the settings version it applied. */
    record AppliedReport(DeviceId device, long version) {
    }

    /**
     * Records many reports in one statement (a device's last report wins) and returns, per report in
     * order, the device's own overrides, or empty when the device is gone.
     */
    Future<List<Optional<Overrides>>> markApplied(SqlClient client, List<AppliedReport> reports) {
        Map<DeviceId, Long> last = new java.util.TreeMap<>(java.util.Comparator.comparing(DeviceId::value));
        reports.forEach(r -> last.put(r.device(), r.version()));
        UUID[] ids = last.keySet().stream().map(DeviceId::value).toArray(UUID[]::new);
        Long[] versions = last.values().toArray(Long[]::new);
        return io.fleetwire.hub.device.DeviceRepository.lockInIdOrder(client, last.keySet())
                .compose(v -> client.preparedQuery("""
                        UPDATE devices d SET settings_applied_version = u.v, settings_applied_at = now()
                        FROM unnest($1::uuid[], $2::int8[]) AS u(id, v) WHERE d.id = u.id
                        RETURNING d.id""")
                .execute(Tuple.of(ids, (Object) versions)))
                .compose(updated -> {
                    java.util.Set<DeviceId> present = new java.util.HashSet<>();
                    updated.forEach(r -> present.add(new DeviceId(r.getUUID(0))));
                    return devices(client, List.copyOf(present)).map(own -> reports.stream()
                            .map(r -> present.contains(r.device())
                                    ? Optional.of(own.getOrDefault(r.device(), Overrides.NONE))
                                    : Optional.<Overrides>empty())
                            .toList());
                });
    }

    Future<Optional<Applied>> applied(SqlClient client, DeviceId id) {
        return client.preparedQuery("SELECT settings_applied_version, settings_applied_at FROM devices WHERE id = $1")
                .execute(Tuple.of(id.value()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row r = rows.iterator().next();
                    var at = r.getOffsetDateTime(1);
                    return Optional.of(new Applied(r.getLong(0), at == null ? null : at.toInstant()));
                });
    }

    static boolean isMissingDevice(Throwable e) {
        return e instanceof PgException pg && "23503".equals(pg.getSqlState());
    }

    private static Overrides first(RowSet<Row> rows) {
        return rows.size() == 0 ? Overrides.NONE : map(rows.iterator().next());
    }

    private static Overrides map(Row r) {
        Object raw = r.getValue("overrides");
        JsonObject values = raw instanceof JsonObject o ? o : new JsonObject(String.valueOf(raw));
        var at = r.getOffsetDateTime("updated_at");
        return new Overrides(values, r.getLong("version"), at == null ? null : at.toInstant(), r.getString("updated_by"));
    }
}
