package io.fleetwire.bench;

import io.fleetwire.sim.CommandListener;
import io.fleetwire.sim.CommandReceipt;
import io.fleetwire.sim.Fleet;
import io.fleetwire.sim.FleetOptions;
import io.fleetwire.sim.FleetStats;
import io.fleetwire.sim.SimDevice;
import io.fleetwire.sim.SimDevices;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One benchmark run against one hub process: each phase measures one figure of issue #5 and appends
 * it to the {@link Report}. Every message is accounted for: the run fails unless telemetry sent =
 * acknowledged = rows stored and every timed command's result was stored.
 */
final class BenchRun {

    private final BenchOptions options;
    private final HubChild hub;
    private final String adminToken;
    private final PrintStream log;
    private final Report report;
    private final HttpClient http = HttpClient.newHttpClient();

    BenchRun(BenchOptions options, HubChild hub, String adminToken, PrintStream log, Report report) {
        this.options = options;
        this.hub = hub;
        this.adminToken = adminToken;
        this.log = log;
        this.report = report;
    }

    /** Runs every phase; returns the problems found (empty: every message accounted for). */
    List<String> run(Path stateFile) throws Exception {
        URI base = URI.create("http://127.0.0.1:" + hub.port());
        long heapIdle = hub.liveHeapBytes();
        long rssIdle = hub.rssBytes();
        log.println("bench: creating " + options.devices() + " devices");
        List<SimDevice> devices = SimDevices.createOrLoad(base, adminToken, options.devices(), stateFile, n -> { });
        FleetOptions fo = FleetOptions.builder(base, devices).connectRate(2_000).deflate(options.deflate()).build();
        List<String> problems = new java.util.ArrayList<>();
        try (Fleet fleet = Fleet.start(fo)) {
            long t0 = System.nanoTime();
            Duration connectLimit = Duration.ofSeconds(120 + options.devices() / 50);
            if (!fleet.awaitConnected(connectLimit)) {
                problems.add("only " + fleet.connected() + " of " + options.devices() + " devices connected within "
                        + connectLimit.toSeconds() + " s");
                return problems;
            }
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            fleet.pauseTelemetry();
            fleet.awaitAllAcked(Duration.ofSeconds(60));
            long heapHeld = hub.liveHeapBytes();
            long rssHeld = hub.rssBytes();
            report.connections(options.devices(), connectSeconds, heapIdle, heapHeld, rssIdle, rssHeld);

            log.println("bench: telemetry for " + options.telemetry().toSeconds() + " s");
            FleetStats before = fleet.stats();
            long storedBefore = storedRows();
            fleet.resumeTelemetry();
            Thread.sleep(options.telemetry().toMillis());
            fleet.pauseTelemetry();
            FleetStats flowing = fleet.stats().since(before);
            if (!fleet.awaitAllAcked(Duration.ofSeconds(120))) {
                problems.add(fleet.stats().telemetryUnacked() + " telemetry messages still unacknowledged after 120 s");
            }
            FleetStats telemetry = fleet.stats().since(before);
            long stored = storedRows() - storedBefore;
            report.telemetry(telemetry, flowing, stored, options.intervalSeconds());
            if (telemetry.telemetrySent() != telemetry.telemetryAcked() || telemetry.telemetryAcked() != stored) {
                problems.add("telemetry not accounted for: sent " + telemetry.telemetrySent() + ", acked "
                        + telemetry.telemetryAcked() + ", stored " + stored);
            }

            log.println("bench: " + options.commands() + " commands, one at a time");
            problems.addAll(commands(fleet, base, devices));

            log.println("bench: reconnect storm");
            problems.addAll(storm(fleet));
        }
        return problems;
    }

    private List<String> commands(Fleet fleet, URI base, List<SimDevice> devices) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Histogram toDevice = new Histogram(60_000_000_000L, 3);
        Histogram toStored = new Histogram(60_000_000_000L, 3);
        Map<String, Boolean> stored = new ConcurrentHashMap<>();
        fleet.onCommand(new CommandListener() {
            @Override
            public void received(CommandReceipt r) {
                Long t = sentAt.get(r.deviceId());
                if (t != null) {
                    synchronized (toDevice) {
                        toDevice.recordValue(Math.max(0, r.receivedAtNanos() - t));
                    }
                }
            }

            @Override
            public void resultStored(CommandReceipt r, long storedAtNanos) {
                Long t = sentAt.get(r.deviceId());
                if (t != null) {
                    synchronized (toStored) {
                        toStored.recordValue(Math.max(0, storedAtNanos - t));
                    }
                    stored.put(r.commandId(), true);
                }
            }
        });
        int warmup = Math.min(50, options.commands());
        int failures = 0;
        for (int i = 0; i < warmup + options.commands(); i++) {
            if (i == warmup) {
                synchronized (toDevice) {
                    toDevice.reset();
                }
                synchronized (toStored) {
                    toStored.reset();
                }
                stored.clear();
            }
            SimDevice d = devices.get(ThreadLocalRandom.current().nextInt(devices.size()));
            sentAt.put(d.id(), System.nanoTime());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/devices/" + d.id() + "/commands"))
                    .header("Authorization", "Bearer " + adminToken)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"buzz\",\"params\":{}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                failures++;
            }
            String id = r.body().replaceAll(".*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (i >= warmup && !stored.containsKey(id) && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
            sentAt.remove(d.id());
        }
        report.commands(options.commands(), toDevice, toStored);
        List<String> problems = new java.util.ArrayList<>();
        if (failures > 0) {
            problems.add(failures + " command creations were refused");
        }
        if (stored.size() != options.commands()) {
            problems.add("only " + stored.size() + " of " + options.commands() + " command results stored within 10 s each");
        }
        return problems;
    }

    private List<String> storm(Fleet fleet) throws Exception {
        long cpu0 = hub.cpuTicks();
        long peakRss = hub.rssBytes();
        long t0 = System.nanoTime();
        fleet.resumeTelemetry();
        fleet.dropAll();
        long limitSeconds = 180 + options.devices() / 50;
        long deadline = t0 + Duration.ofSeconds(limitSeconds).toNanos();
        boolean back = false;
        Thread.sleep(200);
        while (System.nanoTime() < deadline) {
            peakRss = Math.max(peakRss, hub.rssBytes());
            if (fleet.connected() == options.devices()) {
                back = true;
                break;
            }
            Thread.sleep(100);
        }
        double reconnectSeconds = (System.nanoTime() - t0) / 1e9;
        fleet.pauseTelemetry();
        boolean caughtUp = fleet.awaitAllAcked(Duration.ofSeconds(120));
        double caughtUpSeconds = (System.nanoTime() - t0) / 1e9;
        peakRss = Math.max(peakRss, hub.rssBytes());
        double cpuSeconds = (hub.cpuTicks() - cpu0) / 100.0;
        report.storm(options.devices(), reconnectSeconds, caughtUpSeconds, cpuSeconds, peakRss);
        List<String> problems = new java.util.ArrayList<>();
        if (!back) {
            problems.add("only " + fleet.connected() + " of " + options.devices() + " devices back within " + limitSeconds
                    + " s of the storm");
        }
        if (!caughtUp) {
            problems.add(fleet.stats().telemetryUnacked() + " messages unacknowledged after the storm");
        }
        return problems;
    }

    private long storedRows() throws Exception {
        try (Connection c = DriverManager.getConnection(hub.jdbcUrl());
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM telemetry")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
