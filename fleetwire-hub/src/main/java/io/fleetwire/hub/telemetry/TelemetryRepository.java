package io.fleetwire.hub.telemetry;

import io.fleetwire.protocol.DeviceId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** SQL for {@code telemetry} and {@code device_latest}. */
final class TelemetryRepository {

    private final Pool pool;

    TelemetryRepository(Pool pool) {
        this.pool = pool;
    }

    /** The newest sample of a device, for {@code device_latest}. */
    record Latest(DeviceId device, Instant ts, long seq, JsonObject metrics, JsonObject state) {
    }

    /** Inserts rows (already sorted, so concurrent batches lock in one order) and latest states. */
    Future<Void> write(SqlClient tx, List<TelemetryRow> rows, List<Integer> setIds, List<Latest> latest) {
        List<Tuple> tuples = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            TelemetryRow r = rows.get(i);
            Double[] values = new Double[r.values().length];
            for (int j = 0; j < values.length; j++) {
                values[j] = r.values()[j];
            }
            tuples.add(Tuple.of(r.device().value(), r.ts().atOffset(ZoneOffset.UTC), r.seq(), r.idx(), setIds.get(i), values));
        }
        Future<Void> inserted = tuples.isEmpty() ? Future.succeededFuture() : tx.preparedQuery("""
                        INSERT INTO telemetry (device_id, ts, seq, idx, set_id, vals) VALUES ($1, $2, $3, $4, $5, $6)
                        ON CONFLICT DO NOTHING""")
                .executeBatch(tuples).mapEmpty();
        if (latest.isEmpty()) {
            return inserted;
        }
        List<Tuple> latestTuples = new ArrayList<>(latest.size());
        for (Latest l : latest) {
            latestTuples.add(Tuple.of(l.device().value(), l.ts().atOffset(ZoneOffset.UTC), l.seq(), l.metrics(), l.state()));
        }
        // A device deleted meanwhile has no row to reference: skip it rather than fail the batch.
        return inserted.compose(v -> tx.preparedQuery("""
                        INSERT INTO device_latest (device_id, ts, seq, metrics, state)
                        SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM devices WHERE id = $1)
                        ON CONFLICT (device_id) DO UPDATE SET ts = EXCLUDED.ts, seq = EXCLUDED.seq,
                            metrics = EXCLUDED.metrics, state = EXCLUDED.state
                        WHERE device_latest.ts <= EXCLUDED.ts""")
                .executeBatch(latestTuples).mapEmpty());
    }

    /** One metric's points in [from, to), oldest first. */
    Future<JsonArray> series(DeviceId device, String metric, Instant from, Instant to, int limit) {
        return pool.preparedQuery("""
                        SELECT t.ts, t.vals[array_position(s.names, $2)] AS v
                        FROM telemetry t JOIN metric_sets s ON s.id = t.set_id
                        WHERE t.device_id = $1 AND t.ts >= $3 AND t.ts < $4 AND s.names @> ARRAY[$2]::text[]
                        ORDER BY t.ts, t.seq, t.idx LIMIT $5""")
                .execute(Tuple.of(device.value(), metric, from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC), limit))
                .map(rows -> {
                    JsonArray out = new JsonArray();
                    rows.forEach(r -> out.add(new JsonObject().put("ts", r.getOffsetDateTime(0).toInstant().toString())
                            .put("value", r.getDouble(1))));
                    return out;
                });
    }

    /** Whole samples in [from, to), oldest first. */
    Future<JsonArray> samples(DeviceId device, Instant from, Instant to, int limit) {
        return pool.preparedQuery("""
                        SELECT t.ts, t.seq, s.names, t.vals
                        FROM telemetry t JOIN metric_sets s ON s.id = t.set_id
                        WHERE t.device_id = $1 AND t.ts >= $2 AND t.ts < $3
                        ORDER BY t.ts, t.seq, t.idx LIMIT $4""")
                .execute(Tuple.of(device.value(), from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC), limit))
                .map(rows -> {
                    JsonArray out = new JsonArray();
                    for (Row r : rows) {
                        String[] names = r.getArrayOfStrings("names");
                        Double[] vals = r.getArrayOfDoubles("vals");
                        JsonObject metrics = new JsonObject();
                        for (int i = 0; i < names.length; i++) {
                            metrics.put(names[i], vals[i]);
                        }
                        long seq = r.getLong("seq");
                        out.add(new JsonObject().put("ts", r.getOffsetDateTime("ts").toInstant().toString())
                                .put("seq", seq < 0 ? null : seq).put("metrics", metrics));
                    }
                    return out;
                });
    }
}
