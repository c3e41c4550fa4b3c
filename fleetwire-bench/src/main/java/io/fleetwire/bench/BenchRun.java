package io.fleetwire.bench;

import io.fleetwire.bench.fleet.Fleets;
import io.fleetwire.sim.CommandListener;
import io.fleetwire.sim.CommandReceipt;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One benchmark run against one hub process: each phase measures one figure of issue #5 and hands it
 * to the {@link Report}. Every message is accounted for: the run fails unless telemetry sent =
 * acknowledged = rows stored (in the main phases and in the ingest run) and every timed command's
 * result was stored.
 */
final class BenchRun {

    /** Ingest run: each device sends every 10 ms unless this many of its messages wait for their ack. */
    private static final int INGEST_IN_FLIGHT = 8;
    /** Commands timed at each connection step (idle). */
    private static final int STEP_COMMANDS = 200;

    private final BenchOptions options;
    private final HubChild hub;
    private final String adminToken;
    private final PrintStream log;
    private final Report report;
    private final Path work;
    private final HttpClient http = HttpClient.newHttpClient();
    private final long startedAt = System.nanoTime();

    BenchRun(BenchOptions options, HubChild hub, String adminToken, PrintStream log, Report report, Path work) {
        this.options = options;
        this.hub = hub;
        this.adminToken = adminToken;
        this.log = log;
        this.report = report;
        this.work = work;
    }

    /** Runs every phase; returns the problems found (empty: every message accounted for). */
    List<String> run() throws Exception {
        URI base = URI.create("http://127.0.0.1:" + hub.port());
        Path devicesFile = work.resolve("devices.json");
        long heapIdle = hub.liveHeapBytes();
        long rssIdle = hub.rssBytes();
        long[] db0 = telemetryTable();
        say("creating " + options.devices() + " devices");
        List<SimDevice> devices = SimDevices.createOrLoad(base, adminToken, options.devices(), devicesFile, n -> { });
        FleetOptions fo = FleetOptions.builder(base, devices).connectRate(2_000).deflate(options.deflate()).build();
        List<String> problems = new ArrayList<>();
        try (Fleets fleets = new Fleets(fo, devicesFile, options.perProcess(), work)) {
            // Connecting only, as on the peer's side: not the measurements and commands at each step.
            double connectSeconds = 0;
            for (int step : options.steps()) {
                say("connecting " + step + " devices");
                long s0 = System.nanoTime();
                int before = fleets.started();
                fleets.grow(step);
                Duration limit = Duration.ofSeconds(120 + (step - before) / 50);
                if (!fleets.awaitConnected(step, limit)) {
                    problems.add("only " + fleets.connected() + " of " + step + " devices connected within "
                            + limit.toSeconds() + " s");
                    return problems;
                }
                double stepSeconds = (System.nanoTime() - s0) / 1e9;
                connectSeconds += stepSeconds;
                fleets.pauseTelemetry();
                fleets.awaitAllAcked(Duration.ofSeconds(60));
                double heap = (hub.liveHeapBytes() - heapIdle) / (double) step;
                double rss = (hub.rssBytes() - rssIdle) / (double) step;
                Timed idle = timeCommands(fleets, base, "idle, " + step + " devices", STEP_COMMANDS);
                problems.addAll(idle.problems());
                Timed loaded = underTelemetry(fleets, () -> timeCommands(fleets, base,
                        "under telemetry load, " + step + " devices", STEP_COMMANDS));
                problems.addAll(loaded.problems());
                report.step(new Report.Step(step, step - before, fleets.processes(), stepSeconds, heap, rss,
                        idle.toDevice(), idle.toStored(), loaded.toDevice(), loaded.toStored()));
            }
            report.connections(options.devices(), fleets.processes(), connectSeconds, heapIdle);

            say("telemetry for " + options.telemetry().toSeconds() + " s");
            problems.addAll(telemetry(fleets));

            say("" + options.commands() + " commands, one at a time, idle");
            problems.addAll(commands(fleets, base, "idle"));
            say("" + options.commands() + " commands, one at a time, under telemetry");
            problems.addAll(underTelemetry(fleets, () -> commands(fleets, base, "under telemetry load")));

            say("reconnect storm");
            problems.addAll(storm(fleets));
        }
        say("maximum-rate ingest, " + options.ingestDevices() + " devices for " + options.ingest().toSeconds() + " s");
        problems.addAll(ingest(fo));
        long[] db1 = telemetryTable();
        report.database(db1[0] - db0[0], db1[1] - db0[1], options.intervalSeconds());
        return problems;
    }

    /** A measurement taken while every device sends telemetry at the run's interval (after one interval to spread out). */
    private <T> T underTelemetry(Fleets fleets, Callable<T> measurement) throws Exception {
        fleets.resumeTelemetry();
        try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(options.intervalSeconds()));
            return measurement.call();
        } finally {
            fleets.pauseTelemetry();
            fleets.awaitAllAcked(Duration.ofSeconds(60));
        }
    }

    private List<String> telemetry(Fleets fleets) throws Exception {
        FleetStats before = fleets.stats();
        long storedBefore = storedRows();
        fleets.resumeTelemetry();
        Thread.sleep(options.telemetry().toMillis());
        fleets.pauseTelemetry();
        FleetStats flowing = fleets.stats().since(before);
        List<String> problems = new ArrayList<>();
        if (!fleets.awaitAllAcked(Duration.ofSeconds(120))) {
            problems.add(fleets.stats().telemetryUnacked() + " telemetry messages still unacknowledged after 120 s");
        }
        FleetStats telemetry = fleets.stats().since(before);
        long stored = storedRows() - storedBefore;
        report.telemetry(telemetry, flowing, stored, options.intervalSeconds());
        if (telemetry.telemetrySent() != telemetry.telemetryAcked() || telemetry.telemetryAcked() != stored) {
            problems.add("telemetry not accounted for: sent " + telemetry.telemetrySent() + ", acked "
                    + telemetry.telemetryAcked() + ", stored " + stored);
        }
        return problems;
    }

    /** Latencies of timed commands, and what went wrong. */
    /** {@code toCreated}: request sent → 201 received (the command's transaction committed), the first part of {@code toDevice}. */
    private record Timed(Histogram toCreated, Histogram toDevice, Histogram toStored, List<String> problems) {
    }

    private List<String> commands(Fleets fleets, URI base, String condition) throws Exception {
        Timed t = timeCommands(fleets, base, condition, options.commands());
        report.commands(condition, options.commands(), t.toCreated(), t.toDevice(), t.toStored());
        return t.problems();
    }

    /** {@code count} commands one at a time to random devices of this process, after up to 50 for warm-up. */
    private Timed timeCommands(Fleets fleets, URI base, String condition, int count) throws Exception {
        List<SimDevice> targets = fleets.localDevices();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Histogram toCreated = new Histogram(60_000_000_000L, 3);
        Histogram toDevice = new Histogram(60_000_000_000L, 3);
        Histogram toStored = new Histogram(60_000_000_000L, 3);
        Map<String, Boolean> stored = new ConcurrentHashMap<>();
        fleets.onCommand(new CommandListener() {
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
        int warmup = Math.min(50, count);
        int failures = 0;
        // A warm-up command's result may be stored after the timed ones began: only timed ids are counted.
        List<String> timed = new ArrayList<>(count);
        for (int i = 0; i < warmup + count; i++) {
            if (i == warmup) {
                synchronized (toDevice) {
                    toDevice.reset();
                }
                synchronized (toStored) {
                    toStored.reset();
                }
                toCreated.reset();
                stored.clear();
            }
            SimDevice d = targets.get(ThreadLocalRandom.current().nextInt(targets.size()));
            long sent = System.nanoTime();
            sentAt.put(d.id(), sent);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/devices/" + d.id() + "/commands"))
                    .header("Authorization", "Bearer " + adminToken)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"buzz\",\"params\":{}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                failures++;
            } else {
                toCreated.recordValue(System.nanoTime() - sent);
            }
            String id = r.body().replaceAll(".*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
            if (i >= warmup) {
                timed.add(id);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (i >= warmup && !stored.containsKey(id) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(100_000);
            }
            sentAt.remove(d.id());
        }
        List<String> problems = new ArrayList<>();
        if (failures > 0) {
            problems.add(failures + " command creations were refused (" + condition + ")");
        }
        long storedTimed = timed.stream().filter(stored::containsKey).count();
        if (storedTimed != count) {
            problems.add("only " + storedTimed + " of " + count + " command results stored within 10 s each ("
                    + condition + ")");
        }
        return new Timed(toCreated, toDevice, toStored, problems);
    }

    private List<String> storm(Fleets fleets) throws Exception {
        long cpu0 = hub.cpuTicks();
        long peakRss = hub.rssBytes();
        double peakCpu = 0;
        long t0 = System.nanoTime();
        fleets.resumeTelemetry();
        fleets.dropAll();
        long limitSeconds = 180 + options.devices() / 50;
        long deadline = t0 + Duration.ofSeconds(limitSeconds).toNanos();
        boolean back = false;
        long lastTicks = cpu0;
        long lastAt = t0;
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            long now = System.nanoTime();
            long ticks = hub.cpuTicks();
            peakCpu = Math.max(peakCpu, 100.0 * (ticks - lastTicks) / 100.0 / ((now - lastAt) / 1e9));
            lastTicks = ticks;
            lastAt = now;
            peakRss = Math.max(peakRss, hub.rssBytes());
            if (fleets.connected() == options.devices()) {
                back = true;
                break;
            }
        }
        double reconnectSeconds = (System.nanoTime() - t0) / 1e9;
        fleets.pauseTelemetry();
        boolean caughtUp = fleets.awaitAllAcked(Duration.ofSeconds(120));
        double caughtUpSeconds = (System.nanoTime() - t0) / 1e9;
        peakRss = Math.max(peakRss, hub.rssBytes());
        double cpuSeconds = (hub.cpuTicks() - cpu0) / 100.0;
        report.storm(options.devices(), reconnectSeconds, caughtUpSeconds, cpuSeconds, peakCpu, peakRss);
        List<String> problems = new ArrayList<>();
        if (!back) {
            problems.add("only " + fleets.connected() + " of " + options.devices() + " devices back within " + limitSeconds
                    + " s of the storm");
        }
        if (!caughtUp) {
            problems.add(fleets.stats().telemetryUnacked() + " messages unacknowledged after the storm");
        }
        return problems;
    }

    /**
     * The highest committed rate: {@code ingestDevices} devices each send every 10 ms unless
     * {@link #INGEST_IN_FLIGHT} of their messages wait for an ack, so the hub is offered what it can
     * commit; counted over the window, then every message accounted for.
     */
    private List<String> ingest(FleetOptions all) throws Exception {
        FleetOptions fo = FleetOptions.builder(all.hub(), all.devices().subList(0, options.ingestDevices()))
                .connectRate(2_000).deflate(options.deflate()).telemetryInterval(Duration.ofMillis(10))
                .inFlightLimit(INGEST_IN_FLIGHT).maxUnacked(10_000).build();
        List<String> problems = new ArrayList<>();
        long storedAtStart = storedRows();
        try (Fleets fleets = new Fleets(fo, work.resolve("devices.json"), options.perProcess(), work)) {
            fleets.grow(options.ingestDevices());
            if (!fleets.awaitConnected(options.ingestDevices(), Duration.ofSeconds(120 + options.ingestDevices() / 50))) {
                problems.add("ingest: only " + fleets.connected() + " of " + options.ingestDevices() + " devices connected");
                return problems;
            }
            Thread.sleep(3_000); // warm-up
            List<Long> pg = ProcessStats.postgres(work.resolve("hub").resolve("pg"));
            List<Long> sim = ProcessStats.simulator(hub.pid());
            FleetStats before = fleets.stats();
            long[] cpu0 = {hub.cpuTicks(), ProcessStats.cpuTicks(pg), ProcessStats.cpuTicks(sim)};
            Thread.sleep(options.ingest().toMillis());
            FleetStats window = fleets.stats().since(before);
            double[] cpuSeconds = {(hub.cpuTicks() - cpu0[0]) / 100.0, (ProcessStats.cpuTicks(pg) - cpu0[1]) / 100.0,
                    (ProcessStats.cpuTicks(sim) - cpu0[2]) / 100.0};
            fleets.pauseTelemetry();
            if (!fleets.awaitAllAcked(Duration.ofSeconds(120))) {
                problems.add("ingest: " + fleets.stats().telemetryUnacked() + " messages unacknowledged after 120 s");
            }
            // Accounted over the whole ingest run: what was in flight when the window opened or closed counts too.
            FleetStats total = fleets.stats();
            long stored = storedRows() - storedAtStart;
            report.ingest(options.ingestDevices(), window, total, stored, cpuSeconds);
            if (total.telemetrySent() != total.telemetryAcked() || total.telemetryAcked() != stored) {
                problems.add("ingest not accounted for: sent " + total.telemetrySent() + ", acked " + total.telemetryAcked()
                        + ", stored " + stored);
            }
        }
        return problems;
    }

    private void say(String what) {
        log.printf(java.util.Locale.ROOT, "bench [%6.1f s]: %s%n", (System.nanoTime() - startedAt) / 1e9, what);
    }

    private long storedRows() throws Exception {
        try (Connection c = DriverManager.getConnection(hub.jdbcUrl());
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM telemetry")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Rows and bytes (tables, indexes and TOAST of every partition) of the telemetry table. */
    private long[] telemetryTable() throws Exception {
        try (Connection c = DriverManager.getConnection(hub.jdbcUrl());
             ResultSet rs = c.createStatement().executeQuery("SELECT (SELECT count(*) FROM telemetry),"
                     + " (SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0) FROM pg_inherits"
                     + " WHERE inhparent = 'telemetry'::regclass)")) {
            rs.next();
            return new long[]{rs.getLong(1), rs.getLong(2)};
        }
    }
}
