package io.fleetwire.agent.internal.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static io.fleetwire.agent.internal.queue.DiskQueueTest.assertPayloadsMatchSeqs;
import static io.fleetwire.agent.internal.queue.DiskQueueTest.config;
import static io.fleetwire.agent.internal.queue.DiskQueueTest.range;
import static io.fleetwire.agent.internal.queue.DiskQueueTest.seqs;
import static org.assertj.core.api.Assertions.assertThat;

/** Damaged files on opening: never an exception, never more lost than the damaged records. */
class DiskQueueDamageTest {

    private static final int SEGMENT_BYTES = 4096;
    private static final int RECORDS = 120;

    /** Writes records 1..{@value RECORDS} of 16..~140 bytes into several 4 KiB segments; returns the files. */
    private static List<Path> writeSegments(Path dir) throws Exception {
        try (DiskQueue q = DiskQueue.open(config(dir).withSegmentBytes(SEGMENT_BYTES))) {
            for (int i = 0; i < RECORDS; i++) {
                q.append(Kind.TELEMETRY, seq -> Payloads.of(seq, 16 + (int) (seq * 37 % 128)));
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> segments = files.filter(p -> p.getFileName().toString().startsWith("seg-")).sorted().toList();
            assertThat(segments).hasSizeGreaterThanOrEqualTo(3);
            return segments;
        }
    }

    /** The offsets at which the records of a segment file start. */
    private static List<Integer> recordOffsets(byte[] file) {
        List<Integer> offsets = new ArrayList<>();
        for (int at = 0; at < file.length; at += RecordCodec.HEADER + ByteBuffer.wrap(file, at, 4).getInt()) {
            offsets.add(at);
        }
        return offsets;
    }

    private static long firstSeqOf(Path segment) {
        return Segment.parseName(segment.getFileName().toString());
    }

    private static void assertPayloadsMatch(List<Entry> entries) {
        for (Entry e : entries) {
            assertThat(e.payload()).as("payload of %d", e.seq())
                    .isEqualTo(Payloads.of(e.seq(), 16 + (int) (e.seq() * 37 % 128)));
        }
    }

    @Test
    void lastSegmentCutAtEveryOffsetOfItsLastRecord_opensWithExactlyTheIntactPrefix(@TempDir Path dir) throws Exception {
        List<Path> segments = writeSegments(dir);
        Path last = segments.getLast();
        byte[] whole = Files.readAllBytes(last);
        List<Integer> offsets = recordOffsets(whole);
        int lastStart = offsets.getLast();
        for (int cut = lastStart; cut < whole.length; cut++) {
            Files.write(last, java.util.Arrays.copyOf(whole, cut));
            try (DiskQueue q = DiskQueue.open(config(dir).withSegmentBytes(SEGMENT_BYTES))) {
                List<Entry> pending = q.pending(0, 1000);
                assertThat(seqs(pending)).as("cut at %d", cut).isEqualTo(range(1, RECORDS - 1));
                assertPayloadsMatch(pending);
                assertThat(q.stats().corruptRecordsSkipped()).as("a torn write is not corruption").isZero();
                assertThat(q.stats().lastSeq()).isEqualTo(RECORDS - 1);
            }
            assertThat(Files.size(last)).as("the torn write is cut off").isEqualTo(lastStart);
        }
    }

    @Test
    void aFlippedByteAnywhereInAMiddleRecord_losesThatRecordOnly_andIsCounted(@TempDir Path dir) throws Exception {
        List<Path> segments = writeSegments(dir);
        Path middle = segments.get(1);
        int middleRecords = recordOffsets(Files.readAllBytes(middle)).size();
        record Victim(Path segment, int index) {
        }
        List<Victim> victims = List.of(new Victim(middle, 0), new Victim(middle, middleRecords / 2),
                new Victim(middle, middleRecords - 1), new Victim(segments.getLast(), 3));
        for (Victim v : victims) {
            Path damaged = v.segment();
            byte[] whole = Files.readAllBytes(damaged);
            List<Integer> offsets = recordOffsets(whole);
            int victim = v.index();
            int end = victim + 1 < offsets.size() ? offsets.get(victim + 1) : whole.length;
            long victimSeq = firstSeqOf(damaged) + victim;
            for (int at = offsets.get(victim); at < end; at++) {
                byte[] copy = whole.clone();
                copy[at] ^= (byte) 0x5a;
                Files.write(damaged, copy);
                try (DiskQueue q = DiskQueue.open(config(dir).withSegmentBytes(SEGMENT_BYTES))) {
                    List<Entry> pending = q.pending(0, 1000);
                    assertThat(seqs(pending)).as("byte %d of record %d in %s", at, victim, damaged.getFileName())
                            .isEqualTo(range(1, RECORDS).stream().filter(s -> s != victimSeq).toList());
                    assertPayloadsMatch(pending);
                    assertThat(q.stats().corruptRecordsSkipped()).isEqualTo(1);
                    assertThat(q.stats().lastSeq()).isEqualTo(RECORDS);
                }
            }
            Files.write(damaged, whole);
        }
    }

    @Test
    void aMiddleSegmentOfGarbage_opens_keepsTheOtherSegments_andCountsTheDamage(@TempDir Path dir) throws Exception {
        List<Path> segments = writeSegments(dir);
        Path middle = segments.get(1);
        long lostFrom = firstSeqOf(middle);
        long lostTo = firstSeqOf(segments.get(2)) - 1;
        byte[] garbage = new byte[3000];
        new SplittableRandom(7).nextBytes(garbage);
        Files.write(middle, garbage);
        try (DiskQueue q = DiskQueue.open(config(dir).withSegmentBytes(SEGMENT_BYTES))) {
            List<Entry> pending = q.pending(0, 1000);
            assertThat(seqs(pending)).isEqualTo(range(1, RECORDS).stream()
                    .filter(s -> s < lostFrom || s > lostTo).toList());
            assertPayloadsMatch(pending);
            assertThat(q.stats().corruptRecordsSkipped()).isPositive();
            assertThat(q.append(Kind.TELEMETRY, new byte[1])).isEqualTo(RECORDS + 1);
        }
    }

    @Test
    void zeroLengthSegmentFiles_inTheMiddleOrNewest_open(@TempDir Path dir) throws Exception {
        List<Path> segments = writeSegments(dir);
        Path middle = segments.get(1);
        long lostFrom = firstSeqOf(middle);
        long lostTo = firstSeqOf(segments.get(2)) - 1;
        Files.write(middle, new byte[0]);
        Files.write(dir.resolve(Segment.fileName(RECORDS + 1)), new byte[0]);
        try (DiskQueue q = DiskQueue.open(config(dir).withSegmentBytes(SEGMENT_BYTES))) {
            assertThat(seqs(q.pending(0, 1000))).isEqualTo(range(1, RECORDS).stream()
                    .filter(s -> s < lostFrom || s > lostTo).toList());
            assertThat(q.append(Kind.TELEMETRY, new byte[1])).isEqualTo(RECORDS + 1);
        }
        assertThat(middle).as("a segment without a valid record is removed").doesNotExist();
    }

    @Test
    void theNewestSegmentOfGarbageOrZeros_isCutOff_andTheOlderOnesAreKept(@TempDir Path dir) throws Exception {
        List<Path> segments = writeSegments(dir);
        Path newest = segments.getLast();
        long lostFrom = firstSeqOf(newest);
        byte[] garbage = new byte[5000];
        new SplittableRandom(11).nextBytes(garbage);
        for (byte[] content : List.of(garbage, new byte[5000])) {
            Files.write(newest, content);
            try (DiskQueue q = DiskQueue.open(config(dir).withSegmentBytes(SEGMENT_BYTES))) {
                List<Entry> pending = q.pending(0, 1000);
                assertThat(seqs(pending)).isEqualTo(range(1, lostFrom - 1));
                assertPayloadsMatch(pending);
            }
        }
    }

    @Test
    void aDamagedWatermarkFile_replaysEverythingStillOnDisk(@TempDir Path dir) throws Exception {
        try (DiskQueue q = DiskQueue.open(config(dir))) {
            for (int i = 0; i < 10; i++) {
                DiskQueueTest.appendDerived(q);
            }
            for (long seq = 1; seq <= 5; seq++) {
                q.ack(seq);
            }
        }
        Files.write(dir.resolve(WatermarkFile.NAME), new byte[]{1, 2, 3});
        try (DiskQueue q = DiskQueue.open(config(dir))) {
            List<Entry> pending = q.pending(0, 100);
            assertThat(seqs(pending)).isEqualTo(range(1, 10));
            assertPayloadsMatchSeqs(pending);
            assertThat(DiskQueueTest.appendDerived(q)).isEqualTo(11);
        }
    }
}
