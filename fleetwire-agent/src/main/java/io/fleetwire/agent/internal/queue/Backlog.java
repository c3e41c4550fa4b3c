package io.fleetwire.agent.internal.queue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The in-memory index over all segments, oldest first: which seqs are live (neither acknowledged,
 * dropped nor lost), what they weigh against the budget, the watermark, and which segments hold
 * nothing live any more. Two hints keep the scans amortised O(1): no entry below {@code headHint} is
 * live and no entry below {@code dropHint} is live telemetry (entries only ever die, and new ones get
 * higher seqs). No I/O. Not thread-safe: guarded by the queue's lock.
 */
final class Backlog {

    private final NavigableMap<Long, Segment> segments = new TreeMap<>();
    private long liveEntries;
    private long liveBytes;
    private long headHint = 1;
    private long dropHint = 1;

    void addSegment(Segment segment) {
        segments.put(segment.baseSeq, segment);
    }

    /** Indexes the record {@code seq} of {@code segment}; seqs it skips become dead placeholders. */
    void add(Segment segment, long seq, int offset, int length, Kind kind, boolean dead) {
        while (segment.endSeq() < seq) {
            segment.add(0, 0, Kind.TELEMETRY, true);
        }
        segment.add(offset, length, kind, dead);
        if (!dead) {
            liveEntries++;
            liveBytes += RecordCodec.HEADER + length;
        }
    }

    /** Marks {@code seq} dead; false if it is unknown or was dead already. */
    boolean kill(long seq) {
        Segment s = find(seq);
        if (s == null) {
            return false;
        }
        int freed = s.kill(s.index(seq));
        if (freed < 0) {
            return false;
        }
        liveEntries--;
        liveBytes -= freed;
        return true;
    }

    /** Kills the oldest live telemetry entry and returns its seq, or -1 if there is none. */
    long dropOldestTelemetry() {
        for (Segment s : from(dropHint)) {
            for (long seq = Math.max(dropHint, s.baseSeq); seq < s.endSeq(); seq++) {
                int i = s.index(seq);
                if (s.isLive(i) && s.kind(i).droppable()) {
                    kill(seq);
                    dropHint = seq + 1;
                    return seq;
                }
            }
            dropHint = Math.max(dropHint, s.endSeq());
        }
        return -1;
    }

    /** The first live seq above {@code afterSeq} and at most {@code upTo}, or -1. */
    long nextLive(long afterSeq, long upTo) {
        long start = Math.max(afterSeq + 1, headHint);
        boolean fromHead = start == headHint;
        for (Segment s : from(start)) {
            for (long seq = Math.max(start, s.baseSeq); seq < s.endSeq(); seq++) {
                if (s.isLive(s.index(seq))) {
                    if (fromHead) {
                        headHint = seq;
                    }
                    return seq <= upTo ? seq : -1;
                }
            }
        }
        if (fromHead && !segments.isEmpty()) {
            headHint = Math.max(headHint, segments.lastEntry().getValue().endSeq());
        }
        return -1;
    }

    /** The highest seq such that every seq at or below it is dead; {@code lastSeq} if nothing is live. */
    long watermark(long lastSeq) {
        long first = nextLive(headHint - 1, Long.MAX_VALUE);
        return first < 0 ? lastSeq : first - 1;
    }

    /** Removes and returns the segments, other than {@code keep}, that hold nothing live. */
    List<Segment> removeDead(Segment keep) {
        List<Segment> dead = new ArrayList<>();
        for (Iterator<Segment> it = segments.values().iterator(); it.hasNext(); ) {
            Segment s = it.next();
            if (s != keep && s.live() == 0) {
                it.remove();
                dead.add(s);
            }
        }
        return dead;
    }

    /** The segment holding {@code seq}, or null. */
    Segment find(long seq) {
        Map.Entry<Long, Segment> e = segments.floorEntry(seq);
        return e != null && e.getValue().contains(seq) ? e.getValue() : null;
    }

    long liveEntries() {
        return liveEntries;
    }

    long liveBytes() {
        return liveBytes;
    }

    int segmentCount() {
        return segments.size();
    }

    long diskBytes() {
        long sum = 0;
        for (Segment s : segments.values()) {
            sum += s.size();
        }
        return sum;
    }

    private Iterable<Segment> from(long seq) {
        Long floor = segments.floorKey(seq);
        return segments.tailMap(floor == null ? Long.MIN_VALUE : floor, true).values();
    }
}
