package io.fleetwire.protocol;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The metric name {@code prefix + key + suffix} (sanitised, {@link MetricFlattener}) for each key, made
 * once and then shared: every sample of a device repeats the same sensor and fan ids, so the hub builds
 * no name per value, and equal name lists compare by identity. Bounded: cleared past {@link #MAX_CACHED}.
 */
final class MetricNames {

    static final int MAX_CACHED = 10_000;

    private final String prefix;
    private final String suffix;
    private final ConcurrentHashMap<String, String> names = new ConcurrentHashMap<>();

    MetricNames(String prefix, String suffix) {
        this.prefix = prefix;
        this.suffix = suffix;
    }

    String of(String key) {
        String name = names.get(key);
        if (name == null) {
            name = MetricFlattener.sanitize(prefix + key + suffix);
            if (names.size() >= MAX_CACHED) {
                names.clear();
            }
            names.put(key, name);
        }
        return name;
    }
}
