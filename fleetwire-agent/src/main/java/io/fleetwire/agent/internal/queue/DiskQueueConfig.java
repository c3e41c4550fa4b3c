package io.fleetwire.agent.internal.queue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one {@link DiskQueue}, validated on creation.
 *
 * @param directory         where the segment files and the watermark file live; created if missing.
 *                          One queue per directory.
 * @param segmentBytes      a new segment file is started when the next record would take the current
 *                          one past this (a single larger record gets a segment of its own).
 *                          Default 4 MiB; between 4 KiB and 1 GiB.
 * @param budgetBytes       the most bytes of unacknowledged entries kept; past it the oldest telemetry
 *                          is dropped. Reliable entries are kept even past it. Default 64 MiB.
 * @param syncInterval      how long the appender that is about to fsync waits for other appenders
 *                          still writing, so that they share its fsync. A lone appender never waits.
 *                          Default 5 ms; between 0 and 1 s.
 * @param watermarkInterval the acknowledged watermark is written to disk at most this often (and on
 *                          close); acks newer than the last write are replayed after a crash. Default
 *                          1 s; between 0 and 1 min.
 */
public record DiskQueueConfig(Path directory, long segmentBytes, long budgetBytes, Duration syncInterval,
                              Duration watermarkInterval) {

    public static final long DEFAULT_SEGMENT_BYTES = 4L << 20;
    public static final long DEFAULT_BUDGET_BYTES = 64L << 20;
    public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofMillis(5);
    public static final Duration DEFAULT_WATERMARK_INTERVAL = Duration.ofSeconds(1);

    static final long MIN_SEGMENT_BYTES = 4L << 10;
    static final long MAX_SEGMENT_BYTES = 1L << 30;

    public DiskQueueConfig {
        Objects.requireNonNull(directory, "directory is required");
        if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("segmentBytes must be between " + MIN_SEGMENT_BYTES + " and "
                    + MAX_SEGMENT_BYTES + ", was " + segmentBytes);
        }
        if (budgetBytes < 1) {
            throw new IllegalArgumentException("budgetBytes must be positive, was " + budgetBytes);
        }
        requireBetween("syncInterval", syncInterval, Duration.ofSeconds(1));
        requireBetween("watermarkInterval", watermarkInterval, Duration.ofMinutes(1));
    }

    /** The defaults, in {@code directory}. */
    public static DiskQueueConfig defaults(Path directory) {
        return new DiskQueueConfig(directory, DEFAULT_SEGMENT_BYTES, DEFAULT_BUDGET_BYTES, DEFAULT_SYNC_INTERVAL,
                DEFAULT_WATERMARK_INTERVAL);
    }

    public DiskQueueConfig withSegmentBytes(long value) {
        return new DiskQueueConfig(directory, value, budgetBytes, syncInterval, watermarkInterval);
    }

    public DiskQueueConfig withBudgetBytes(long value) {
        return new DiskQueueConfig(directory, segmentBytes, value, syncInterval, watermarkInterval);
    }

    public DiskQueueConfig withSyncInterval(Duration value) {
        return new DiskQueueConfig(directory, segmentBytes, budgetBytes, value, watermarkInterval);
    }

    public DiskQueueConfig withWatermarkInterval(Duration value) {
        return new DiskQueueConfig(directory, segmentBytes, budgetBytes, syncInterval, value);
    }

    private static void requireBetween(String name, Duration value, Duration max) {
        Objects.requireNonNull(value, name + " is required");
        if (value.isNegative() || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be between 0 and " + max + ", was " + value);
        }
    }
}
