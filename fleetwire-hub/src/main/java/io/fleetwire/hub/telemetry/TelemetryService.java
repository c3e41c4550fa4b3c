package io.fleetwire.hub.telemetry;

import io.fleetwire.hub.ops.HubMetrics;
import io.fleetwire.protocol.DeviceId;
import io.fleetwire.protocol.ErrorCode;
import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.MessageCodec;
import io.fleetwire.protocol.MetricFlattener;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Telemetry in and out: {@link #ingest} turns a device's samples into rows and completes once they
 * are committed; {@link #series} and {@link #samples} read them back.
 */
public final class TelemetryService {

    /** Sequence number stored for seed 003 {@code data} messages, which carry none. */
    public static final long NO_SEQ = -1;

    private final TelemetryRepository repository;
    private final TelemetryWriter writer;
    private final PartitionMaintainer partitions;
    private final MessageCodec codec;
    private final HubMetrics metrics;
    private final long latestStateNanos;

    /** {@code writerPool}: connections for the writer's transactions only; {@code pool} serves reads and upkeep. */
    public TelemetryService(Vertx vertx, Pool pool, Pool writerPool, MessageCodec codec, HubMetrics metrics, int queueCapacity,
                            int batch, Duration latestStateEvery, int retentionDays, Clock clock) {
        this.repository = new TelemetryRepository(pool);
        this.writer = new TelemetryWriter(vertx, writerPool, repository, new MetricSetRegistry(writerPool), metrics,
                queueCapacity, batch);
        this.partitions = new PartitionMaintainer(vertx, pool, retentionDays, clock);
        this.codec = codec;
        this.metrics = metrics;
        this.latestStateNanos = latestStateEvery.toNanos();
        metrics.describe("fleetwire_telemetry_dropped_total", "Telemetry messages refused, by reason");
    }

    /** Creates today's partitions (and the retention window's); call before accepting devices. */
    public Future<Void> start() {
        return partitions.start();
    }

    public void stop() {
        partitions.stop();
    }

    /** Completes when everything queued is committed (or has failed). */
    public Future<Void> drain() {
        return writer.drain();
    }

    public int queueDepth() {
        return writer.depth();
    }

    /**
     * Whether a device whose state was last kept at {@code keptNanos} ({@link System#nanoTime()}), or
     * never ({@code kept} false), should keep the newest sample of a message arriving at {@code nowNanos}.
     */
    public boolean stateDue(boolean kept, long keptNanos, long nowNanos) {
        return !kept || nowNanos - keptNanos >= latestStateNanos;
    }

    /**
     * Stores a message's samples, and with {@code keepState} also the newest of them whole, as the
     * device's {@code latest.state} (the caller rewrites it at most every
     * {@code FLEETWIRE_LATEST_STATE_SECONDS}; the newest numbers are always read from the rows).
     * Completes after commit; fails with {@link TelemetryRejected} when a sample is outside the kept
     * time window or the queue is full, and with the database's error when the write failed after
     * retries.
     */
    public Future<Void> ingest(DeviceId device, long seq, List<Message.Sample> samples, boolean keepState) {
        List<TelemetryRow> rows = new ArrayList<>(samples.size());
        Message.Sample newest = null;
        for (int i = 0; i < samples.size(); i++) {
            Message.Sample s = samples.get(i);
            if (!partitions.accepts(s.ts())) {
                metrics.increment("fleetwire_telemetry_dropped_total", "reason=\"out_of_window\"");
                return Future.failedFuture(new TelemetryRejected(ErrorCode.INVALID_MESSAGE, "sample ts " + s.ts()
                        + " is outside the stored window (" + partitions.horizon() + " to " + partitions.newestAccepted() + ")"));
            }
            MetricFlattener.Flat flat = MetricFlattener.flat(s);
            rows.add(new TelemetryRow(device, s.ts(), seq, (short) i, flat.names(), flat.values()));
            if (newest == null || !s.ts().isBefore(newest.ts())) {
                newest = s;
            }
        }
        TelemetryRepository.Latest latest = keepState
                ? new TelemetryRepository.Latest(device, newest.ts(), seq, codec.sampleText(newest))
                : null;
        Promise<Void> committed = Promise.promise();
        if (!writer.submit(new TelemetryWriter.Pending(rows, latest, committed))) {
            metrics.increment("fleetwire_telemetry_dropped_total", "reason=\"overloaded\"");
            return Future.failedFuture(new TelemetryRejected(ErrorCode.OVERLOADED,
                    "telemetry queue is full; send it again later"));
        }
        return committed.future();
    }

    public Future<JsonArray> series(DeviceId device, String metric, Instant from, Instant to, int limit) {
        return repository.series(device, metric, from, to, limit);
    }

    public Future<JsonArray> samples(DeviceId device, Instant from, Instant to, int limit) {
        return repository.samples(device, from, to, limit);
    }
}
