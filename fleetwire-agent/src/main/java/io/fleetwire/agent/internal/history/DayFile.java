package io.fleetwire.agent.internal.history;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

/**
 * The format of one UTC day of history, {@code YYYY-MM-DD.fwh}: the magic {@code FWH1}, then
 * records, big-endian:
 * <pre>
 *   int  length   payload length, 1 .. {@value #MAX_PAYLOAD}
 *   int  crc      CRC32C of the payload
 *   payload       'N' short first, short n, n × (short len, UTF-8 name)   names n° first.. of this file
 *              or 'M' int epochMinute, short n, n × (short name, int count, float min, float max, double sum)
 * </pre>
 * Names are numbered per file in the order they first appear, so a minute of 60 metrics takes
 * about 1.3 KB. A record counts only if it is whole, its CRC matches and its contents are possible
 * (known name numbers, count ≥ 1, min ≤ max); reading a file stops at the first record that does
 * not: a torn append after a crash, zeros left by a power loss or a flipped bit end the file there.
 */
final class DayFile {

    static final byte[] MAGIC = {'F', 'W', 'H', '1'};
    static final int MAX_PAYLOAD = 2 << 20;
    static final String SUFFIX = ".fwh";
    private static final byte NAMES = 'N';
    private static final byte MINUTE = 'M';

    /** Receives the stored minutes of a scan; returns false to stop it. */
    interface Sink {
        boolean minute(long epochMinute, String name, long count, double min, double max, double sum);
    }

    /**
     * What a scan found.
     *
     * @param validBytes how much of the file is magic plus whole, correct records
     * @param fileBytes  the file's length when read
     * @param names      the file's names, in number order
     */
    record Scan(long validBytes, long fileBytes, List<String> names) {
        boolean damaged() {
            return validBytes < fileBytes;
        }
    }

    private DayFile() {
    }

    static String fileName(LocalDate day) {
        return day + SUFFIX;
    }

    /** The day a file name stands for, or null when it is not a day file's name. */
    static LocalDate day(String fileName) {
        if (!fileName.endsWith(SUFFIX) || fileName.length() != 10 + SUFFIX.length()) {
            return null;
        }
        try {
            return LocalDate.parse(fileName.substring(0, 10));
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** A names record for {@code names}, numbered from {@code first}. */
    static byte[] names(int first, List<String> names) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(NAMES);
            out.writeShort(first);
            out.writeShort(names.size());
            for (String name : names) {
                byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
                out.writeShort(utf8.length);
                out.write(utf8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return frame(bytes.toByteArray());
    }

    /** A minute record: {@code numbers[i]} is the file's number for the name of {@code values[i]}. */
    static byte[] minute(long epochMinute, int[] numbers, Aggregate[] values) {
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + 2 + numbers.length * 22);
        b.put(MINUTE).putInt(Math.toIntExact(epochMinute)).putShort((short) numbers.length);
        for (int i = 0; i < numbers.length; i++) {
            Aggregate a = values[i];
            b.putShort((short) numbers[i]).putInt((int) Math.min(Integer.MAX_VALUE, a.count))
                    .putFloat((float) a.min).putFloat((float) a.max).putDouble(a.sum);
        }
        return frame(b.array());
    }

    private static byte[] frame(byte[] payload) {
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("history record of " + payload.length + " bytes");
        }
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return ByteBuffer.allocate(8 + payload.length).putInt(payload.length).putInt((int) crc.getValue()).put(payload).array();
    }

    /**
     * Reads {@code file} (its first {@code limit} bytes at most), handing {@code sink} the stored values of the minutes in
     * [{@code fromMinute}, {@code toMinute}) whose names pass {@code wanted} ({@code sink} may be
     * null: then only names and the valid length are gathered). A missing file reads as empty.
     */
    static Scan scan(Path file, long limit, long fromMinute, long toMinute, Predicate<String> wanted, Sink sink) throws IOException {
        List<String> names = new ArrayList<>();
        long fileBytes;
        long valid = 0;
        try (InputStream raw = Files.newInputStream(file); InputStream in = new BufferedInputStream(raw, 16 << 10)) {
            fileBytes = Files.size(file);
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                return new Scan(0, fileBytes, names);
            }
            valid = MAGIC.length;
            byte[] header = new byte[8];
            byte[] payload = new byte[4096];
            CRC32C crc = new CRC32C();
            while (true) {
                if (valid + 8 > limit || in.readNBytes(header, 0, 8) < 8) {
                    break;
                }
                ByteBuffer h = ByteBuffer.wrap(header);
                int length = h.getInt();
                int expected = h.getInt();
                if (length < 1 || length > MAX_PAYLOAD || valid + 8 + length > limit) {
                    break;
                }
                if (payload.length < length) {
                    payload = new byte[Math.max(length, payload.length * 2)];
                }
                if (in.readNBytes(payload, 0, length) < length) {
                    break;
                }
                crc.reset();
                crc.update(payload, 0, length);
                if ((int) crc.getValue() != expected) {
                    break;
                }
                Boolean more = decode(ByteBuffer.wrap(payload, 0, length), names, fromMinute, toMinute, wanted, sink);
                if (more == null) {
                    break;
                }
                valid += 8 + length;
                if (!more) {
                    break;
                }
            }
        } catch (NoSuchFileException | EOFException e) {
            return new Scan(valid, valid, names);
        }
        return new Scan(valid, fileBytes, names);
    }

    /** True to go on, false when the sink asked to stop, null when the record is impossible. */
    private static Boolean decode(ByteBuffer b, List<String> names, long fromMinute, long toMinute,
                                  Predicate<String> wanted, Sink sink) {
        try {
            byte kind = b.get();
            if (kind == NAMES) {
                int first = Short.toUnsignedInt(b.getShort());
                int n = Short.toUnsignedInt(b.getShort());
                if (first != names.size() || first + n > 65_535) {
                    return null;
                }
                List<String> added = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    byte[] utf8 = new byte[Short.toUnsignedInt(b.getShort())];
                    b.get(utf8);
                    added.add(new String(utf8, StandardCharsets.UTF_8));
                }
                if (b.hasRemaining()) {
                    return null;
                }
                names.addAll(added);
                return true;
            }
            if (kind != MINUTE) {
                return null;
            }
            long minute = b.getInt();
            int n = Short.toUnsignedInt(b.getShort());
            if (b.remaining() != n * 22) {
                return null;
            }
            int start = b.position();
            for (int i = 0; i < n; i++) {
                int number = Short.toUnsignedInt(b.getShort());
                int count = b.getInt();
                float min = b.getFloat();
                float max = b.getFloat();
                double sum = b.getDouble();
                if (number >= names.size() || count < 1 || !(min <= max) || !Double.isFinite(sum)) {
                    return null;
                }
            }
            if (sink == null || minute < fromMinute || minute >= toMinute) {
                return true;
            }
            b.position(start);
            for (int i = 0; i < n; i++) {
                String name = names.get(Short.toUnsignedInt(b.getShort()));
                int count = b.getInt();
                float min = b.getFloat();
                float max = b.getFloat();
                double sum = b.getDouble();
                if (wanted.test(name) && !sink.minute(minute, name, count, min, max, sum)) {
                    return false;
                }
            }
            return true;
        } catch (BufferUnderflowException e) {
            return null;
        }
    }
}
