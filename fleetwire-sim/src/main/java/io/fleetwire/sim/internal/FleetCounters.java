package io.fleetwire.sim.internal;

import io.fleetwire.sim.FleetStats;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fleet's counters and latency recorders, written by every event loop. Recording is lock-free
 * (LongAdder, HdrHistogram {@link Recorder}); {@link #snapshot} folds the recorders' intervals into
 * cumulative histograms under this object's lock and copies them.
 */
public final class FleetCounters {

    final AtomicInteger connected = new AtomicInteger();
    final LongAdder deflateSockets = new LongAdder();
    final LongAdder telemetrySent = new LongAdder();
    final LongAdder telemetryResent = new LongAdder();
    final LongAdder telemetryAcked = new LongAdder();
    final LongAdder telemetryUnacked = new LongAdder();
    final LongAdder telemetryDropped = new LongAdder();
    final LongAdder telemetryRejected = new LongAdder();
    final LongAdder retryableErrors = new LongAdder();
    final LongAdder duplicateAcks = new LongAdder();
    final LongAdder commandsReceived = new LongAdder();
    final LongAdder commandFrames = new LongAdder();
    final LongAdder commandsAnswered = new LongAdder();
    final LongAdder commandResultsStored = new LongAdder();
    final LongAdder commandsCancelled = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final LongAdder authFailures = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    /** Seq'd messages of every kind waiting for their ack, fleet-wide. */
    final LongAdder outstanding = new LongAdder();

    final Recorder ackLatency = new Recorder(3);
    final Recorder receiptLatency = new Recorder(3);
    final Recorder resultLatency = new Recorder(3);
    private final Histogram ackTotal = new Histogram(3);
    private final Histogram receiptTotal = new Histogram(3);
    private final Histogram resultTotal = new Histogram(3);

    public int connected() {
        return connected.get();
    }

    public long outstanding() {
        return outstanding.sum();
    }

    /** An immutable snapshot (histogram copies) for a fleet of {@code devices} running for {@code elapsedNanos}. */
    public synchronized FleetStats snapshot(long elapsedNanos, int devices) {
        ackTotal.add(ackLatency.getIntervalHistogram());
        receiptTotal.add(receiptLatency.getIntervalHistogram());
        resultTotal.add(resultLatency.getIntervalHistogram());
        return new FleetStats(elapsedNanos, devices, connected.get(), deflateSockets.sum(),
                telemetrySent.sum(), telemetryResent.sum(), telemetryAcked.sum(), telemetryUnacked.sum(),
                telemetryDropped.sum(), telemetryRejected.sum(), retryableErrors.sum(), duplicateAcks.sum(),
                commandsReceived.sum(), commandFrames.sum(), commandsAnswered.sum(), commandResultsStored.sum(),
                commandsCancelled.sum(), reconnects.sum(), connectFailures.sum(), authFailures.sum(),
                bytesIn.sum(), bytesOut.sum(), ackTotal.copy(), receiptTotal.copy(), resultTotal.copy());
    }
}
