package io.fleetwire.agent.internal.history;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one {@link HistoryStore}, validated on creation.
 *
 * @param directory  where the day files live ({@code <stateDir>/history}); created if missing
 * @param maxAge     day files whose last minute is older than this are deleted. Default 7 days;
 *                   between 1 hour and 366 days.
 * @param maxBytes   the most bytes of day files kept; past it the oldest day files are deleted, and
 *                   when the newest alone is too big, further minutes are dropped (counted). Default
 *                   16 MiB (about 7 days of 60 metrics: 22 bytes a metric a minute); at least 16 KiB.
 * @param maxNames   the most distinct metric names one day file (and one open minute) holds; later
 *                   names are left out of that day. Default 4096; between 1 and 65535.
 */
public record HistoryConfig(Path directory, Duration maxAge, long maxBytes, int maxNames) {

    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);
    public static final long DEFAULT_MAX_BYTES = 16L << 20;
    public static final int DEFAULT_MAX_NAMES = 4096;
    public static final long MIN_BYTES = 16L << 10;

    public HistoryConfig {
        Objects.requireNonNull(directory, "directory is required");
        Objects.requireNonNull(maxAge, "maxAge is required");
        if (maxAge.compareTo(Duration.ofHours(1)) < 0 || maxAge.compareTo(Duration.ofDays(366)) > 0) {
            throw new IllegalArgumentException("the history's maxAge must be between 1 hour and 366 days, was " + maxAge);
        }
        if (maxBytes < MIN_BYTES) {
            throw new IllegalArgumentException("the history's maxBytes must be at least " + MIN_BYTES + ", was " + maxBytes);
        }
        if (maxNames < 1 || maxNames > 65_535) {
            throw new IllegalArgumentException("maxNames must be between 1 and 65535, was " + maxNames);
        }
    }

    public static HistoryConfig defaults(Path directory) {
        return new HistoryConfig(directory, DEFAULT_MAX_AGE, DEFAULT_MAX_BYTES, DEFAULT_MAX_NAMES);
    }

    public HistoryConfig withLimits(Duration age, long bytes) {
        return new HistoryConfig(directory, age, bytes, maxNames);
    }

    public HistoryConfig withMaxNames(int names) {
        return new HistoryConfig(directory, maxAge, maxBytes, names);
    }
}
