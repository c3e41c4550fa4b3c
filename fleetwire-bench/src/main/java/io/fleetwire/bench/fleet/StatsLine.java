package io.fleetwire.bench.fleet;

import io.fleetwire.sim.FleetStats;
import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;

/**
 * A {@link FleetStats} as one line of text, for a simulator worker process to hand its figures to the
 * bench: the 22 counters in record order, then the three histograms (HdrHistogram's compressed form,
 * Base64), separated by spaces.
 */
final class StatsLine {

    private static final int COUNTERS = 22;

    private StatsLine() {
    }

    static String encode(FleetStats s) {
        long[] c = {s.elapsedNanos(), s.devices(), s.connected(), s.deflateSockets(), s.telemetrySent(),
                s.telemetryResent(), s.telemetryAcked(), s.telemetryUnacked(), s.telemetryDropped(), s.telemetryRejected(),
                s.retryableErrors(), s.duplicateAcks(), s.commandsReceived(), s.commandFrames(), s.commandsAnswered(),
                s.commandResultsStored(), s.commandsCancelled(), s.reconnects(), s.connectFailures(), s.authFailures(),
                s.bytesIn(), s.bytesOut()};
        StringBuilder out = new StringBuilder();
        for (long v : c) {
            out.append(v).append(' ');
        }
        return out.append(histogram(s.ackLatency())).append(' ').append(histogram(s.commandReceiptLatency())).append(' ')
                .append(histogram(s.commandResultLatency())).toString();
    }

    static FleetStats decode(String line) {
        String[] f = line.strip().split(" ");
        if (f.length != COUNTERS + 3) {
            throw new IllegalArgumentException("a stats line has " + (COUNTERS + 3) + " fields, this one " + f.length);
        }
        long[] c = new long[COUNTERS];
        for (int i = 0; i < COUNTERS; i++) {
            c[i] = Long.parseLong(f[i]);
        }
        return new FleetStats(c[0], (int) c[1], (int) c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11],
                c[12], c[13], c[14], c[15], c[16], c[17], c[18], c[19], c[20], c[21],
                histogram(f[COUNTERS]), histogram(f[COUNTERS + 1]), histogram(f[COUNTERS + 2]));
    }

    private static String histogram(Histogram h) {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n));
    }

    private static Histogram histogram(String text) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(text)), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not a histogram: " + e.getMessage(), e);
        }
    }
}
