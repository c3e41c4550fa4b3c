package io.fleetwire.hub.ops;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The hub's counters and gauges, rendered in the Prometheus text format at {@code /metrics}.
 * Counters are registered by name (with optional labels) on first use; gauges are read on scrape.
 */
public final class HubMetrics {

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, String> help = new ConcurrentHashMap<>();
    private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

    /** Adds to counter {@code name} (a family name plus, optionally, {@code {label="value"}}). */
    public void add(String family, String labels, long delta) {
        counters.computeIfAbsent(labels == null ? family : family + "{" + labels + "}", k -> new LongAdder()).add(delta);
    }

    public void increment(String family, String labels) {
        add(family, labels, 1);
    }

    public long get(String family, String labels) {
        LongAdder a = counters.get(labels == null ? family : family + "{" + labels + "}");
        return a == null ? 0 : a.sum();
    }

    public void describe(String family, String text) {
        help.put(family, text);
    }

    public void gauge(String family, String text, LongSupplier value) {
        help.put(family, text);
        gauges.put(family, value);
    }

    public String render() {
        StringBuilder b = new StringBuilder(4096);
        Map<String, StringBuilder> families = new java.util.TreeMap<>();
        counters.forEach((key, adder) -> {
            int brace = key.indexOf('{');
            String family = brace < 0 ? key : key.substring(0, brace);
            families.computeIfAbsent(family, f -> new StringBuilder()).append(key).append(' ').append(adder.sum()).append('\n');
        });
        families.forEach((family, lines) -> {
            b.append("# HELP ").append(family).append(' ').append(help.getOrDefault(family, family)).append('\n');
            b.append("# TYPE ").append(family).append(" counter\n").append(lines);
        });
        new java.util.TreeMap<>(gauges).forEach((family, value) -> {
            b.append("# HELP ").append(family).append(' ').append(help.get(family)).append('\n');
            b.append("# TYPE ").append(family).append(" gauge\n");
            b.append(family).append(' ').append(value.getAsLong()).append('\n');
        });
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        b.append("# HELP jvm_heap_used_bytes Heap in use\n# TYPE jvm_heap_used_bytes gauge\njvm_heap_used_bytes ")
                .append(heap.getUsed()).append('\n');
        return b.toString();
    }
}
