package io.fleetwire.agent.internal.queue;

import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.Arrays;

/**
 * Reads entries back from their segment files for {@link DiskQueue#pending}, checking each record
 * again (seq, kind, CRC). Reads the current segment through its writer and keeps one older segment
 * file open at a time. Used under the queue's lock, for one call; not thread-safe.
 */
final class EntryReader implements AutoCloseable {

    private final Backlog backlog;
    private final SegmentWriter current;
    private Segment openSegment;
    private RandomAccessFile openFile;

    EntryReader(Backlog backlog, SegmentWriter current) {
        this.backlog = backlog;
        this.current = current;
    }

    /** The entry {@code seq}, which the backlog holds, or null if its record on disk is damaged. */
    Entry read(long seq) throws IOException {
        Segment s = backlog.find(seq);
        int i = s.index(seq);
        byte[] record;
        try {
            record = bytes(s, s.offset(i), RecordCodec.HEADER + s.length(i));
        } catch (EOFException e) {
            return null; // the file was cut short behind the queue's back: damaged data, not an I/O error
        }
        RecordCodec.Decoded d = RecordCodec.decode(record, 0, record.length, seq, seq);
        if (d == null || d.kind() != s.kind(i)) {
            return null;
        }
        return new Entry(seq, d.kind(), Arrays.copyOfRange(record, RecordCodec.HEADER, record.length));
    }

    private byte[] bytes(Segment s, int offset, int length) throws IOException {
        if (s == current.segment()) {
            return current.read(offset, length);
        }
        if (s != openSegment) {
            close();
            openFile = new RandomAccessFile(s.path.toFile(), "r");
            openSegment = s;
        }
        byte[] bytes = new byte[length];
        openFile.seek(offset);
        openFile.readFully(bytes);
        return bytes;
    }

    @Override
    public void close() throws IOException {
        if (openFile != null) {
            openFile.close();
            openFile = null;
            openSegment = null;
        }
    }
}
