package io.fleetwire.hub.event;

import io.fleetwire.hub.bus.Bus;
import io.fleetwire.protocol.DeviceId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Device events: stored in {@code device_events}, logged on the {@code fleetwire.events} logger and
 * published on the bus topic {@value #TOPIC}.
 */
public final class EventLog {

    public static final String TOPIC = "device.events";
    private static final Logger events = LoggerFactory.getLogger("fleetwire.events");

    private final Pool pool;
    private final Bus bus;

    public EventLog(Pool pool, Bus bus) {
        this.pool = pool;
        this.bus = bus;
    }

    /** Records an event on its own. */
    public Future<Void> record(DeviceId device, DeviceEventKind kind, JsonObject detail) {
        return record(pool, device, kind, detail);
    }

    /** Records an event through the given client, e.g. inside the transaction that caused it. */
    public Future<Void> record(SqlClient client, DeviceId device, DeviceEventKind kind, JsonObject detail) {
        events.info("device {} {} {}", device, kind.wireName(), detail.isEmpty() ? "" : detail.encode());
        return client.preparedQuery("INSERT INTO device_events (device_id, kind, detail) VALUES ($1, $2, $3) RETURNING ts")
                .execute(Tuple.of(device.value(), kind.wireName(), detail))
                .map(rows -> {
                    OffsetDateTime ts = rows.iterator().next().getOffsetDateTime(0);
                    bus.publish(TOPIC, new JsonObject().put("deviceId", device.toString()).put("kind", kind.wireName())
                            .put("ts", ts.toInstant().toString()).put("detail", detail));
                    return null;
                });
    }

    /** One event to record with others. */
    public record Entry(DeviceId device, DeviceEventKind kind, JsonObject detail) {
    }

    /**
     * Records events through one statement, in the given order (their ids ascend in it); the bus
     * messages come back for {@link #publish} after the transaction commits.
     */
    public Future<List<JsonObject>> recordAll(SqlClient tx, List<Entry> entries) {
        if (entries.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        UUID[] ids = new UUID[entries.size()];
        String[] kinds = new String[entries.size()];
        String[] details = new String[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            ids[i] = e.device().value();
            kinds[i] = e.kind().wireName();
            details[i] = e.detail().encode();
            events.info("device {} {} {}", e.device(), e.kind().wireName(), e.detail().isEmpty() ? "" : e.detail().encode());
        }
        return tx.preparedQuery("""
                        WITH ins AS (
                            INSERT INTO device_events (device_id, kind, detail)
                            SELECT e.id, e.kind, e.detail::jsonb FROM unnest($1::uuid[], $2::text[], $3::text[]) WITH ORDINALITY
                                AS e(id, kind, detail, ord) ORDER BY e.ord
                            RETURNING id, ts)
                        SELECT ts FROM ins ORDER BY id""")
                .execute(Tuple.of(ids, kinds, details))
                .map(rows -> {
                    // Ids ascend in the given order, so the i-th row is the i-th entry's.
                    List<JsonObject> out = new ArrayList<>(rows.size());
                    int i = 0;
                    for (var r : rows) {
                        Entry e = entries.get(i++);
                        out.add(new JsonObject().put("deviceId", e.device().toString()).put("kind", e.kind().wireName())
                                .put("ts", r.getOffsetDateTime(0).toInstant().toString()).put("detail", e.detail()));
                    }
                    return out;
                });
    }

    /** Publishes what {@link #recordAll} returned, once its transaction has committed. */
    public void publish(List<JsonObject> recorded) {
        recorded.forEach(e -> bus.publish(TOPIC, e));
    }

    /** The newest events of a device, newest first. */
    public Future<JsonArray> recent(DeviceId device, int limit) {
        return pool.preparedQuery("SELECT id, ts, kind, detail FROM device_events WHERE device_id = $1 ORDER BY id DESC LIMIT $2")
                .execute(Tuple.of(device.value(), limit))
                .map(rows -> {
                    JsonArray out = new JsonArray();
                    rows.forEach(r -> out.add(new JsonObject()
                            .put("id", r.getLong("id"))
                            .put("ts", r.getOffsetDateTime("ts").withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString())
                            .put("kind", r.getString("kind"))
                            .put("detail", r.getJsonObject("detail"))));
                    return out;
                });
    }
}
