package io.fleetwire.bench;

import io.fleetwire.bench.fleet.Fleets;
import io.fleetwire.sim.FleetOptions;
import io.fleetwire.sim.FleetStats;
import io.fleetwire.sim.SimDevice;
import io.fleetwire.sim.SimDevices;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Bandwidth per device at seed 003's 3 s interval, in both directions, without and with
 * permessage-deflate, measured at the simulator's sockets (framing included) over one window in which
 * both groups run side by side; and what deflate costs the hub per connection (heap and RSS of the
 * deflating group over the plain one). It has a hub of its own, started with
 * {@code FLEETWIRE_WS_COMPRESSION=on}: the suite's main hub runs with compression off (the default), so
 * its memory figures are those of a default hub, and its interval may be longer than 3 s.
 */
final class BandwidthRun {

    static final int INTERVAL_SECONDS = 3;

    /** One group's figures: bytes per device per second each way, and the hub's memory per connection it added. */
    record Group(boolean deflate, int devices, long deflateSockets, double upPerDevice, double downPerDevice,
                 double heapPerDevice, double rssPerDevice, long sent, long acked) {
    }

    private final int devices;
    private final Duration window;
    private final String dbUrl;
    private final String adminToken;
    private final Path work;
    private final PrintStream log;

    BandwidthRun(int devices, Duration window, String dbUrl, String adminToken, Path work, PrintStream log) {
        if (devices < 1 || window.toSeconds() < INTERVAL_SECONDS) {
            throw new IllegalArgumentException("at least one device and one interval");
        }
        this.devices = devices;
        this.window = window;
        this.dbUrl = dbUrl;
        this.adminToken = adminToken;
        this.work = work;
        this.log = log;
    }

    /** The plain group and the deflating group; problems (messages not acknowledged, deflate not negotiated) go to {@code problems}. */
    List<Group> run(List<String> problems) throws Exception {
        Map<String, String> env = Map.of("FLEETWIRE_WS_COMPRESSION", "on",
                "FLEETWIRE_TELEMETRY_INTERVAL_SECONDS", Integer.toString(INTERVAL_SECONDS));
        try (HubChild hub = HubChild.start(work.resolve("hub-bandwidth"), adminToken, dbUrl, env)) {
            URI base = URI.create("http://127.0.0.1:" + hub.port());
            Path devicesFile = work.resolve("bandwidth-devices.json");
            List<SimDevice> all = SimDevices.createOrLoad(base, adminToken, 2 * devices, devicesFile, n -> { });
            long heap0 = hub.liveHeapBytes();
            long rss0 = hub.rssBytes();
            try (Fleets plain = fleet(base, all.subList(0, devices), false, devicesFile);
                 Fleets deflate = fleet(base, all.subList(devices, 2 * devices), true, devicesFile)) {
                plain.grow(devices);
                awaitConnected(plain, problems);
                long heap1 = hub.liveHeapBytes();
                long rss1 = hub.rssBytes();
                deflate.grow(devices);
                awaitConnected(deflate, problems);
                long heap2 = hub.liveHeapBytes();
                long rss2 = hub.rssBytes();
                Thread.sleep(INTERVAL_SECONDS * 1_000L); // every device past its first sample and hello
                FleetStats p0 = plain.stats();
                FleetStats d0 = deflate.stats();
                Thread.sleep(window.toMillis());
                FleetStats p = plain.stats().since(p0);
                FleetStats d = deflate.stats().since(d0);
                plain.pauseTelemetry();
                deflate.pauseTelemetry();
                for (Fleets f : List.of(plain, deflate)) {
                    if (!f.awaitAllAcked(Duration.ofSeconds(60))) {
                        problems.add("bandwidth: " + f.stats().telemetryUnacked() + " messages unacknowledged after 60 s");
                    }
                }
                FleetStats dTotal = deflate.stats();
                if (dTotal.deflateSockets() < devices) {
                    problems.add("bandwidth: only " + dTotal.deflateSockets() + " of " + devices + " sockets negotiated permessage-deflate");
                }
                List<Group> out = new ArrayList<>();
                out.add(group(false, plain.stats(), p, (heap1 - heap0) / (double) devices, (rss1 - rss0) / (double) devices));
                out.add(group(true, dTotal, d, (heap2 - heap1) / (double) devices, (rss2 - rss1) / (double) devices));
                return out;
            }
        }
    }

    private Group group(boolean deflate, FleetStats total, FleetStats window, double heap, double rss) {
        return new Group(deflate, devices, total.deflateSockets(), window.bytesOutPerDevicePerSecond(),
                window.bytesInPerDevicePerSecond(), heap, rss, total.telemetrySent(), total.telemetryAcked());
    }

    private Fleets fleet(URI base, List<SimDevice> group, boolean deflate, Path devicesFile) {
        FleetOptions fo = FleetOptions.builder(base, group).connectRate(2_000).deflate(deflate)
                .telemetryInterval(Duration.ofSeconds(INTERVAL_SECONDS)).build();
        // One process each: the groups are small, and the counts must stay apart.
        return new Fleets(fo, devicesFile, Math.max(devices, 100), work);
    }

    private void awaitConnected(Fleets f, List<String> problems) throws Exception {
        if (!f.awaitConnected(devices, Duration.ofSeconds(120))) {
            problems.add("bandwidth: only " + f.connected() + " of " + devices + " devices connected");
        }
    }
}
