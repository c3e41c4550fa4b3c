package io.fleetwire.agent.internal.outbox;

import io.fleetwire.protocol.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * An {@link Outbox} in memory, bounded: for agents embedded where a disk is not wanted, and for
 * tests. Lost when the process ends. When full, the oldest telemetry goes first; receipts and
 * results are kept even past the bound. Thread-safe.
 */
public final class MemoryOutbox implements Outbox {

    private final int capacity;
    private final TreeMap<Long, Entry> entries = new TreeMap<>();
    private final TreeMap<Long, Kind> kinds = new TreeMap<>();
    private long nextSeq = 1;
    private long dropped;

    public MemoryOutbox(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    @Override
    public synchronized long append(Kind kind, LongFunction<Message> message) {
        long seq = nextSeq++;
        entries.put(seq, new Entry(seq, message.apply(seq)));
        kinds.put(seq, kind);
        while (entries.size() > capacity) {
            Long oldestTelemetry = kinds.entrySet().stream().filter(e -> e.getValue() == Kind.TELEMETRY)
                    .map(java.util.Map.Entry::getKey).findFirst().orElse(null);
            if (oldestTelemetry == null) {
                break;
            }
            entries.remove(oldestTelemetry);
            kinds.remove(oldestTelemetry);
            dropped++;
        }
        return seq;
    }

    @Override
    public synchronized void ack(long seq) {
        entries.remove(seq);
        kinds.remove(seq);
    }

    @Override
    public synchronized List<Entry> pending(long afterSeq, int max) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.tailMap(afterSeq, false).values()) {
            if (out.size() == max) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public synchronized Health health() {
        return new Health(entries.size(), dropped, 0);
    }

    public synchronized long dropped() {
        return dropped;
    }

    @Override
    public void close() {
    }
}
