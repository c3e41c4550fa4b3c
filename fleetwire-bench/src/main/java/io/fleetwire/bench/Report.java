package io.fleetwire.bench;

import io.fleetwire.sim.FleetStats;
import org.HdrHistogram.Histogram;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The figures of one run, as Markdown tables with the run's command, machine and date. */
final class Report {

    private final List<String> rows = new ArrayList<>();
    private final List<String> latency = new ArrayList<>();
    private final List<String> peer = new ArrayList<>();
    // Fleetwire's side of the figures the peer is compared on.
    private double rssPerDevice;
    private double connectSeconds;
    private long relayP50;
    private long relayP99;
    private double bytesOutPerDevice;
    private final String command;

    Report(String command) {
        this.command = command;
    }

    void connections(int devices, double connectSeconds, long heapIdle, long heapHeld, long rssIdle, long rssHeld) {
        this.rssPerDevice = (rssHeld - rssIdle) / (double) devices;
        this.connectSeconds = connectSeconds;
        row("Connections held", String.format(Locale.ROOT, "%,d devices, connected in %.1f s (%.0f/s)", devices,
                connectSeconds, devices / connectSeconds), "—");
        row("Hub heap per connected device (live heap after full GC, held − idle)",
                kb((heapHeld - heapIdle) / (double) devices), "< 10 KB");
        row("Hub RSS per connected device (held − idle)", kb((rssHeld - rssIdle) / (double) devices), "—");
        row("Projected hub heap for 100,000 devices (projection, not measured)",
                String.format(Locale.ROOT, "%.0f MB", (heapIdle + (heapHeld - heapIdle) / (double) devices * 100_000) / 1e6), "—");
    }

    void telemetry(FleetStats total, FleetStats flowing, long stored, int intervalSeconds) {
        double seconds = flowing.elapsed().toNanos() / 1e9;
        row("Telemetry accounted for (sent = acked = rows stored)", String.format(Locale.ROOT, "%,d sent, %,d acked, %,d stored%s",
                total.telemetrySent(), total.telemetryAcked(), stored,
                total.telemetrySent() == total.telemetryAcked() && total.telemetryAcked() == stored ? " ✓" : " ✗"), "all");
        row("Committed telemetry messages/s (offered: devices ÷ interval; not the ceiling)",
                String.format(Locale.ROOT, "%.0f/s (%d s interval)", total.telemetryAcked() / seconds, intervalSeconds), "≥ 30,000/s");
        Histogram ack = total.ackLatency();
        this.relayP50 = ack.getValueAtPercentile(50);
        this.relayP99 = ack.getValueAtPercentile(99);
        this.bytesOutPerDevice = flowing.bytesOutPerDevicePerSecond();
        row("Relay: device sends → hub acks after commit, p50 / p99", ms(ack.getValueAtPercentile(50)) + " / "
                + ms(ack.getValueAtPercentile(99)), "—");
        row("Bandwidth per device on the wire (device → hub / hub → device)", String.format(Locale.ROOT,
                "%.0f B/s / %.0f B/s", flowing.bytesOutPerDevicePerSecond(), flowing.bytesInPerDevicePerSecond()), "≤ 66 B/s");
    }

    void commands(int count, Histogram toDevice, Histogram toStored) {
        latency.add(String.format(Locale.ROOT, "| REST accepted → device receives (%,d commands) | %s | %s | %s | %s |", count,
                ms(toDevice.getValueAtPercentile(50)), ms(toDevice.getValueAtPercentile(99)),
                ms(toDevice.getValueAtPercentile(99.9)), ms(toDevice.getMaxValue())));
        latency.add(String.format(Locale.ROOT, "| REST accepted → result stored | %s | %s | %s | %s |",
                ms(toStored.getValueAtPercentile(50)), ms(toStored.getValueAtPercentile(99)),
                ms(toStored.getValueAtPercentile(99.9)), ms(toStored.getMaxValue())));
    }

    void storm(int devices, double reconnectSeconds, double caughtUpSeconds, double cpuSeconds, long peakRss) {
        row("Reconnect storm: every device dropped at once → all back / all caught up", String.format(Locale.ROOT,
                "%.1f s / %.1f s (%,d devices)", reconnectSeconds, caughtUpSeconds, devices), "—");
        row("Reconnect storm: hub CPU used / peak RSS", String.format(Locale.ROOT, "%.1f CPU-s (%.0f %% of one core) / %.0f MB",
                cpuSeconds, 100 * cpuSeconds / caughtUpSeconds, peakRss / 1e6), "—");
    }

    /** Mosquitto's figures beside Fleetwire's, with the ratio (Fleetwire ÷ Mosquitto). */
    void peer(MosquittoPeer.Result r) {
        peer.add(cmp("Memory per held connection (server RSS, held − before)", kb(rssPerDevice), kb(r.rssPerConnection()),
                rssPerDevice / r.rssPerConnection()));
        peer.add(cmp("Connect all devices", String.format(Locale.ROOT, "%.1f s", connectSeconds),
                String.format(Locale.ROOT, "%.1f s", r.connectSeconds()), connectSeconds / r.connectSeconds()));
        peer.add(cmp("Device sends → server acknowledges (Fleetwire: ack after the PostgreSQL commit; Mosquitto: QoS 1 PUBACK), p50",
                ms(relayP50), ms(r.puback().getValueAtPercentile(50)), relayP50 / (double) r.puback().getValueAtPercentile(50)));
        peer.add(cmp("Same, p99", ms(relayP99), ms(r.puback().getValueAtPercentile(99)),
                relayP99 / (double) r.puback().getValueAtPercentile(99)));
        peer.add("| Mosquitto publish → subscriber receives, p50 / p99 | (dashboard socket: a later issue) | "
                + ms(r.delivery().getValueAtPercentile(50)) + " / " + ms(r.delivery().getValueAtPercentile(99)) + " | — |");
        peer.add(cmp("Device → server bytes per device (Fleetwire: at the socket; Mosquitto: MQTT packet bytes, counted)",
                String.format(Locale.ROOT, "%.0f B/s", bytesOutPerDevice), String.format(Locale.ROOT, "%.0f B/s",
                        r.bytesPerDevicePerSecond()), bytesOutPerDevice / r.bytesPerDevicePerSecond()));
        peer.add(String.format(Locale.ROOT, "| Mosquitto messages: published / PUBACKed / delivered to the subscriber | — | %,d / %,d / %,d | — |",
                r.published(), r.acked(), r.delivered()));
    }

    private static String cmp(String figure, String ours, String theirs, double ratio) {
        return "| " + figure + " | " + ours + " | " + theirs + " | " + String.format(Locale.ROOT, "%.2f×", ratio) + " |";
    }

    String markdown(List<String> problems) {
        StringBuilder out = new StringBuilder();
        out.append("# Fleetwire benchmark run (").append(LocalDate.now()).append(")\n\n");
        out.append("Command: `").append(command).append("`  \n");
        out.append(String.format(Locale.ROOT, "Machine: %d cores, %.1f GiB, %s %s, JDK %s. Hub and simulator on this machine.%n%n",
                Runtime.getRuntime().availableProcessors(), memoryGiB(), System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("java.version")));
        out.append("| Figure | Fleetwire | Target |\n|---|---|---|\n");
        rows.forEach(r -> out.append(r).append('\n'));
        out.append("\n| Command latency | p50 | p99 | p99.9 | max |\n|---|---|---|---|---|\n");
        latency.forEach(r -> out.append(r).append('\n'));
        if (!peer.isEmpty()) {
            out.append("\nPeer: Mosquitto on this machine (127.0.0.1:1883), the same devices, payloads and interval, ")
                    .append("driven by the HiveMQ MQTT client from this process.\n\n")
                    .append("| Figure | Fleetwire | Mosquitto | Ratio |\n|---|---|---|---|\n");
            peer.forEach(r -> out.append(r).append('\n'));
        }
        out.append('\n').append(problems.isEmpty() ? "Every message accounted for.\n"
                : "**Not accounted for:**\n" + String.join("\n", problems.stream().map(p -> "- " + p).toList()) + "\n");
        return out.toString();
    }

    private void row(String figure, String value, String target) {
        rows.add("| " + figure + " | " + value + " | " + target + " |");
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    private static String kb(double bytes) {
        return String.format(Locale.ROOT, "%.1f KB", bytes / 1024);
    }

    private static double memoryGiB() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0;
                }
            }
        } catch (java.io.IOException ignored) {
            // not Linux
        }
        return Runtime.getRuntime().maxMemory() / (double) (1L << 30);
    }
}
