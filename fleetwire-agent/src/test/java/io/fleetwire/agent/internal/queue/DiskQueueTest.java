package io.fleetwire.agent.internal.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DiskQueueTest {

    static DiskQueueConfig config(Path dir) {
        return DiskQueueConfig.defaults(dir).withWatermarkInterval(Duration.ZERO);
    }

    static List<Long> seqs(List<Entry> entries) {
        return entries.stream().map(Entry::seq).toList();
    }

    static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    static long appendDerived(DiskQueue q) {
        return q.append(Kind.TELEMETRY, seq -> Payloads.of(seq));
    }

    static void assertPayloadsMatchSeqs(List<Entry> entries) {
        for (Entry e : entries) {
            assertThat(e.payload()).as("payload of %d", e.seq()).isEqualTo(Payloads.of(e.seq()));
        }
    }

    static long segmentFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("seg-")).count();
        }
    }

    @Test
    void append_givesIncreasingSeqsFromOne_andPendingReturnsThemUntilAcked(@TempDir Path dir) {
        try (DiskQueue q = DiskQueue.open(config(dir))) {
            assertThat(q.append(Kind.TELEMETRY, new byte[]{1})).isEqualTo(1);
            assertThat(q.append(Kind.RELIABLE, new byte[]{2, 2})).isEqualTo(2);
            assertThat(q.append(Kind.TELEMETRY, new byte[0])).isEqualTo(3);

            List<Entry> pending = q.pending(0, 10);
            assertThat(seqs(pending)).containsExactly(1L, 2L, 3L);
            assertThat(pending.get(1).kind()).isEqualTo(Kind.RELIABLE);
            assertThat(pending.get(1).payload()).containsExactly(2, 2);
            assertThat(pending.get(2).payload()).isEmpty();

            q.ack(2);
            assertThat(seqs(q.pending(0, 10))).containsExactly(1L, 3L);
            assertThat(seqs(q.pending(1, 10))).containsExactly(3L);
            assertThat(seqs(q.pending(0, 1))).containsExactly(1L);
            assertThat(q.stats().entries()).isEqualTo(2);
            assertThat(q.stats().lastSeq()).isEqualTo(3);
        }
    }

    @Test
    void ack_ofAnUnknownOrAlreadyAckedSeq_changesNothing(@TempDir Path dir) {
        try (DiskQueue q = DiskQueue.open(config(dir))) {
            appendDerived(q);
            appendDerived(q);
            q.ack(1);
            q.ack(1);
            q.ack(0);
            q.ack(-5);
            q.ack(99);
            assertThat(seqs(q.pending(0, 10))).containsExactly(2L);
            assertThat(q.stats().entries()).isEqualTo(1);
        }
    }

    @Test
    void order_isKeptAcrossSegmentRolls_andPagesJoinUp(@TempDir Path dir) {
        try (DiskQueue q = DiskQueue.open(config(dir).withSegmentBytes(4096))) {
            for (int i = 1; i <= 200; i++) {
                assertThat(appendDerived(q)).isEqualTo(i);
            }
            assertThat(q.stats().segments()).isGreaterThan(10);
            List<Entry> all = q.pending(0, 1000);
            assertThat(seqs(all)).isEqualTo(range(1, 200));
            assertPayloadsMatchSeqs(all);

            List<Long> paged = new ArrayList<>();
            for (List<Entry> page = q.pending(0, 7); !page.isEmpty(); page = q.pending(page.getLast().seq(), 7)) {
                paged.addAll(seqs(page));
            }
            assertThat(paged).isEqualTo(range(1, 200));
        }
    }

    @Test
    void restart_keepsUnackedEntries_andForgetsAckedOnes(@TempDir Path dir) {
        try (DiskQueue q = DiskQueue.open(config(dir).withSegmentBytes(4096))) {
            for (int i = 0; i < 50; i++) {
                appendDerived(q);
            }
            for (long seq = 1; seq <= 30; seq++) {
                q.ack(seq);
            }
        }
        try (DiskQueue q = DiskQueue.open(config(dir).withSegmentBytes(4096))) {
            List<Entry> pending = q.pending(0, 100);
            assertThat(seqs(pending)).isEqualTo(range(31, 50));
            assertPayloadsMatchSeqs(pending);
            assertThat(q.stats().watermark()).isEqualTo(30);
            assertThat(appendDerived(q)).isEqualTo(51);
        }
    }

    @Test
    void outOfOrderAcks_takeEffectAtOnce_andOnlyAcksAboveTheWatermarkComeBackAfterARestart(@TempDir Path dir) {
        try (DiskQueue q = DiskQueue.open(config(dir))) {
            for (int i = 0; i < 10; i++) {
                appendDerived(q);
            }
            q.ack(3);
            q.ack(1);
            q.ack(7);
            assertThat(seqs(q.pending(0, 100))).containsExactly(2L, 4L, 5L, 6L, 8L, 9L, 10L);
            assertThat(q.stats().watermark()).isEqualTo(1);
            q.ack(2);
            assertThat(q.stats().watermark()).as("1, 2 and 3 acked").isEqualTo(3);
            assertThat(seqs(q.pending(0, 100))).containsExactly(4L, 5L, 6L, 8L, 9L, 10L);
        }
        try (DiskQueue q = DiskQueue.open(config(dir))) {
            // 7 was acked above the watermark, which only memory held: it is replayed (the hub de-duplicates)
            assertThat(seqs(q.pending(0, 100))).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertPayloadsMatchSeqs(q.pending(0, 100));
        }
    }

    @Test
    void overBudget_theOldestTelemetryIsDroppedAndCounted_reliableEntriesNever(@TempDir Path dir) {
        int record = RecordCodec.HEADER + 1000;
        try (DiskQueue q = DiskQueue.open(config(dir).withBudgetBytes(10L * record))) {
            for (long seq = 1; seq <= 20; seq++) {
                assertThat(q.append(Payloads.kindOf(seq), Payloads.of(seq, 1000))).isEqualTo(seq);
            }
            // room for 10: the four reliable ones (5, 10, 15, 20) and the six newest telemetry entries
            assertThat(seqs(q.pending(0, 100))).containsExactly(5L, 10L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
            Stats stats = q.stats();
            assertThat(stats.droppedTelemetry()).isEqualTo(10);
            assertThat(stats.bytes()).isEqualTo(10L * record);
            assertThat(stats.watermark()).as("dropped entries count as acknowledged").isEqualTo(4);

            for (int i = 0; i < 20; i++) {
                q.append(Kind.RELIABLE, new byte[1000]);
            }
            List<Entry> pending = q.pending(0, 100);
            assertThat(pending).hasSize(24).allSatisfy(e -> assertThat(e.kind()).isEqualTo(Kind.RELIABLE));
            assertThat(q.stats().droppedTelemetry()).as("every telemetry entry, and nothing else").isEqualTo(16);
            assertThat(q.stats().bytes()).as("reliable entries alone may exceed the budget").isGreaterThan(10L * record);
        }
    }

    @Test
    void seq_keepsIncreasingAcrossRestarts_evenWhenEverythingWasAckedAndDeleted(@TempDir Path dir) throws Exception {
        DiskQueueConfig config = config(dir).withSegmentBytes(4096);
        try (DiskQueue q = DiskQueue.open(config)) {
            for (int i = 0; i < 100; i++) {
                appendDerived(q);
            }
            for (long seq = 1; seq <= 100; seq++) {
                q.ack(seq);
            }
        }
        assertThat(segmentFiles(dir)).as("only the current segment is left").isEqualTo(1);
        try (DiskQueue q = DiskQueue.open(config)) {
            assertThat(q.pending(0, 10)).isEmpty();
            assertThat(appendDerived(q)).isEqualTo(101);
            q.ack(101);
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("seg-")).toList()) {
                Files.delete(p);
            }
        }
        try (DiskQueue q = DiskQueue.open(config)) {
            assertThat(appendDerived(q)).as("the watermark alone remembers the seqs").isEqualTo(102);
        }
    }

    @Test
    void payloadOverOneMebibyte_isRefused_andUsesNoSeq(@TempDir Path dir) {
        try (DiskQueue q = DiskQueue.open(config(dir))) {
            assertThatThrownBy(() -> q.append(Kind.TELEMETRY, new byte[DiskQueue.MAX_PAYLOAD + 1]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("over the limit");
            assertThatThrownBy(() -> q.append(Kind.RELIABLE, seq -> new byte[DiskQueue.MAX_PAYLOAD + 1]))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(q.append(Kind.TELEMETRY, new byte[DiskQueue.MAX_PAYLOAD])).isEqualTo(1);
            assertThat(q.pending(0, 1).getFirst().payload()).hasSize(DiskQueue.MAX_PAYLOAD);
        }
    }

    @Test
    void afterClose_appendAndPendingAreRefused_andAckIsIgnored(@TempDir Path dir) {
        DiskQueue q = DiskQueue.open(config(dir));
        appendDerived(q);
        q.close();
        q.close();
        q.ack(1);
        assertThatThrownBy(() -> appendDerived(q)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> q.pending(0, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anInterruptedAppender_stillAppendsDurably_keepsItsInterrupt_andBreaksNothing(@TempDir Path dir) {
        try (DiskQueue q = DiskQueue.open(config(dir).withSegmentBytes(4096))) {
            Thread.currentThread().interrupt();
            try {
                for (int i = 1; i <= 100; i++) { // rolls segments too: file creation and directory fsync
                    assertThat(appendDerived(q)).isEqualTo(i);
                    assertThat(Thread.currentThread().isInterrupted()).isTrue();
                }
            } finally {
                Thread.interrupted();
            }
            assertThat(appendDerived(q)).isEqualTo(101);
            assertPayloadsMatchSeqs(q.pending(0, 1000));
            assertThat(q.pending(0, 1000)).hasSize(101);
        }
    }

    @Test
    void acks_reachTheWatermarkFileWithoutAClose_soACrashReplaysNoneOfThem(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("after-crash");
        Path live = Files.createDirectory(dir.resolve("live"));
        try (DiskQueue q = DiskQueue.open(config(live))) {
            for (int i = 0; i < 10; i++) {
                appendDerived(q);
            }
            for (long seq = 1; seq <= 6; seq++) {
                q.ack(seq);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (new WatermarkFile(live).read() < 6 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            // the process dies now: what is on disk is all that is left
            Files.createDirectory(copy);
            try (Stream<Path> files = Files.list(live)) {
                for (Path f : files.toList()) {
                    Files.copy(f, copy.resolve(f.getFileName()));
                }
            }
        }
        try (DiskQueue q = DiskQueue.open(config(copy))) {
            assertThat(seqs(q.pending(0, 100))).isEqualTo(range(7, 10));
        }
    }

    @Test
    void eightThreadsAppending_getDistinctIncreasingSeqs_shareFsyncs_andEverythingIsThereAfterReopening(
            @TempDir Path dir) throws Exception {
        int threads = 8;
        int each = 200;
        ConcurrentLinkedQueue<List<Long>> perThread = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        CyclicBarrier start = new CyclicBarrier(threads);
        long syncs;
        try (DiskQueue q = DiskQueue.open(config(dir).withSegmentBytes(64 << 10))) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        List<Long> mine = new ArrayList<>();
                        for (int i = 0; i < each; i++) {
                            mine.add(q.append(Kind.TELEMETRY, seq -> Payloads.of(seq)));
                        }
                        perThread.add(mine);
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            for (Thread w : workers) {
                w.join();
            }
            syncs = q.stats().syncs();
        }
        assertThat(errors).isEmpty();
        Set<Long> all = new HashSet<>();
        for (List<Long> mine : perThread) {
            assertThat(mine).isSorted().doesNotHaveDuplicates();
            all.addAll(mine);
        }
        assertThat(all).hasSize(threads * each).containsAll(range(1, threads * each));
        assertThat(syncs).as("concurrent appenders share fsyncs").isLessThan(threads * each);
        try (DiskQueue q = DiskQueue.open(config(dir))) {
            List<Entry> pending = q.pending(0, 10_000);
            assertThat(seqs(pending)).isEqualTo(range(1, threads * each));
            assertPayloadsMatchSeqs(pending);
        }
    }
}
