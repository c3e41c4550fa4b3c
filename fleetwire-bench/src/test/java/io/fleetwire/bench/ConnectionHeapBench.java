package io.fleetwire.bench;

import io.fleetwire.sim.Fleet;
import io.fleetwire.sim.FleetOptions;
import io.fleetwire.sim.SimDevice;
import io.fleetwire.sim.SimDevices;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one held device socket costs the hub's heap, class by class: a hub process ({@link HubChild},
 * embedded PostgreSQL) and {@code bench.devices} simulated devices in this JVM. A warm-up fleet connects
 * and leaves first (classes, pools and caches that any first socket creates are not charged to the
 * devices); then the live-heap class histogram ({@code jcmd GC.class_histogram}, full GC first) is taken
 * idle and with every device connected, its telemetry acknowledged and paused, and the difference per
 * device is printed, largest first. The hub's JVM options come from {@code bench.hubJvm} (passed as
 * {@code JAVA_TOOL_OPTIONS}). Not in the default suite:
 * <pre>
 * ./mvnw -B -pl fleetwire-bench -am test -Dgroups=bench -Dfleetwire.test.excludedGroups=none \
 *   -Dtest=ConnectionHeapBench -Dsurefire.failIfNoSpecifiedTests=false -Dfleetwire.test.skipExternal=true \
 *   -Dbench.devices=2000
 * </pre>
 * Figures in fleetwire-bench/target/surefire-reports/io.fleetwire.bench.ConnectionHeapBench-output.txt.
 */
@Tag("bench")
class ConnectionHeapBench {

    private static final int DEVICES = Integer.getInteger("bench.devices", 2_000);
    private static final int WARM_UP = Integer.getInteger("bench.warmUp", 200);
    private static final String HUB_JVM = System.getProperty("bench.hubJvm", "");

    @Test
    void heapPerHeldSocket_byClass(@TempDir Path work) throws Exception {
        String admin = "fwa_bench_" + UUID.randomUUID().toString().replace("-", "");
        Map<String, String> env = new HashMap<>(Map.of("FLEETWIRE_TELEMETRY_INTERVAL_SECONDS", "6",
                "FLEETWIRE_WS_COMPRESSION", System.getProperty("bench.compression", "off")));
        if (!HUB_JVM.isBlank()) {
            env.put("JAVA_TOOL_OPTIONS", HUB_JVM);
        }
        try (HubChild hub = HubChild.start(work.resolve("hub"), admin, null, env)) {
            URI base = URI.create("http://127.0.0.1:" + hub.port());
            List<SimDevice> all = SimDevices.createOrLoad(base, admin, WARM_UP + DEVICES, work.resolve("devices.json"), n -> { });
            hold(base, all.subList(0, WARM_UP)).close();
            Thread.sleep(2_000);

            Map<String, long[]> idle = histogram(hub);
            long t0 = System.nanoTime();
            try (Fleet fleet = hold(base, all.subList(WARM_UP, WARM_UP + DEVICES))) {
                double seconds = (System.nanoTime() - t0) / 1e9;
                Map<String, long[]> held = histogram(hub);
                report(idle, held, seconds, hub);
            }
        }
    }

    /** Connects the devices, lets each send its first telemetry, waits for the acks and pauses it. */
    private static Fleet hold(URI base, List<SimDevice> devices) throws InterruptedException {
        Fleet fleet = Fleet.start(FleetOptions.builder(base, devices).connectRate(2_000).build());
        assertThat(fleet.awaitConnected(Duration.ofSeconds(120 + devices.size() / 50))).as("all connected").isTrue();
        Thread.sleep(7_000); // one telemetry interval (6 s): every device has sent, as in the suite's steps
        fleet.pauseTelemetry();
        assertThat(fleet.awaitAllAcked(Duration.ofSeconds(60))).as("all telemetry acked").isTrue();
        return fleet;
    }

    private static void report(Map<String, long[]> idle, Map<String, long[]> held, double connectSeconds, HubChild hub) {
        record Row(String name, long instances, long bytes) {
        }
        List<Row> rows = new ArrayList<>();
        for (var e : held.entrySet()) {
            long[] before = idle.getOrDefault(e.getKey(), new long[2]);
            rows.add(new Row(e.getKey(), e.getValue()[0] - before[0], e.getValue()[1] - before[1]));
        }
        for (var e : idle.entrySet()) {
            if (!held.containsKey(e.getKey())) {
                rows.add(new Row(e.getKey(), -e.getValue()[0], -e.getValue()[1]));
            }
        }
        rows.sort((a, b) -> Long.compare(Math.abs(b.bytes()), Math.abs(a.bytes())));
        long total = rows.stream().mapToLong(Row::bytes).sum();
        StringBuilder out = new StringBuilder();
        out.append(String.format("BENCH heap per held socket: %,d devices, hub JVM options '%s', connected in %.1f s%n",
                DEVICES, HUB_JVM, connectSeconds));
        out.append(String.format("BENCH total: %,d B live heap held − idle = %.0f B per device%n", total,
                total / (double) DEVICES));
        out.append(String.format("%12s %12s %10s  %s%n", "inst/device", "B/device", "share", "class"));
        for (Row r : rows.subList(0, Math.min(40, rows.size()))) {
            out.append(String.format("%12.2f %12.1f %9.1f%%  %s%n", r.instances() / (double) DEVICES,
                    r.bytes() / (double) DEVICES, 100.0 * r.bytes() / total, r.name()));
        }
        System.out.print(out);
    }

    /** Class name → {instances, bytes} of the live heap (jcmd collects first). */
    private static Map<String, long[]> histogram(HubChild hub) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(hub.pid()), "GC.class_histogram").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        Map<String, long[]> classes = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 4 && parts[0].endsWith(":")) {
                classes.merge(parts[3], new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            }
        }
        if (classes.isEmpty()) {
            throw new IllegalStateException("no histogram from jcmd: " + text);
        }
        return classes;
    }
}
