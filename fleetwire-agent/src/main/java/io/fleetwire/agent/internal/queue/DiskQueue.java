package io.fleetwire.agent.internal.queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;

/**
 * The agent's crash-safe outgoing queue: every outgoing message gets the next sequence number and is
 * kept on disk until the hub acknowledges that seq; after a reconnect the backlog is read back in
 * order with {@link #pending}.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>{@link #append} returns only once the record is fsynced. A {@code kill -9} or a power loss at
 *   any moment never leaves the queue unreadable and never loses an entry whose append returned (given
 *   a disk that honours fsync).</li>
 *   <li>Seqs start at 1 and strictly increase, across restarts too, even when everything was
 *   acknowledged and every segment deleted.</li>
 *   <li>{@link #pending} returns only durable entries: a seq that could still vanish in a crash (and
 *   then be given out again for another message) is never handed out for sending.</li>
 *   <li>An acknowledged entry is never returned again by this queue object. After a restart two
 *   kinds may come back: entries acknowledged out of order, above the watermark (unless their whole
 *   segment was deleted meanwhile), and entries acknowledged in the last
 *   {@link DiskQueueConfig#watermarkInterval} before a crash. The hub de-duplicates by seq, so a
 *   replay is harmless.</li>
 *   <li>Budget: when unacknowledged entries take more than {@link DiskQueueConfig#budgetBytes}, the
 *   oldest {@link Kind#TELEMETRY} entries are dropped (treated as acknowledged), counted in
 *   {@link Stats#droppedTelemetry} and logged, until it fits; the entry just appended may be one of
 *   them. {@link Kind#RELIABLE} entries are never dropped, so reliable entries alone may exceed the
 *   budget. Files on disk may exceed it too: a segment is deleted only once nothing in it is live.</li>
 * </ul>
 *
 * <h2>On disk</h2>
 * Segment files {@code seg-<first seq, 20 digits>.log} of records (see {@link RecordCodec}: length,
 * CRC32C, seq, kind, payload); a new segment starts when the current one would pass
 * {@link DiskQueueConfig#segmentBytes}, after the old one is fsynced, and the new file's directory
 * entry is fsynced before anything in it counts as durable. The file {@code acked.watermark} holds
 * the highest seq at or below which everything is acknowledged or dropped, replaced atomically (temp
 * file, fsync, rename, directory fsync) by a housekeeper thread at most every
 * {@link DiskQueueConfig#watermarkInterval}, so that {@link #ack} itself never touches the disk. Acks
 * above the watermark (acks may come out of order) are kept in memory only. The housekeeper also
 * deletes segments that hold nothing live. Opening reads everything back ({@link Recovery}), cuts a
 * torn write off the newest segment, keeps the valid records around damage elsewhere and counts what
 * was lost; it throws only on real I/O errors. The next seq is above every seq found and the
 * watermark, and at least the newest segment's first seq (its name). Seqs of a torn write are given
 * out again: their appends never returned, so they were never sent.
 *
 * <h2>Memory</h2>
 * Payloads stay on disk; the index holds about nine bytes per record still on disk.
 *
 * <h2>Threading</h2>
 * All methods may be called from any thread. One lock guards the index, the seq counter and the
 * current segment's file position: {@link #append} holds it while it writes its record (not while it
 * fsyncs; that is {@link GroupCommit}'s, outside this lock), {@link #ack} and {@link #stats} briefly,
 * {@link #pending} while it reads its entries from disk. It is also held across a segment roll (two
 * fsyncs, once per segment), so an ack may wait that long; {@code ack} never does I/O itself. After a
 * failed fsync or a write that could not be undone the queue refuses appends until reopened.
 */
public final class DiskQueue implements AutoCloseable {

    /** The largest payload {@link #append} takes: 1 MiB. */
    public static final int MAX_PAYLOAD = RecordCodec.MAX_PAYLOAD;

    private static final Logger log = LoggerFactory.getLogger(DiskQueue.class);
    private static final long DROP_LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final DiskQueueConfig config;
    private final Path dir;
    private final GroupCommit commit;
    private final ReentrantLock lock = new ReentrantLock();
    /** The budget now: the configured one until {@link #budgetBytes(long)} changes it (the hub's setting). */
    private volatile long budgetBytes;
    private final Backlog backlog = new Backlog();
    private final Housekeeper housekeeper;
    // guarded by lock
    private SegmentWriter writer;
    private long nextSeq;
    private long droppedTelemetry;
    private long corruptRecords;
    private long droppedSinceLog;
    private long lastDropLog;
    private boolean closed;
    private IOException failure;

    private DiskQueue(DiskQueueConfig config) throws IOException {
        this.config = config;
        this.budgetBytes = config.budgetBytes();
        this.dir = config.directory();
        Files.createDirectories(dir);
        WatermarkFile watermarkFile = new WatermarkFile(dir);
        long watermark = watermarkFile.read();
        Recovery.Result recovered = Recovery.run(dir, watermark, backlog);
        Segment last = recovered.last();
        corruptRecords = recovered.lostRecords();
        nextSeq = Math.max(watermark + 1, last == null ? 1 : last.endSeq());
        if (last != null && last.endSeq() == nextSeq && last.size() < config.segmentBytes()
                && last.path.equals(Segment.startingAt(dir, last.baseSeq).path)) {
            writer = SegmentWriter.reopen(last);
        } else {
            startSegment(nextSeq);
        }
        commit = new GroupCommit(this::flush, config.syncInterval().toNanos(), nextSeq - 1);
        housekeeper = new Housekeeper(watermarkFile, config.watermarkInterval(), this::tidyPlan);
        housekeeper.delete(recovered.emptyFiles());
        lock.lock();
        try {
            enforceBudget();
        } finally {
            lock.unlock();
        }
        housekeeper.tidy();
        housekeeper.start();
        log.info("queue {} open: {} entries pending in {} segment files, next seq {}", dir, backlog.liveEntries(),
                backlog.segmentCount(), nextSeq);
    }

    /** Opens (creating if needed) the queue in {@code config.directory()} and reads it back. */
    public static DiskQueue open(DiskQueueConfig config) {
        try {
            return new DiskQueue(Objects.requireNonNull(config, "config"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the queue in " + config.directory(), e);
        }
    }

    /**
     * Stores {@code payload} under the next seq and returns that seq once it is on disk.
     *
     * @throws IllegalArgumentException if the payload is over {@link #MAX_PAYLOAD}
     * @throws IllegalStateException    if the queue is closed
     * @throws UncheckedIOException     on an I/O error
     */
    public long append(Kind kind, byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        requireSize(payload.length);
        return append(kind, seq -> payload);
    }

    /**
     * As {@link #append(Kind, byte[])}, for a payload that contains its own seq: {@code payloadForSeq}
     * is called once with the seq being given out, under the queue's lock, so it must be quick and
     * must not call this queue.
     */
    public long append(Kind kind, LongFunction<byte[]> payloadForSeq) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payloadForSeq, "payloadForSeq");
        commit.begin();
        long seq;
        try {
            seq = write(kind, payloadForSeq);
        } catch (RuntimeException | Error e) {
            commit.abandon();
            throw e;
        }
        commit.await(seq);
        return seq;
    }

    /** The hub acknowledged {@code seq}. Unknown, repeated and out-of-order acks are fine; after close, ignored. */
    public void ack(long seq) {
        lock.lock();
        try {
            if (!closed && backlog.kill(seq)) {
                housekeeper.request();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Unacknowledged, durable entries with a seq above {@code afterSeq}, oldest first, at most
     * {@code max}: the backlog to send after a reconnect ({@code afterSeq} 0), then page by page.
     * Read from disk; a record found damaged is skipped and counted.
     */
    public List<Entry> pending(long afterSeq, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative, was " + max);
        }
        lock.lock();
        try {
            requireOpen();
            long upTo = commit.durable();
            List<Entry> out = new ArrayList<>(Math.min(max, 256));
            try (EntryReader reader = new EntryReader(backlog, writer)) {
                long after = afterSeq;
                while (out.size() < max) {
                    long seq = backlog.nextLive(after, upTo);
                    if (seq < 0) {
                        break;
                    }
                    after = seq;
                    Entry e = reader.read(seq);
                    if (e != null) {
                        out.add(e);
                    } else {
                        log.warn("record {} of queue {} is damaged on disk and is skipped", seq, dir);
                        backlog.kill(seq);
                        corruptRecords++;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the queue in " + dir, e);
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    public Stats stats() {
        lock.lock();
        try {
            return new Stats(backlog.liveEntries(), backlog.liveBytes(), droppedTelemetry, backlog.segmentCount(),
                    backlog.diskBytes(), backlog.watermark(nextSeq - 1), nextSeq - 1, corruptRecords,
                    commit.flushes());
        } finally {
            lock.unlock();
        }
    }

    /** Syncs and closes the current segment, stops the housekeeper and writes the watermark. */
    @Override
    public void close() {
        IOException error = null;
        long written;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            written = nextSeq - 1;
            try {
                writer.seal();
            } catch (IOException e) {
                error = e;
            }
        } finally {
            lock.unlock();
        }
        if (error == null) {
            commit.markDurable(written);
        } else {
            commit.fail(error);
        }
        housekeeper.close();
        if (error != null) {
            throw new UncheckedIOException("cannot sync the queue in " + dir + " on close", error);
        }
    }

    private long write(Kind kind, LongFunction<byte[]> payloadForSeq) {
        lock.lock();
        try {
            requireOpen();
            if (failure != null) {
                throw new UncheckedIOException("the queue in " + dir + " failed earlier; reopen it", failure);
            }
            long seq = nextSeq;
            byte[] payload = Objects.requireNonNull(payloadForSeq.apply(seq), "payload");
            requireSize(payload.length);
            byte[] record = RecordCodec.encode(seq, kind, payload);
            int offset;
            try {
                if (writer.size() > 0 && writer.size() + record.length > config.segmentBytes()) {
                    roll(seq);
                }
                offset = writer.append(record);
            } catch (IOException e) {
                if (writer.broken()) {
                    failure = e;
                }
                throw new UncheckedIOException("cannot write to the queue in " + dir, e);
            }
            backlog.add(writer.segment(), seq, offset, payload.length, kind, false);
            nextSeq = seq + 1;
            enforceBudget();
            return seq;
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: seals the current segment (its records become durable) and starts one at {@code seq}. */
    private void roll(long seq) throws IOException {
        try {
            writer.seal();
            startSegment(seq);
        } catch (IOException e) {
            failure = e;
            commit.fail(e); // appenders waiting on the sealed segment must not be told it is durable
            throw e;
        }
        housekeeper.request();
    }

    private void startSegment(long seq) throws IOException {
        Segment segment = Segment.startingAt(dir, seq);
        writer = SegmentWriter.create(segment);
        backlog.addSegment(segment);
        DirectorySync.sync(dir);
    }

    /** The group-commit leader's flush: everything written so far is in the current segment or a sealed one. */
    private long flush() throws IOException {
        SegmentWriter current;
        long written;
        lock.lock();
        try {
            current = writer;
            written = nextSeq - 1;
        } finally {
            lock.unlock();
        }
        current.sync();
        return written;
    }

    /** Changes the budget; a smaller one drops the oldest telemetry at once. */
    public void budgetBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("budgetBytes must be positive, was " + bytes);
        }
        lock.lock();
        try {
            budgetBytes = bytes;
            enforceBudget();
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: drops the oldest telemetry while over budget. */
    private void enforceBudget() {
        long dropped = 0;
        while (backlog.liveBytes() > budgetBytes && backlog.dropOldestTelemetry() >= 0) {
            dropped++;
        }
        if (dropped == 0) {
            return;
        }
        droppedTelemetry += dropped;
        droppedSinceLog += dropped;
        housekeeper.request();
        long now = System.nanoTime();
        if (lastDropLog == 0 || now - lastDropLog >= DROP_LOG_EVERY_NANOS) {
            log.warn("queue {} is over its budget of {} bytes: dropped the {} oldest telemetry entries ({} since opening)",
                    dir, budgetBytes, droppedSinceLog, droppedTelemetry);
            lastDropLog = now;
            droppedSinceLog = 0;
        }
    }

    /** The housekeeper's round: the watermark to write and the segments to delete, taken under the lock. */
    private Housekeeper.Plan tidyPlan() {
        lock.lock();
        try {
            List<Path> deletable = backlog.removeDead(writer.segment()).stream().map(seg -> seg.path).toList();
            return new Housekeeper.Plan(backlog.watermark(nextSeq - 1), deletable);
        } finally {
            lock.unlock();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the queue in " + dir + " is closed");
        }
    }

    private static void requireSize(int length) {
        if (length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload of " + length + " bytes is over the limit of " + MAX_PAYLOAD);
        }
    }
}
