package io.fleetwire.hub.telemetry;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Interns lists of metric names as {@code metric_sets} rows, cached in memory. Devices of one kind
 * send the same names every time, so after the first sample this is a map lookup.
 * Bounded: when more than {@link #MAX_CACHED} sets are cached the cache is cleared.
 */
final class MetricSetRegistry {

    static final int MAX_CACHED = 100_000;

    private final Pool pool;
    private final Map<List<String>, Integer> ids = new ConcurrentHashMap<>();

    MetricSetRegistry(Pool pool) {
        this.pool = pool;
    }

    /** Ids of every given name list, creating sets that do not exist yet. */
    Future<Map<List<String>, Integer>> resolve(Iterable<List<String>> nameLists) {
        Map<List<String>, Integer> out = new HashMap<>();
        List<List<String>> missing = new ArrayList<>();
        for (List<String> names : nameLists) {
            Integer id = ids.get(names);
            if (id != null) {
                out.put(names, id);
            } else if (!out.containsKey(names) && !missing.contains(names)) {
                missing.add(names);
            }
        }
        Future<Void> chain = Future.succeededFuture();
        for (List<String> names : missing) {
            chain = chain.compose(v -> intern(names).map(id -> {
                out.put(names, id);
                return null;
            }));
        }
        return chain.map(out);
    }

    /** Always returns the id, also when another transaction inserts the same names at the same time. */
    private Future<Integer> intern(List<String> names) {
        String[] array = names.toArray(String[]::new);
        return pool.preparedQuery("""
                        INSERT INTO metric_sets (names) VALUES ($1)
                        ON CONFLICT (names) DO UPDATE SET names = EXCLUDED.names RETURNING id""")
                .execute(Tuple.of((Object) array))
                .map(rows -> {
                    int id = rows.iterator().next().getInteger(0);
                    if (ids.size() >= MAX_CACHED) {
                        ids.clear();
                    }
                    ids.put(List.copyOf(names), id);
                    return id;
                });
    }
}
