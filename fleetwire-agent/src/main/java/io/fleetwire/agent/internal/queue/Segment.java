package io.fleetwire.agent.internal.queue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One segment file and the in-memory index of its records: for the record with seq
 * {@code baseSeq + i}, its offset, payload length, kind and whether it is dead (acknowledged,
 * dropped or lost). Seqs in a segment are dense: a seq lost to damage is a dead placeholder. About
 * nine bytes of memory per record; payloads stay on disk. Not thread-safe: guarded by the queue's lock.
 */
final class Segment {

    private static final Pattern NAME = Pattern.compile("seg-(\\d{20})\\.log");
    private static final byte RELIABLE = 1;
    private static final byte DEAD = 2;

    final Path path;
    final long baseSeq;
    private long size;
    private int count;
    private int live;
    private int[] offsets = new int[64];
    private int[] lengths = new int[64];
    private byte[] flags = new byte[64];

    /** A segment whose first record has seq {@code baseSeq}, in the file {@code path}. */
    Segment(Path path, long baseSeq) {
        this.path = path;
        this.baseSeq = baseSeq;
    }

    /** A new segment in {@code directory} starting at {@code firstSeq}, named after it. */
    static Segment startingAt(Path directory, long firstSeq) {
        return new Segment(directory.resolve(fileName(firstSeq)), firstSeq);
    }

    static String fileName(long firstSeq) {
        return "seg-%020d.log".formatted(firstSeq);
    }

    /** The first seq named by a segment file name, or -1 if the name is not a segment's. */
    static long parseName(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return -1;
        }
        try {
            return Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The seq the next record of this segment must have. */
    long endSeq() {
        return baseSeq + count;
    }

    boolean contains(long seq) {
        return seq >= baseSeq && seq < endSeq();
    }

    int index(long seq) {
        return (int) (seq - baseSeq);
    }

    void add(int offset, int length, Kind kind, boolean dead) {
        if (count == offsets.length) {
            int grown = count * 2;
            offsets = Arrays.copyOf(offsets, grown);
            lengths = Arrays.copyOf(lengths, grown);
            flags = Arrays.copyOf(flags, grown);
        }
        offsets[count] = offset;
        lengths[count] = length;
        flags[count] = (byte) ((kind == Kind.RELIABLE ? RELIABLE : 0) | (dead ? DEAD : 0));
        count++;
        if (!dead) {
            live++;
        }
    }

    boolean isLive(int i) {
        return (flags[i] & DEAD) == 0;
    }

    Kind kind(int i) {
        return (flags[i] & RELIABLE) != 0 ? Kind.RELIABLE : Kind.TELEMETRY;
    }

    int offset(int i) {
        return offsets[i];
    }

    int length(int i) {
        return lengths[i];
    }

    /** Marks record {@code i} dead; the bytes it freed from the budget, or -1 if it was dead already. */
    int kill(int i) {
        if (!isLive(i)) {
            return -1;
        }
        flags[i] |= DEAD;
        live--;
        return RecordCodec.HEADER + lengths[i];
    }

    int live() {
        return live;
    }

    long size() {
        return size;
    }

    void size(long bytes) {
        size = bytes;
    }
}
