package io.fleetwire.agent.internal.queue;

import java.io.IOException;
import java.io.RandomAccessFile;

/**
 * The open file of the segment being appended to. A {@link RandomAccessFile} rather than a
 * FileChannel on purpose: an interrupt closes a FileChannel under every thread using it, and the
 * agent interrupts its worker threads (command timeouts, shutdown), any of which may append.
 *
 * <p>Threading: {@link #append} and {@link #read} run under the queue's lock (they move the file
 * pointer). {@link #sync} runs outside it, from the group-commit leader, concurrently with appends;
 * it and {@link #seal} are synchronized so a segment is never closed during its fsync, and a sync of
 * a sealed segment does nothing (sealing synced it).
 */
final class SegmentWriter {

    private final Segment segment;
    private final RandomAccessFile file;
    private long size;
    private boolean sealed;
    private boolean broken;
    private IOException sealFailure;

    private SegmentWriter(Segment segment, RandomAccessFile file, long size) {
        this.segment = segment;
        this.file = file;
        this.size = size;
    }

    /** A new, empty segment file (the caller syncs the directory). */
    static SegmentWriter create(Segment segment) throws IOException {
        RandomAccessFile file = new RandomAccessFile(segment.path.toFile(), "rw");
        if (file.length() != 0) {
            file.close();
            throw new IOException("segment " + segment.path + " already exists");
        }
        segment.size(0);
        return new SegmentWriter(segment, file, 0);
    }

    /** Continues a recovered segment after its last valid record (recovery cut off any torn tail). */
    static SegmentWriter reopen(Segment segment) throws IOException {
        RandomAccessFile file = new RandomAccessFile(segment.path.toFile(), "rw");
        file.setLength(segment.size());
        return new SegmentWriter(segment, file, segment.size());
    }

    Segment segment() {
        return segment;
    }

    long size() {
        return size;
    }

    /** True once a failed write could not be undone: the file's end is unknown. */
    boolean broken() {
        return broken;
    }

    /** Writes a record at the end; returns its offset. A failed write is cut off again before throwing. */
    int append(byte[] record) throws IOException {
        long at = size;
        try {
            file.seek(at);
            file.write(record);
        } catch (IOException e) {
            try {
                file.setLength(at);
            } catch (IOException undo) {
                e.addSuppressed(undo);
                broken = true;
            }
            throw e;
        }
        size = at + record.length;
        segment.size(size);
        return (int) at;
    }

    byte[] read(int offset, int length) throws IOException {
        byte[] bytes = new byte[length];
        file.seek(offset);
        file.readFully(bytes);
        return bytes;
    }

    synchronized void sync() throws IOException {
        if (sealFailure != null) {
            throw new IOException("the segment " + segment.path + " could not be synced when it was sealed", sealFailure);
        }
        if (!sealed) {
            file.getFD().sync();
        }
    }

    /** Syncs and closes the file: every record in it is durable, or this throws (and so does every later sync). */
    synchronized void seal() throws IOException {
        if (sealed) {
            return;
        }
        sealed = true;
        try {
            file.getFD().sync();
        } catch (IOException e) {
            sealFailure = e;
            throw e;
        } finally {
            file.close();
        }
    }
}
