package io.fleetwire.sim.cli;

import io.fleetwire.sim.Fleet;
import io.fleetwire.sim.FleetOptions;
import io.fleetwire.sim.FleetStats;
import io.fleetwire.sim.SimDevice;
import io.fleetwire.sim.SimDevices;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./fleetwire sim}: simulates a fleet from this one process until {@code --duration} has passed or it
 * is stopped (Ctrl-C, SIGTERM), with a progress bar while connecting and a status line every second on
 * stderr, then a summary. Exit codes: 0 done, 1 setup failed (hub unreachable, token refused…), 2 bad arguments.
 */
public final class SimMain {

    /** Sockets beyond the devices' (JVM files, HTTP client, logs). */
    private static final int SPARE_FILES = 64;

    private SimMain() {
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        SimArgs args;
        try {
            args = SimArgs.parse(argv, System.getenv());
        } catch (SimArgs.UsageException e) {
            err.println("fleetwire sim: " + e.getMessage());
            err.println("Run './fleetwire sim --help' for the options.");
            return 2;
        }
        if (args.help()) {
            usage(out);
            return 0;
        }
        long maxFiles = maxOpenFiles();
        if (maxFiles > 0 && args.devices() + SPARE_FILES > maxFiles) {
            err.println("fleetwire sim: --devices " + args.devices() + " needs " + (args.devices() + SPARE_FILES)
                    + " open files, and this process may hold " + maxFiles + " (ulimit -n): simulate at most "
                    + (maxFiles - SPARE_FILES) + " per process, and run several processes with their own --state files");
            return 2;
        }
        List<SimDevice> devices;
        try {
            devices = SimDevices.createOrLoad(args.hub(), args.adminToken(), args.devices(), args.state(),
                    n -> { if (!args.quiet() && (n % 100 == 0 || n == args.devices())) {
                        err.print("\rcreating devices: " + n + "/" + args.devices());
                    } });
        } catch (SimDevices.SetupException e) {
            err.println();
            err.println("fleetwire sim: " + e.getMessage());
            return 1;
        }
        if (!args.quiet()) {
            err.println("\rdevices: " + devices.size() + " from " + args.state().toAbsolutePath() + "            ");
        }
        FleetOptions options = FleetOptions.builder(args.hub(), devices).connectRate(args.connectRate())
                .telemetryInterval(args.interval()).deflate(args.deflate()).eventLoops(args.eventLoops()).build();
        return simulate(options, args, err);
    }

    private static int simulate(FleetOptions options, SimArgs args, PrintStream err) {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                finished.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fleetwire-sim-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean tty = System.console() != null;
        Fleet fleet = Fleet.start(options);
        long start = System.nanoTime();
        Duration connectTime = null;
        int code = 0;
        try {
            FleetStats previous = fleet.stats();
            int lastConnected = 0;
            while (!stop.await(1, TimeUnit.SECONDS)) {
                FleetStats now = fleet.stats();
                FleetStats second = now.since(previous);
                previous = now;
                if (connectTime == null && now.connected() == now.devices()) {
                    connectTime = Duration.ofNanos(System.nanoTime() - start);
                }
                // The bar until all are connected (or clearly will not be soon), then the live line.
                boolean connecting = connectTime == null && now.reconnects() == 0
                        && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30 + args.devices() / args.connectRate());
                if (now.authFailures() == now.devices()) {
                    err.println();
                    err.println("fleetwire sim: the hub refused every device token (401/4003): " + args.state()
                            + " belongs to another hub or its devices were deleted; delete it or pass another --state");
                    code = 1;
                    break;
                }
                if (!args.quiet()) {
                    double rate = (now.connected() - lastConnected) / Math.max(1e-9, second.elapsedNanos() / 1e9);
                    String line = connecting ? StatusLine.progress(now.connected(), now.devices(), rate)
                            : StatusLine.live(second, now);
                    err.print(tty ? "\r" + line + "\033[K" : line + "\n");
                }
                lastConnected = now.connected();
                if (args.duration() != null && System.nanoTime() - start >= args.duration().toNanos()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!args.quiet() && tty) {
            err.println();
        }
        // Let what is in flight be acked, so the summary says what was stored.
        fleet.pauseTelemetry();
        try {
            fleet.awaitAllAcked(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        FleetStats total = fleet.stats();
        long rss = rssBytes();
        fleet.close();
        err.print(StatusLine.summary(total, connectTime, rss));
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running: it waited for this
        }
        return code;
    }

    private static void usage(PrintStream out) {
        out.println("""
                Usage: ./fleetwire sim --devices N [options]

                Simulates N devices from this one process (shared event loops, no thread per device). Each speaks
                device protocol v1: hello, telemetry shaped like seed 003 (25 sensor values, 4 fans, system health)
                at the hub's interval, acks tracked and re-sent after reconnects, commands answered like an agent.

                Options:
                  --hub URL               the hub (default http://127.0.0.1:8080)
                  --devices N             how many devices (required; at most the open-file limit minus 64)
                  --admin-token T         the hub's admin token, to create devices (default: $FLEETWIRE_ADMIN_TOKEN;
                                          the hub's data directory keeps only its SHA-256, so it cannot come from there)
                  --state FILE            device ids and tokens, reused by the next run (default ./fleetwire-sim-devices.json)
                  --interval-seconds S    telemetry interval (default: the hub's, from its welcome)
                  --connect-rate R        connection attempts per second, first and re-connects (default 500)
                  --duration D            run for D (60s, 5m, 2h, 500ms) then stop; 'none' (default) runs until Ctrl-C
                  --deflate               offer permessage-deflate (the hub accepts it with FLEETWIRE_WS_COMPRESSION=on)
                  --event-loops N         socket threads (default 2)
                  --quiet                 no progress bar or status line, only the final summary

                Exit codes: 0 done, 1 setup failed (hub unreachable, token refused), 2 bad arguments.""");
    }

    /** The process's open-file limit, or -1 when unknown. */
    static long maxOpenFiles() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }

    /** Resident set size of this process from /proc, or -1. */
    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
