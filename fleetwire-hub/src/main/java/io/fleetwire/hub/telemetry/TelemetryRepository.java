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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SQL for {@code telemetry} and {@code device_latest}. */
final class TelemetryRepository {

    private final Pool pool;

    TelemetryRepository(Pool pool) {
        this.pool = pool;
    }

    /** A device's full sample for {@code device_latest}, as JSON text. */
    record Latest(DeviceId device, Instant ts, long seq, String stateJson) {
    }

    /**
     * Inserts rows (already sorted, so concurrent batches lock in one order) and latest states. All
     * rows go in one statement: columns as arrays, unnested by PostgreSQL. The values of all rows travel
     * as one float8[] (binary, no text to format or parse) and each row takes its slice {@code [from:to]}.
     */
    Future<Void> write(SqlClient tx, List<TelemetryRow> rows, List<Integer> setIds, List<Latest> latest) {
        int n = rows.size();
        UUID[] devices = new UUID[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        Long[] seqs = new Long[n];
        Short[] idxs = new Short[n];
        Integer[] sets = new Integer[n];
        Integer[] from = new Integer[n];
        Integer[] to = new Integer[n];
        int total = 0;
        for (TelemetryRow r : rows) {
            total += r.values().length;
        }
        Double[] values = new Double[total];
        int k = 0;
        for (int i = 0; i < n; i++) {
            TelemetryRow r = rows.get(i);
            devices[i] = r.device().value();
            times[i] = r.ts().atOffset(ZoneOffset.UTC);
            seqs[i] = r.seq();
            idxs[i] = r.idx();
            sets[i] = setIds.get(i);
            from[i] = k + 1;
            for (double v : r.values()) {
                values[k++] = v;
            }
            to[i] = k;
        }
        Future<Void> inserted = n == 0 ? Future.succeededFuture() : tx.preparedQuery("""
                        INSERT INTO telemetry (device_id, ts, seq, idx, set_id, vals)
                        SELECT d, t, s, i, k, ($6::float8[])[a:b]
                        FROM unnest($1::uuid[], $2::timestamptz[], $3::int8[], $4::int2[], $5::int4[], $7::int4[], $8::int4[])
                             AS u(d, t, s, i, k, a, b)
                        ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(devices, times, seqs, idxs, sets, values).addValue(from).addValue(to)).mapEmpty();
        if (latest.isEmpty()) {
            return inserted;
        }
        int m = latest.size();
        UUID[] ids = new UUID[m];
        OffsetDateTime[] times2 = new OffsetDateTime[m];
        Long[] seqs2 = new Long[m];
        String[] states = new String[m];
        for (int i = 0; i < m; i++) {
            Latest l = latest.get(i);
            ids[i] = l.device().value();
            times2[i] = l.ts().atOffset(ZoneOffset.UTC);
            seqs2[i] = l.seq();
            states[i] = l.stateJson();
        }
        // A device deleted meanwhile has no row to reference: skip it rather than fail the batch.
        return inserted.compose(v -> tx.preparedQuery("""
                        INSERT INTO device_latest (device_id, ts, seq, state)
                        SELECT d, t, s, sj::jsonb
                        FROM unnest($1::uuid[], $2::timestamptz[], $3::int8[], $4::text[]) AS u(d, t, s, sj)
                        WHERE EXISTS (SELECT 1 FROM devices WHERE id = u.d)
                        ON CONFLICT (device_id) DO UPDATE SET ts = EXCLUDED.ts, seq = EXCLUDED.seq, state = EXCLUDED.state
                        WHERE device_latest.ts <= EXCLUDED.ts""")
                .execute(Tuple.of(ids, times2, seqs2, states)).mapEmpty());
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
