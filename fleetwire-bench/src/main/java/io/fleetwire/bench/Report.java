package io.fleetwire.bench;

import io.fleetwire.sim.FleetStats;
import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one run, as Markdown with the run's command, machine and date: a summary against
 * issue #5's targets, one section per phase, Mosquitto side by side, and the plots.
 */
final class Report {

    /**
     * One connection step: the hub's memory per device with {@code devices} held, and commands timed there
     * idle and under telemetry load (REST accepted → device receives, → result stored).
     */
    record Step(int devices, int added, int processes, double seconds, double heapPerDevice, double rssPerDevice,
                Histogram idleToDevice, Histogram idleToStored, Histogram loadedToDevice, Histogram loadedToStored) {
    }

    private final String command;
    private final List<Step> steps = new ArrayList<>();
    private final List<String> summary = new ArrayList<>();
    private final List<String> connections = new ArrayList<>();
    private final List<String> telemetry = new ArrayList<>();
    private final List<String> latency = new ArrayList<>();
    private final List<String> storm = new ArrayList<>();
    private final List<String> ingest = new ArrayList<>();
    private final List<String> bandwidth = new ArrayList<>();
    private final List<String> peer = new ArrayList<>();
    private final LinkedHashMap<String, Histogram> latencies = new LinkedHashMap<>();
    private MosquittoPeer.Result peerResult;
    // Fleetwire's side of the figures the peer is compared on.
    private int devices;
    private double connectSeconds;
    private double bytesOutPerDevice;
    private Histogram ack;

    Report(String command) {
        this.command = command;
    }

    void step(Step step) {
        steps.add(step);
    }

    void connections(int devices, int processes, double seconds, long heapIdle) {
        this.devices = devices;
        this.connectSeconds = seconds;
        Step top = steps.getLast();
        connections.add("| Devices held | Simulator processes | Connect (this step) | Hub heap per device | Hub RSS per device |");
        connections.add("|---|---|---|---|---|");
        for (Step s : steps) {
            connections.add(String.format(Locale.ROOT, "| %,d | %d | %,d in %.1f s (%.0f/s) | %s | %s |",
                    s.devices(), s.processes(), s.added(), s.seconds(), s.added() / s.seconds(), kb(s.heapPerDevice()),
                    kb(s.rssPerDevice())));
        }
        connections.add("");
        connections.add("Commands at each step, one at a time to random devices, idle and while every device sends telemetry "
                + "at the run's interval (p50 / p99 / p99.9):");
        connections.add("");
        connections.add("| Devices held | REST accepted → device, idle | → device, under telemetry load "
                + "| → result stored, idle | → result stored, under telemetry load | Commands |");
        connections.add("|---|---|---|---|---|---|");
        for (Step s : steps) {
            connections.add(String.format(Locale.ROOT, "| %,d | %s | %s | %s | %s | %,d + %,d |", s.devices(),
                    percentiles(s.idleToDevice()), percentiles(s.loadedToDevice()), percentiles(s.idleToStored()),
                    percentiles(s.loadedToStored()), s.idleToDevice().getTotalCount(), s.loadedToDevice().getTotalCount()));
        }
        connections.add("");
        connections.add(String.format(Locale.ROOT, "Heap is the live heap after a full GC (`jcmd GC.class_histogram`), held − "
                + "idle; RSS is `VmRSS`, held − idle; %d simulator process(es) in all. Projected to 100,000 devices "
                + "(a projection from %,d, not a measurement): %.0f MB of heap.", processes, devices,
                (heapIdle + top.heapPerDevice() * 100_000) / 1e6));
        summary("Hub heap per connected device (at " + String.format(Locale.ROOT, "%,d", devices) + ")",
                kb(top.heapPerDevice()), "< 10 KB", top.heapPerDevice() < 10 * 1024);
        steps.stream().filter(s -> s.devices() == TARGET_DEVICES).findFirst().ifPresent(s -> {
            commandTarget("idle", s.devices(), s.idleToDevice());
            commandTarget("under telemetry load", s.devices(), s.loadedToDevice());
        });
    }

    /** The command latency target (p99 < 10 ms) is stated at this many devices. */
    private static final int TARGET_DEVICES = 10_000;

    private void commandTarget(String condition, int atDevices, Histogram toDevice) {
        long p99 = toDevice.getValueAtPercentile(99);
        summary(String.format(Locale.ROOT, "Command REST → device p99, %s, at %,d devices (%,d commands)", condition, atDevices,
                toDevice.getTotalCount()), ms(p99), "< 10 ms", p99 < 10_000_000L);
    }

    private static String percentiles(Histogram h) {
        return ms(h.getValueAtPercentile(50)) + " / " + ms(h.getValueAtPercentile(99)) + " / " + ms(h.getValueAtPercentile(99.9));
    }

    void telemetry(FleetStats total, FleetStats flowing, long stored, int intervalSeconds) {
        double seconds = flowing.elapsed().toNanos() / 1e9;
        boolean all = total.telemetrySent() == total.telemetryAcked() && total.telemetryAcked() == stored;
        ack = total.ackLatency();
        bytesOutPerDevice = flowing.bytesOutPerDevicePerSecond();
        latencies.put("Fleetwire: device sends → ack after commit", ack);
        row(telemetry, "Telemetry accounted for (sent = acked = rows stored)", String.format(Locale.ROOT,
                "%,d sent, %,d acked, %,d stored %s", total.telemetrySent(), total.telemetryAcked(), stored, all ? "✓" : "✗"));
        row(telemetry, "Committed messages/s (offered: devices ÷ interval)", String.format(Locale.ROOT, "%.0f/s (%d s interval)",
                total.telemetryAcked() / seconds, intervalSeconds));
        row(telemetry, "Relay: device sends → hub acks after commit, p50 / p99 / p99.9", ms(ack.getValueAtPercentile(50)) + " / "
                + ms(ack.getValueAtPercentile(99)) + " / " + ms(ack.getValueAtPercentile(99.9)));
        row(telemetry, "Bandwidth per device on the wire, device → hub / hub → device (" + intervalSeconds + " s interval; "
                + "at 3 s, plain and deflated: the bandwidth section)", String.format(Locale.ROOT,
                "%.0f B/s / %.0f B/s", flowing.bytesOutPerDevicePerSecond(), flowing.bytesInPerDevicePerSecond()));
    }

    /** The bandwidth phase: both groups at 3 s, plain and deflated, on a hub with compression on. */
    void bandwidth(List<BandwidthRun.Group> groups, long windowSeconds) {
        bandwidth.add("| Sockets | Device → hub | Hub → device | Both | Hub heap per connection | Hub RSS per connection | Messages sent / acked |");
        bandwidth.add("|---|---|---|---|---|---|---|");
        for (BandwidthRun.Group g : groups) {
            String name = g.deflate() ? String.format(Locale.ROOT, "permessage-deflate (%,d of %,d negotiated)", g.deflateSockets(),
                    g.devices()) : String.format(Locale.ROOT, "plain (%,d)", g.devices());
            double both = g.upPerDevice() + g.downPerDevice();
            bandwidth.add(String.format(Locale.ROOT, "| %s | %.1f B/s | %.1f B/s | **%.1f B/s** | %s | %s | %,d / %,d |", name,
                    g.upPerDevice(), g.downPerDevice(), both, kb(g.heapPerDevice()), kb(g.rssPerDevice()), g.sent(), g.acked()));
            summary("Bandwidth per device, both directions, 3 s interval, " + (g.deflate() ? "permessage-deflate" : "plain JSON"),
                    String.format(Locale.ROOT, "%.0f B/s", both), "≤ 66 B/s", both <= 66);
        }
        bandwidth.add("");
        bandwidth.add(String.format(Locale.ROOT, "Bytes at the simulator's sockets (WebSocket framing included) over %d s in which "
                + "both groups ran side by side, each device sending seed 003-shaped telemetry every %d s, against a hub of its own "
                + "started with `FLEETWIRE_WS_COMPRESSION=on`; memory per connection is what each group added to that hub "
                + "(the deflating group's over the plain one's: deflate's own cost).", windowSeconds, BandwidthRun.INTERVAL_SECONDS));
    }

    void commands(String condition, int count, Histogram toCreated, Histogram toDevice, Histogram toStored) {
        latencies.put("Fleetwire: command REST → device, " + condition, toDevice);
        latency.add(String.format(Locale.ROOT, "| REST request → 201 (the command's transaction committed), %s | %s | %s | %s | %s |",
                condition, ms(toCreated.getValueAtPercentile(50)), ms(toCreated.getValueAtPercentile(99)),
                ms(toCreated.getValueAtPercentile(99.9)), ms(toCreated.getMaxValue())));
        latency.add(String.format(Locale.ROOT, "| REST accepted → device receives, %s (%,d commands) | %s | %s | %s | %s |",
                condition, count, ms(toDevice.getValueAtPercentile(50)), ms(toDevice.getValueAtPercentile(99)),
                ms(toDevice.getValueAtPercentile(99.9)), ms(toDevice.getMaxValue())));
        latency.add(String.format(Locale.ROOT, "| REST accepted → result stored, %s | %s | %s | %s | %s |", condition,
                ms(toStored.getValueAtPercentile(50)), ms(toStored.getValueAtPercentile(99)),
                ms(toStored.getValueAtPercentile(99.9)), ms(toStored.getMaxValue())));
        commandTarget(condition, devices, toDevice);
    }

    void storm(int devices, double reconnectSeconds, double caughtUpSeconds, double cpuSeconds, double peakCpuPercent,
               long peakRss) {
        row(storm, "Every device dropped at once → all back / all caught up", String.format(Locale.ROOT,
                "%.1f s / %.1f s (%,d devices)", reconnectSeconds, caughtUpSeconds, devices));
        row(storm, "Hub CPU over the storm: total / average / peak (0.5 s samples)", String.format(Locale.ROOT,
                "%.1f CPU-s / %.0f %% / %.0f %% of one core", cpuSeconds, 100 * cpuSeconds / caughtUpSeconds, peakCpuPercent));
        row(storm, "Hub peak RSS", String.format(Locale.ROOT, "%.0f MB", peakRss / 1e6));
    }

    /** {@code cpuSeconds}: used in the window by the hub, its PostgreSQL, the simulator processes. */
    void ingest(int devices, FleetStats window, FleetStats total, long stored, double[] cpuSeconds) {
        double seconds = window.elapsed().toNanos() / 1e9;
        double rate = window.telemetryAcked() / seconds;
        boolean all = total.telemetrySent() == total.telemetryAcked() && total.telemetryAcked() == stored;
        Histogram h = window.ackLatency();
        row(ingest, "Committed telemetry messages/s, sustained", String.format(Locale.ROOT, "**%,.0f/s** over %.0f s (%,d devices)",
                rate, seconds, devices));
        row(ingest, "Accounted for (sent = acked = rows stored)", String.format(Locale.ROOT, "%,d sent, %,d acked, %,d stored %s",
                total.telemetrySent(), total.telemetryAcked(), stored, all ? "✓" : "✗"));
        row(ingest, "Device sends → ack after commit, p50 / p99", ms(h.getValueAtPercentile(50)) + " / " + ms(h.getValueAtPercentile(99)));
        row(ingest, "CPU in the window, % of one core: hub / its PostgreSQL / simulator", String.format(Locale.ROOT,
                "%.0f %% / %.0f %% / %.0f %% (of %d cores on the machine)", 100 * cpuSeconds[0] / seconds,
                100 * cpuSeconds[1] / seconds, 100 * cpuSeconds[2] / seconds, Runtime.getRuntime().availableProcessors()));
        summary("Committed telemetry messages/s (closed loop, " + String.format(Locale.ROOT, "%,d", devices) + " devices)",
                String.format(Locale.ROOT, "%,.0f/s", rate), "≥ 30,000/s", rate >= 30_000);
    }

    void database(long rows, long bytes, int intervalSeconds) {
        if (rows <= 0) {
            return;
        }
        double perRow = bytes / (double) rows;
        row(telemetry, "Database size per stored message (telemetry partitions: table, indexes, TOAST)",
                String.format(Locale.ROOT, "%.0f B (%,d rows, %.1f MB)", perRow, rows, bytes / 1e6));
        row(telemetry, "Database size per device per day at a " + intervalSeconds + " s interval (from the above)",
                String.format(Locale.ROOT, "%.1f MB", perRow * 86_400 / intervalSeconds / 1e6));
    }

    /** Mosquitto's figures beside Fleetwire's, with the ratio (Fleetwire ÷ Mosquitto). */
    void peer(MosquittoPeer.Result r) {
        peerResult = r;
        latencies.put("Mosquitto: publish QoS 1 → PUBACK", r.puback());
        latencies.put("Mosquitto: publish → subscriber", r.delivery());
        double rssPerDevice = steps.getLast().rssPerDevice();
        peer.add(cmp("Memory per held connection, server RSS (held − before), " + String.format(Locale.ROOT, "%,d", r.connections()),
                kb(rssPerDevice), kb(r.rssPerConnection()), rssPerDevice / r.rssPerConnection()));
        peer.add(cmp("Connect all devices", String.format(Locale.ROOT, "%.1f s", connectSeconds),
                String.format(Locale.ROOT, "%.1f s", r.connectSeconds()), connectSeconds / r.connectSeconds()));
        peer.add(cmp("Device sends → server acknowledges (Fleetwire: ack after the PostgreSQL commit; Mosquitto: QoS 1 PUBACK, "
                + "before any disk write), p50", ms(ack.getValueAtPercentile(50)), ms(r.puback().getValueAtPercentile(50)),
                ack.getValueAtPercentile(50) / (double) r.puback().getValueAtPercentile(50)));
        peer.add(cmp("Same, p99", ms(ack.getValueAtPercentile(99)), ms(r.puback().getValueAtPercentile(99)),
                ack.getValueAtPercentile(99) / (double) r.puback().getValueAtPercentile(99)));
        peer.add("| Publish → subscriber receives, p50 / p99 | (the dashboard socket is a later issue) | "
                + ms(r.delivery().getValueAtPercentile(50)) + " / " + ms(r.delivery().getValueAtPercentile(99)) + " | — |");
        peer.add(cmp("Device → server bytes per device (Fleetwire: at the socket; Mosquitto: MQTT packet bytes, counted)",
                String.format(Locale.ROOT, "%.0f B/s", bytesOutPerDevice), String.format(Locale.ROOT, "%.0f B/s",
                        r.bytesPerDevicePerSecond()), bytesOutPerDevice / r.bytesPerDevicePerSecond()));
        peer.add(String.format(Locale.ROOT, "| Mosquitto messages: published / PUBACKed / delivered to the subscriber | — | %,d / %,d / %,d | — |",
                r.published(), r.acked(), r.delivered()));
    }

    private static String cmp(String figure, String ours, String theirs, double ratio) {
        // A peer figure of 0 (e.g. Mosquitto's RSS did not grow, reusing memory an earlier run freed) has no ratio.
        String r = Double.isFinite(ratio) && ratio > 0 ? String.format(Locale.ROOT, "%.2f×", ratio) : "n/a";
        return "| " + figure + " | " + ours + " | " + theirs + " | " + r + " |";
    }

    /** Writes the plots into {@code dir}; returns their file names, for the Markdown. */
    List<String> plots(Path dir) {
        List<String> files = new ArrayList<>();
        LinkedHashMap<String, Histogram> withValues = new LinkedHashMap<>();
        latencies.forEach((k, v) -> {
            if (v.getTotalCount() > 0) {
                withValues.put(k, v);
            }
        });
        if (!withValues.isEmpty()) {
            Plots.latencyDistribution(dir.resolve("bench-latency.png"), "Latency by percentile", withValues);
            files.add("bench-latency.png");
        }
        if (!steps.isEmpty()) {
            LinkedHashMap<String, List<double[]>> series = new LinkedHashMap<>();
            series.put("Fleetwire hub heap", steps.stream().map(s -> new double[]{s.devices(), s.heapPerDevice()}).toList());
            series.put("Fleetwire hub RSS", steps.stream().map(s -> new double[]{s.devices(), s.rssPerDevice()}).toList());
            if (peerResult != null) {
                series.put("Mosquitto RSS", peerResult.steps().stream()
                        .map(s -> new double[]{s.connections(), s.rssPerConnection()}).toList());
            }
            Plots.memoryPerConnection(dir.resolve("bench-memory.png"), "Server memory per held connection", series);
            files.add("bench-memory.png");
        }
        return files;
    }

    /** The report; {@code plotPrefix} is how the Markdown's directory reaches the plots ("" for the same one). */
    String markdown(List<String> problems, List<String> plotFiles, String plotPrefix) {
        StringBuilder out = new StringBuilder();
        out.append("### Latest run (").append(LocalDate.now()).append(")\n\n");
        out.append("Command: `").append(command).append("`  \n");
        out.append(String.format(Locale.ROOT, "Machine: %d cores, %.1f GiB, %s %s, JDK %s. Hub, its embedded PostgreSQL and "
                        + "the simulator on this machine.%n%n", Runtime.getRuntime().availableProcessors(), memoryGiB(),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version")));
        out.append(problems.isEmpty() ? "**Every message accounted for.**\n\n"
                : "**Not accounted for:**\n" + String.join("\n", problems.stream().map(p -> "- " + p).toList()) + "\n\n");
        out.append("#### Against the targets\n\n| Figure | Fleetwire | Target | Status |\n|---|---|---|---|\n");
        summary.forEach(r -> out.append(r).append('\n'));
        section(out, "Connections held", connections, false);
        section(out, "Telemetry", telemetry, true);
        if (!latency.isEmpty()) {
            out.append("\n#### Command latency (one at a time to a random device; ").append("baselines: seed 000's fallback poll ")
                    .append("every 5 min, Fleet/osquery's 10 s)\n\n| Path | p50 | p99 | p99.9 | max |\n|---|---|---|---|---|\n");
            latency.forEach(r -> out.append(r).append('\n'));
        }
        section(out, "Bandwidth per device at a 3 s interval, plain and with permessage-deflate", bandwidth, false);
        section(out, "Reconnect storm", storm, true);
        section(out, "Ingest ceiling (closed loop: each device sends every 10 ms unless 8 of its messages await their ack)",
                ingest, true);
        if (!peer.isEmpty()) {
            out.append("\n#### Peer: Mosquitto (a fresh broker of the run's own on 127.0.0.1; the same devices, payloads and interval, HiveMQ MQTT client)\n\n")
                    .append("| Figure | Fleetwire | Mosquitto | Ratio |\n|---|---|---|---|\n");
            peer.forEach(r -> out.append(r).append('\n'));
            if (peerResult != null && peerResult.steps().size() > 1) {
                out.append("\nMosquitto RSS per connection at each step: ").append(String.join(", ", peerResult.steps().stream()
                        .map(s -> String.format(Locale.ROOT, "%,d → %s", s.connections(), kb(s.rssPerConnection()))).toList()))
                        .append(".\n");
            }
        }
        if (!plotFiles.isEmpty()) {
            out.append("\n#### Plots\n\n");
            plotFiles.forEach(f -> out.append("![").append(f).append("](").append(plotPrefix).append(f).append(")\n\n"));
        }
        return out.toString();
    }

    private static void section(StringBuilder out, String title, List<String> rows, boolean table) {
        if (rows.isEmpty()) {
            return;
        }
        out.append("\n#### ").append(title).append("\n\n");
        if (table) {
            out.append("| Figure | Fleetwire |\n|---|---|\n");
        }
        rows.forEach(r -> out.append(r).append('\n'));
    }

    private void summary(String figure, String value, String target, boolean met) {
        summary.add("| " + figure + " | " + value + " | " + target + " | " + (met ? "met" : "**missed**") + " |");
    }

    private static void row(List<String> rows, String figure, String value) {
        rows.add("| " + figure + " | " + value + " |");
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    private static String kb(double bytes) {
        return String.format(Locale.ROOT, "%.1f KB", bytes / 1024);
    }

    private static double memoryGiB() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/meminfo"))) {
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
