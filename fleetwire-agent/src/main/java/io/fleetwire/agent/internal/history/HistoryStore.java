package io.fleetwire.agent.internal.history;

import io.fleetwire.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The device's own telemetry history: every sample {@link #record}ed is flattened into named
 * numbers ({@link SampleFlattener}) and added to the aggregates (count, min, max, sum) of its UTC
 * minute. A minute is written to its day file ({@link DayFile}) in one append when a sample of
 * another minute arrives (or on {@link #flush}/{@link #close}), so the disk sees one write a minute,
 * not one a sample. Appends are not fsynced: a crash loses at most the open minute and what the OS
 * had not yet written; a torn record is cut off when its file is next written to, and skipped by
 * readers until then.
 *
 * <p>Bounded: day files older than {@link HistoryConfig#maxAge} and, past
 * {@link HistoryConfig#maxBytes}, the oldest day files are deleted; when the day being written is
 * all that is left and still too big, its further minutes are dropped and counted.
 *
 * <p>Threading: {@link #record} is called on the telemetry thread (or a library user's), queries
 * run on the command worker. Both hold this store's lock only for in-memory work and the one
 * append; a query reads the files outside the lock, each up to its length when the query began, so
 * a minute written meanwhile is not counted twice.
 */
public final class HistoryStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HistoryStore.class);
    /** Samples stamped further ahead than this (a wrong clock, a caller's mistake) are not kept. */
    static final Duration MAX_AHEAD = Duration.ofHours(1);
    private static final int NAMES_PER_RECORD = 1_000;

    private final HistoryConfig config;
    private final Clock clock;
    private final TreeMap<LocalDate, Long> files = new TreeMap<>();
    private long totalBytes;
    private LocalDate writerDay;
    private FileChannel channel;
    private final Map<String, Integer> numbers = new HashMap<>();
    private long openMinute = Long.MIN_VALUE;
    private Map<String, Aggregate> open = new HashMap<>();
    private long droppedMinutes;
    private boolean failing;
    private boolean closed;

    private HistoryStore(HistoryConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Opens (creating if needed) the history in {@code config.directory()}, applying its limits at once. */
    public static HistoryStore open(HistoryConfig config, Clock clock) {
        HistoryStore store = new HistoryStore(config, clock);
        try {
            Files.createDirectories(config.directory());
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(config.directory(), "*" + DayFile.SUFFIX)) {
                for (Path p : dir) {
                    LocalDate day = DayFile.day(p.getFileName().toString());
                    if (day != null && Files.isRegularFile(p)) {
                        long size = Files.size(p);
                        store.files.put(day, size);
                        store.totalBytes += size;
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot keep telemetry history in " + config.directory() + ": " + e, e);
        }
        synchronized (store) {
            store.applyRetention();
            while (store.totalBytes > config.maxBytes() && !store.files.isEmpty()) {
                store.delete(store.files.firstKey(), "over the history's " + config.maxBytes() + " bytes");
            }
        }
        return store;
    }

    /** Adds a sample to its minute. Never throws: history must not cost the device its telemetry. */
    public void record(Message.Sample sample) {
        try {
            Instant now = clock.instant();
            if (sample.ts().isBefore(now.minus(config.maxAge())) || sample.ts().isAfter(now.plus(MAX_AHEAD))) {
                log.debug("Sample of {} not kept in the history: outside its {} or more than {} ahead",
                        sample.ts(), config.maxAge(), MAX_AHEAD);
                return;
            }
            long minute = Math.floorDiv(sample.ts().toEpochMilli(), 60_000L);
            Map<String, Double> values = SampleFlattener.flatten(sample);
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (minute != openMinute) {
                    flushOpen();
                    openMinute = minute;
                }
                for (Map.Entry<String, Double> e : values.entrySet()) {
                    Aggregate a = open.get(e.getKey());
                    if (a == null) {
                        if (open.size() >= config.maxNames()) {
                            continue;
                        }
                        a = new Aggregate();
                        open.put(e.getKey(), a);
                    }
                    a.add(e.getValue());
                }
            }
        } catch (RuntimeException e) {
            log.warn("Keeping a sample in the history failed: {}", e.toString());
        }
    }

    /** {@code source}, with every sample it takes also {@link #record}ed here. */
    public io.fleetwire.agent.TelemetrySource recording(io.fleetwire.agent.TelemetrySource source) {
        return () -> {
            Message.Sample sample = source.sample();
            if (sample != null) {
                record(sample);
            }
            return sample;
        };
    }

    /** Writes the open minute now (it is otherwise written when the next minute starts). */
    public synchronized void flush() {
        flushOpen();
    }

    /**
     * Hands {@code sink} every stored per-minute aggregate that overlaps [{@code from}, {@code to})
     * and whose name passes {@code wanted}, day file by day file and then the open minute; a minute
     * may come more than once (a minute written in two parts), its parts to be merged.
     */
    public void scan(Instant from, Instant to, Predicate<String> wanted, DayFile.Sink sink) throws IOException {
        long fromMinute = minuteOf(from, false);
        long toMinute = minuteOf(to, true);
        if (fromMinute >= toMinute) {
            return;
        }
        TreeMap<LocalDate, Long> limits;
        long snapshotMinute;
        Map<String, Aggregate> snapshot = new HashMap<>();
        synchronized (this) {
            limits = new TreeMap<>(files.subMap(dayOf(fromMinute), true, dayOf(toMinute - 1), true));
            snapshotMinute = openMinute;
            if (openMinute >= fromMinute && openMinute < toMinute) {
                open.forEach((name, a) -> snapshot.put(name, a.copy()));
            }
        }
        boolean[] stopped = {false};
        DayFile.Sink watching = (m, name, count, min, max, sum) -> {
            boolean more = sink.minute(m, name, count, min, max, sum);
            stopped[0] = !more;
            return more;
        };
        for (Map.Entry<LocalDate, Long> f : limits.entrySet()) {
            DayFile.scan(path(f.getKey()), f.getValue(), fromMinute, toMinute, wanted, watching);
            if (stopped[0]) {
                return;
            }
        }
        for (Map.Entry<String, Aggregate> e : new TreeMap<>(snapshot).entrySet()) {
            Aggregate a = e.getValue();
            if (wanted.test(e.getKey()) && !sink.minute(snapshotMinute, e.getKey(), a.count, a.min, a.max, a.sum)) {
                return;
            }
        }
    }

    /** The start of the oldest minute held, if any. */
    public Optional<Instant> oldest() throws IOException {
        long[] found = {Long.MIN_VALUE};
        scan(Instant.EPOCH, clock.instant().plus(MAX_AHEAD).plusSeconds(60), name -> true, (m, n, c, min, max, sum) -> {
            found[0] = m;
            return false;
        });
        return found[0] == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochSecond(found[0] * 60));
    }

    /** Minutes not written because the history was full or the disk failed. */
    public synchronized long droppedMinutes() {
        return droppedMinutes;
    }

    /** Bytes of day files held. */
    public synchronized long bytes() {
        return totalBytes;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            flushOpen();
            closeWriter();
            closed = true;
        }
    }

    // ---- writing (all under the lock) ----

    private void flushOpen() {
        if (open.isEmpty()) {
            return;
        }
        Map<String, Aggregate> minute = open;
        open = new HashMap<>();
        try {
            write(openMinute, minute);
            if (failing) {
                log.info("Telemetry history is written again");
                failing = false;
            }
        } catch (IOException | RuntimeException e) {
            droppedMinutes++;
            closeWriter(); // a torn append is cut off when the file is opened again
            if (!failing) {
                log.warn("Writing the telemetry history failed (minutes are dropped until it works again): {}", e.toString());
                failing = true;
            }
        }
    }

    private void write(long minute, Map<String, Aggregate> values) throws IOException {
        LocalDate day = dayOf(minute);
        Instant cutoff = applyRetention();
        if (tooOld(day, cutoff)) {
            // A minute left open for days (a device asleep between two samples): already past the retention.
            log.debug("History minute {} not written: older than {}", minute, config.maxAge());
            return;
        }
        if (!day.equals(writerDay)) {
            openWriter(day);
        }
        List<String> fresh = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        List<Aggregate> aggregates = new ArrayList<>();
        for (Map.Entry<String, Aggregate> e : values.entrySet()) {
            Integer number = numbers.get(e.getKey());
            if (number == null) {
                if (numbers.size() + fresh.size() >= config.maxNames()) {
                    continue;
                }
                number = numbers.size() + fresh.size();
                fresh.add(e.getKey());
            }
            held.add(number);
            aggregates.add(e.getValue());
        }
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < fresh.size(); i += NAMES_PER_RECORD) {
            records.add(DayFile.names(numbers.size() + i, fresh.subList(i, Math.min(fresh.size(), i + NAMES_PER_RECORD))));
        }
        records.add(DayFile.minute(minute, held.stream().mapToInt(Integer::intValue).toArray(), aggregates.toArray(new Aggregate[0])));
        int length = records.stream().mapToInt(r -> r.length).sum();
        if (!makeRoom(day, length)) {
            droppedMinutes++;
            log.debug("History minute {} dropped: the day alone fills the history's {} bytes", minute, config.maxBytes());
            return;
        }
        ByteBuffer all = ByteBuffer.allocate(length);
        records.forEach(all::put);
        all.flip();
        while (all.hasRemaining()) {
            channel.write(all);
        }
        for (String name : fresh) {
            numbers.put(name, numbers.size());
        }
        files.merge(day, (long) length, Long::sum);
        totalBytes += length;
    }

    /** Opens the day's file for appending: its names are read back and a damaged tail is cut off. */
    private void openWriter(LocalDate day) throws IOException {
        closeWriter();
        Path file = path(day);
        DayFile.Scan scan = DayFile.scan(file, Long.MAX_VALUE, 0, 0, name -> false, null);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            long size = scan.validBytes();
            if (size == 0) {
                ch.truncate(0);
                ch.write(ByteBuffer.wrap(DayFile.MAGIC), 0);
                size = DayFile.MAGIC.length;
                if (scan.fileBytes() > 0) {
                    log.warn("History file {} was not a history file; started it again", file);
                }
            } else if (scan.damaged()) {
                log.warn("History file {}: {} damaged bytes at its end (a crash mid-write?) cut off",
                        file, scan.fileBytes() - size);
                ch.truncate(size);
            }
            ch.position(size);
            totalBytes += size - files.getOrDefault(day, 0L);
            files.put(day, size);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        channel = ch;
        writerDay = day;
        numbers.clear();
        for (String name : scan.names()) {
            numbers.put(name, numbers.size());
        }
    }

    private void closeWriter() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                log.debug("Closing a history file failed: {}", e.toString());
            }
        }
        channel = null;
        writerDay = null;
        numbers.clear();
    }

    /** Deletes the oldest days before {@code day} (never {@code day} itself) until {@code length} more bytes fit. */
    private boolean makeRoom(LocalDate day, int length) {
        while (totalBytes + length > config.maxBytes()) {
            if (files.isEmpty() || !files.firstKey().isBefore(day)) {
                return false;
            }
            delete(files.firstKey(), "over the history's " + config.maxBytes() + " bytes");
        }
        return true;
    }

    /** Deletes the day files past the maximum age; returns the cutoff it used. */
    private Instant applyRetention() {
        Instant cutoff = clock.instant().minus(config.maxAge());
        while (!files.isEmpty() && tooOld(files.firstKey(), cutoff)) {
            delete(files.firstKey(), "older than " + config.maxAge());
        }
        return cutoff;
    }

    /** Whether all of {@code day} is before {@code cutoff}. */
    private static boolean tooOld(LocalDate day, Instant cutoff) {
        return !day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().isAfter(cutoff);
    }

    private void delete(LocalDate day, String why) {
        if (day.equals(writerDay)) {
            closeWriter();
        }
        totalBytes -= files.remove(day);
        try {
            Files.deleteIfExists(path(day));
            log.debug("History of {} deleted: {}", day, why);
        } catch (IOException e) {
            log.warn("Deleting history file {} failed: {}", path(day), e.toString());
        }
    }

    private Path path(LocalDate day) {
        return config.directory().resolve(DayFile.fileName(day));
    }

    static LocalDate dayOf(long epochMinute) {
        return LocalDate.ofEpochDay(Math.floorDiv(epochMinute, 24 * 60));
    }

    /** The minute holding {@code t} (with {@code up}: the first starting at or after it), within what a file can hold. */
    static long minuteOf(Instant t, boolean up) {
        long seconds = t.getEpochSecond();
        if (seconds < 0) {
            return 0;
        }
        if (seconds >= Integer.MAX_VALUE * 60L) {
            return Integer.MAX_VALUE;
        }
        return seconds / 60 + (up && (seconds % 60 != 0 || t.getNano() != 0) ? 1 : 0);
    }
}
