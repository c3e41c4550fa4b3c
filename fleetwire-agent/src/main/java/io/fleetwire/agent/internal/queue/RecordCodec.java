package io.fleetwire.agent.internal.queue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The record format of segment files, big-endian:
 * <pre>
 *   int  length   payload length, 0 .. {@value #MAX_PAYLOAD}
 *   int  crc      CRC32C of the bytes that follow it (seq, kind, payload)
 *   long seq
 *   byte kind     {@link Kind#code}
 *   byte[length] payload
 * </pre>
 * A record is accepted only if it is whole, its length and kind are possible and its CRC matches, so
 * a torn write, zeros left by a power loss or a flipped bit are all told apart from data.
 */
final class RecordCodec {

    static final int HEADER = 17;
    static final int MAX_PAYLOAD = 1 << 20;
    static final int MAX_RECORD = HEADER + MAX_PAYLOAD;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** A record found in a buffer: where its payload is, and how many bytes it takes in all. */
    record Decoded(long seq, Kind kind, int payloadOffset, int payloadLength) {
        int size() {
            return HEADER + payloadLength;
        }
    }

    private RecordCodec() {
    }

    static byte[] encode(long seq, Kind kind, byte[] payload) {
        byte[] record = new byte[HEADER + payload.length];
        INT.set(record, 0, payload.length);
        LONG.set(record, 8, seq);
        record[16] = kind.code;
        System.arraycopy(payload, 0, record, HEADER, payload.length);
        INT.set(record, 4, crc(record, 8, record.length - 8));
        return record;
    }

    /**
     * The record starting at {@code buf[off]}, given {@code available} bytes from there, if it is whole
     * and valid and its seq lies in {@code [minSeq, maxSeq]}; otherwise null. The seq is checked before
     * the CRC so that scanning damaged bytes for the next record stays cheap.
     */
    static Decoded decode(byte[] buf, int off, int available, long minSeq, long maxSeq) {
        if (available < HEADER) {
            return null;
        }
        int length = (int) INT.get(buf, off);
        if (length < 0 || length > MAX_PAYLOAD || length > available - HEADER) {
            return null;
        }
        long seq = (long) LONG.get(buf, off + 8);
        Kind kind = Kind.fromCode(buf[off + 16]);
        if (seq < minSeq || seq > maxSeq || kind == null) {
            return null;
        }
        if ((int) INT.get(buf, off + 4) != crc(buf, off + 8, HEADER - 8 + length)) {
            return null;
        }
        return new Decoded(seq, kind, off + HEADER, length);
    }

    private static int crc(byte[] buf, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(buf, off, len);
        return (int) crc.getValue();
    }
}
