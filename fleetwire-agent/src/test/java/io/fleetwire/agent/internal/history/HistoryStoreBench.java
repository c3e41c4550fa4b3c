package io.fleetwire.agent.internal.history;

import io.fleetwire.protocol.Message;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What keeping the history costs a sample (flattening, adding to the open minute, and the minute's
 * append amortised over its samples), printed, never asserted. Run with
 * {@code -Dgroups=bench -Dfleetwire.test.excludedGroups=none -Dtest=HistoryStoreBench}.
 */
@Tag("bench")
class HistoryStoreBench {

    @Test
    void costOfASample(@TempDir Path dir) {
        Map<String, Double> metrics = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            metrics.put("metric.number_" + i, i * 1.5);
        }
        Instant start = Instant.parse("2026-11-22T00:00:00Z");
        SettableClock clock = new SettableClock(start);
        int samples = 200_000; // 3 s apart: 20 a minute, ~7 days
        try (HistoryStore store = HistoryStore.open(HistoryConfig.defaults(dir), clock)) {
            for (int round = 0; round < 2; round++) { // the first round warms up
                long began = System.nanoTime();
                for (int i = 0; i < samples; i++) {
                    Instant t = start.plusSeconds(3L * i);
                    clock.set(t);
                    store.record(new Message.Sample(t, metrics, java.util.List.of(), java.util.List.of(), Map.of(),
                            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()));
                }
                double micros = (System.nanoTime() - began) / 1e3 / samples;
                System.out.printf("history: %.1f µs a sample of 40 metrics (%.4f %% of a core at a 3 s interval), %d bytes held%n",
                        micros, micros / 3e6 * 100, store.bytes());
                start = start.plus(Duration.ofDays(8));
            }
        }
    }
}
