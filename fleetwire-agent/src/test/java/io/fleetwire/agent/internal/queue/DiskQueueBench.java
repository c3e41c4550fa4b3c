package io.fleetwire.agent.internal.queue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Append throughput with group commit, 1 KiB records, printed, never asserted. Run with
 * {@code -Dgroups=bench -Dfleetwire.test.excludedGroups=none -Dtest=DiskQueueBench}.
 */
@Tag("bench")
class DiskQueueBench {

    private static final Duration RUN = Duration.ofSeconds(3);

    @Test
    void appendThroughput(@TempDir Path dir) throws Exception {
        for (Duration sync : List.of(DiskQueueConfig.DEFAULT_SYNC_INTERVAL, Duration.ZERO)) {
            for (int threads : new int[]{1, 8}) {
                Path d = Files.createDirectory(dir.resolve("t" + threads + "-" + sync.toMillis()));
                measure(DiskQueueConfig.defaults(d).withSyncInterval(sync), threads);
            }
        }
    }

    private static void measure(DiskQueueConfig config, int threads) throws Exception {
        byte[] payload = new byte[1024];
        LongAdder appends = new LongAdder();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        long syncs;
        long start = System.nanoTime();
        long end = start + RUN.toNanos();
        try (DiskQueue q = DiskQueue.open(config)) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(Thread.ofPlatform().start(() -> {
                    long n = 0;
                    for (long now = System.nanoTime(); now < end; ) {
                        long seq = q.append(Kind.TELEMETRY, payload);
                        long after = System.nanoTime();
                        if (++n % 16 == 0) {
                            latencies.add(after - now);
                        }
                        now = after;
                        if (seq % 4096 == 0) {
                            q.ack(seq); // some acks, as in real life
                        }
                        appends.increment();
                    }
                }));
            }
            for (Thread w : workers) {
                w.join();
            }
            syncs = q.stats().syncs();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = latencies.stream().sorted().toList();
        System.out.printf("threads=%d syncInterval=%dms: %.0f appends/s, %.1f MiB/s, %d fsyncs (%.1f appends per fsync), "
                        + "latency p50 %.2f ms p99 %.2f ms%n",
                threads, config.syncInterval().toMillis(), appends.sum() / seconds, appends.sum() * 1041 / seconds / (1 << 20),
                syncs, (double) appends.sum() / Math.max(1, syncs),
                sorted.get(sorted.size() / 2) / 1e6, sorted.get(sorted.size() * 99 / 100) / 1e6);
        TimeUnit.MILLISECONDS.sleep(100);
    }
}
