package io.fleetwire.sim.cli;

import io.fleetwire.sim.FleetStats;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.Locale;

/** The simulator's progress bar, live status line and final summary, as text. Pure functions. */
final class StatusLine {

    private static final int BAR = 30;

    private StatusLine() {
    }

    /** {@code [#########.....] 3120/5000 connected  612/s} */
    static String progress(int connected, int devices, double perSecond) {
        int filled = devices == 0 ? BAR : (int) Math.min(BAR, (long) connected * BAR / devices);
        return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + connected + "/" + devices
                + " connected  " + Math.round(perSecond) + "/s";
    }

    /** One second of the fleet: {@code interval} is the difference of two snapshots, {@code now} the later one. */
    static String live(FleetStats interval, FleetStats now) {
        double s = Math.max(1e-9, interval.elapsedNanos() / 1e9);
        return String.format(Locale.ROOT,
                "connected %d/%d | telemetry %.0f/s sent, %.0f/s acked, ack p50 %s p99 %s | commands %d recv, %d answered"
                        + " | reconnects %d | per device %.0f B/s in, %.0f B/s out",
                now.connected(), now.devices(), interval.telemetrySent() / s, interval.telemetryAcked() / s,
                ms(interval.ackLatency(), 50), ms(interval.ackLatency(), 99), now.commandsReceived(),
                now.commandsAnswered(), now.reconnects(), interval.bytesInPerDevicePerSecond(),
                interval.bytesOutPerDevicePerSecond());
    }

    /** The final summary, several lines. */
    static String summary(FleetStats total, Duration connectTime, long rssBytes) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "fleetwire sim: %d devices for %s%n", total.devices(), human(total.elapsed())));
        b.append(connectTime == null ? "  connect: not every device connected\n"
                : String.format(Locale.ROOT, "  connect: all %d in %.1f s (%.0f/s)%n", total.devices(),
                connectTime.toMillis() / 1000.0, total.devices() / Math.max(0.001, connectTime.toMillis() / 1000.0)));
        b.append(String.format(Locale.ROOT, "  telemetry: %d sent, %d acked, %d not acked (fate unknown), %d dropped, %d rejected, %d re-sent%s%n",
                total.telemetrySent(), total.telemetryAcked(), total.telemetryUnacked(), total.telemetryDropped(),
                total.telemetryRejected(), total.telemetryResent(),
                total.telemetrySent() == total.telemetryAcked() ? " — all acked" : ""));
        Histogram h = total.ackLatency();
        b.append(String.format(Locale.ROOT, "  ack latency: p50 %s, p90 %s, p99 %s, p99.9 %s, max %s (%d acks)%n",
                ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9), ms(h, 100), h.getTotalCount()));
        b.append(String.format(Locale.ROOT, "  commands: %d received, %d answered, %d results stored, %d cancelled before running%n",
                total.commandsReceived(), total.commandsAnswered(), total.commandResultsStored(), total.commandsCancelled()));
        b.append(String.format(Locale.ROOT, "  connections: %d reconnects, %d failed attempts, %d refused tokens, %d with permessage-deflate%n",
                total.reconnects(), total.connectFailures(), total.authFailures(), total.deflateSockets()));
        b.append(String.format(Locale.ROOT, "  wire (socket bytes incl. upgrade and framing): %.1f B/s in, %.1f B/s out per device (%s in, %s out)%n",
                total.bytesInPerDevicePerSecond(), total.bytesOutPerDevicePerSecond(), bytes(total.bytesIn()), bytes(total.bytesOut())));
        if (rssBytes > 0) {
            b.append(String.format(Locale.ROOT, "  simulator process: RSS %s (%.1f KB per device)%n", bytes(rssBytes),
                    rssBytes / 1024.0 / total.devices()));
        }
        return b.toString();
    }

    static String ms(Histogram h, double percentile) {
        if (h.getTotalCount() == 0) {
            return "-";
        }
        long ns = percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile);
        return String.format(Locale.ROOT, "%.1f ms", ns / 1e6);
    }

    static String bytes(long n) {
        if (n < 10_000) {
            return n + " B";
        }
        if (n < 10_000_000) {
            return String.format(Locale.ROOT, "%.1f KB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", n / 1024.0 / 1024.0);
    }

    private static String human(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
