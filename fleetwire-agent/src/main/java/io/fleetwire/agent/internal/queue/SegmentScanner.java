package io.fleetwire.agent.internal.queue;

import java.io.IOException;
import java.io.RandomAccessFile;

/**
 * Reads one segment file on opening and reports its valid records in order. Damage (a bad CRC, an
 * impossible length, zeros) does not end the scan: it looks for the next valid record byte by byte,
 * accepting only the seqs that could fit in the bytes skipped (a record takes at least
 * {@value RecordCodec#HEADER} bytes), so one flipped byte costs one record, not the rest of the file.
 * Damage with no valid record after it is a damaged tail; the caller decides what it means.
 *
 * <p>Reads through a window of twice {@link RecordCodec#MAX_RECORD} (2 MiB), reused across segments.
 * Not thread-safe; used only while the queue opens.
 */
final class SegmentScanner {

    /** Receives each valid record. */
    interface Sink {
        void record(long seq, int offset, int payloadLength, Kind kind);
    }

    /**
     * @param validEnd      where the valid data ends: the file's length, or the start of a damaged tail
     * @param lostRecords   seqs skipped over in damage with valid records after it
     * @param damagedTail   whether the file ends in bytes that are not a valid record
     */
    record Result(long validEnd, long lostRecords, boolean damagedTail) {
    }

    /** Offsets are ints in the index: anything past this in a file is treated as damage. */
    private static final long MAX_FILE = DiskQueueConfig.MAX_SEGMENT_BYTES + RecordCodec.MAX_RECORD;

    private final byte[] window = new byte[2 * RecordCodec.MAX_RECORD];
    private RandomAccessFile file;
    private long length;
    private long windowStart;
    private int windowLength;

    /** Scans {@code file}, whose first record must have seq {@code firstSeq}. */
    Result scan(RandomAccessFile file, long firstSeq, Sink sink) throws IOException {
        this.file = file;
        this.length = Math.min(file.length(), MAX_FILE);
        this.windowStart = 0;
        this.windowLength = 0;
        long pos = 0;
        long expected = firstSeq;
        long damageStart = -1;
        long lost = 0;
        while (pos < length) {
            long slack = damageStart < 0 ? 0 : (pos - damageStart) / RecordCodec.HEADER;
            int available = fill(pos);
            RecordCodec.Decoded d = RecordCodec.decode(window, (int) (pos - windowStart), available,
                    expected, expected + slack);
            if (d == null) {
                damageStart = damageStart < 0 ? pos : damageStart;
                pos++;
                continue;
            }
            if (damageStart >= 0) {
                lost += Math.max(1, d.seq() - expected);
                damageStart = -1;
            }
            sink.record(d.seq(), (int) pos, d.payloadLength(), d.kind());
            expected = d.seq() + 1;
            pos += d.size();
        }
        return damageStart < 0 ? new Result(length, lost, length < file.length())
                : new Result(damageStart, lost, true);
    }

    /** Makes the window hold {@code pos} and as much after it as fits; the bytes available from {@code pos}. */
    private int fill(long pos) throws IOException {
        long windowEnd = windowStart + windowLength;
        if (pos < windowStart || windowEnd - pos < RecordCodec.MAX_RECORD && windowEnd < length) {
            windowStart = pos;
            windowLength = 0;
            int want = (int) Math.min(window.length, length - pos);
            file.seek(pos);
            while (windowLength < want) {
                int n = file.read(window, windowLength, want - windowLength);
                if (n < 0) {
                    break;
                }
                windowLength += n;
            }
        }
        return (int) (windowStart + windowLength - pos);
    }
}
