package io.fleetwire.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code ./fleetwire bench} runs: the simulated devices (connected in steps), how long telemetry
 * flows, how many commands are timed, the maximum-rate ingest run, and where the report goes.
 * {@code --quick} is CI's smoke run (small numbers).
 *
 * @param steps         device counts at which the hub's memory is measured while connecting, ascending, the
 *                      last one {@code devices}
 * @param ingestDevices devices of the maximum-rate ingest run (a closed loop: each keeps a few messages in flight)
 * @param perProcess    devices simulated per process (this one, then simulator worker processes)
 * @param out           the report; {@code null}: the full run rewrites the generated part of docs/benchmarks.md
 * @param bandwidthDevices devices in each group (plain, deflated) of the 3 s bandwidth phase
 * @param bandwidthWindow  that phase's measured window
 */
public record BenchOptions(boolean quick, int devices, List<Integer> steps, Duration telemetry, int intervalSeconds,
                           int commands, int ingestDevices, Duration ingest, int perProcess, boolean deflate, Path out,
                           String dbUrl, boolean peer, boolean help, int bandwidthDevices, Duration bandwidthWindow) {

    /** A usage error, with the message to print. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    /** Devices one hub process may hold here (20,000 open files per process, less the hub's own). */
    static final int MAX_DEVICES = 19_000;
    /** Devices per simulator process by default: two processes for 19,000, each well inside its open-file limit. */
    static final int PER_PROCESS = 9_500;

    public static BenchOptions parse(String[] args) throws UsageException {
        boolean quick = false;
        boolean help = false;
        boolean deflate = false;
        Boolean peer = null;
        Integer devices = null;
        Integer seconds = null;
        Integer interval = null;
        Integer commands = null;
        Integer ingestDevices = null;
        Integer ingestSeconds = null;
        Integer perProcess = null;
        Integer bandwidthDevices = null;
        Integer bandwidthSeconds = null;
        String steps = null;
        Path out = null;
        String dbUrl = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> quick = true;
                case "--deflate" -> deflate = true;
                case "--no-peer" -> peer = false;
                case "--peer" -> peer = true;
                case "--help", "-h" -> help = true;
                case "--devices" -> devices = number(a, value(args, ++i, a), 1, MAX_DEVICES);
                case "--steps" -> steps = value(args, ++i, a);
                case "--seconds" -> seconds = number(a, value(args, ++i, a), 5, 3_600);
                case "--interval-seconds" -> interval = number(a, value(args, ++i, a), 1, 60);
                case "--commands" -> commands = number(a, value(args, ++i, a), 1, 100_000);
                case "--ingest-devices" -> ingestDevices = number(a, value(args, ++i, a), 1, MAX_DEVICES);
                case "--ingest-seconds" -> ingestSeconds = number(a, value(args, ++i, a), 5, 3_600);
                case "--per-process" -> perProcess = number(a, value(args, ++i, a), 100, 18_000);
                case "--bandwidth-devices" -> bandwidthDevices = number(a, value(args, ++i, a), 1, 5_000);
                case "--bandwidth-seconds" -> bandwidthSeconds = number(a, value(args, ++i, a), 6, 3_600);
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--db-url" -> dbUrl = value(args, ++i, a);
                default -> throw new UsageException("unknown option '" + a + "'");
            }
        }
        int n = devices == null ? (quick ? 200 : 1_000) : devices;
        List<Integer> stepList = steps == null ? List.of(n) : steps(steps, n);
        int ingestN = ingestDevices == null ? Math.min(n, quick ? 100 : 1_000) : ingestDevices;
        if (ingestN > n) {
            throw new UsageException("--ingest-devices must be at most --devices (" + n + "), not " + ingestN);
        }
        Path defOut = quick ? Path.of("fleetwire-bench-quick.md") : null;
        return new BenchOptions(quick, n, stepList, Duration.ofSeconds(seconds == null ? (quick ? 20 : 60) : seconds),
                interval == null ? (quick ? 1 : 3) : interval, commands == null ? (quick ? 100 : 1_000) : commands,
                ingestN, Duration.ofSeconds(ingestSeconds == null ? (quick ? 5 : 30) : ingestSeconds),
                perProcess == null ? PER_PROCESS : perProcess, deflate, out == null ? defOut : out, dbUrl,
                peer == null ? !quick : peer, help, bandwidthDevices == null ? (quick ? 50 : 500) : bandwidthDevices,
                Duration.ofSeconds(bandwidthSeconds == null ? (quick ? 12 : 30) : bandwidthSeconds));
    }

    private static List<Integer> steps(String text, int devices) throws UsageException {
        List<Integer> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            int v = number("--steps", part.strip(), 1, MAX_DEVICES);
            if (!out.isEmpty() && v <= out.getLast()) {
                throw new UsageException("--steps must go up, e.g. 5000,10000,19000; got " + text);
            }
            out.add(v);
        }
        if (out.getLast() != devices) {
            throw new UsageException("--steps must end at --devices (" + devices + "), not " + out.getLast());
        }
        return List.copyOf(out);
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static int number(String option, String text, int min, int max) throws UsageException {
        int v;
        try {
            v = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a whole number, not '" + text + "'");
        }
        if (v < min || v > max) {
            throw new UsageException(option + " must be between " + min + " and " + max + ", not " + v);
        }
        return v;
    }

    static String usage() {
        return """
                Usage: ./fleetwire bench [--quick] [--devices N] [--steps A,B,…] [--seconds S] [--interval-seconds I]
                                         [--commands N] [--ingest-devices N] [--ingest-seconds S] [--per-process N]
                                         [--deflate] [--no-peer | --peer] [--out FILE] [--db-url URL]

                Starts its own hub (embedded PostgreSQL, or --db-url) as a child process, simulates the devices
                (this process and, past --per-process devices, simulator worker processes) and measures:
                connections held at each step (hub heap and RSS per device, connect rate, 200 commands idle and
                200 under telemetry), telemetry with every message accounted for (sent = acked = rows stored),
                command latency (REST accepted → device, → result stored) idle and under telemetry load with all
                devices connected, bandwidth per device, a reconnect storm, the
                highest committed telemetry rate (closed loop), database size per device per day, and the same
                load through Mosquitto. Exits 1 when a message is not accounted for.

                The full run rewrites the generated part of docs/benchmarks.md (between its bench markers) and
                writes its plots to docs/bench/; with --out it writes that report (and plots beside it) instead.

                  --quick             CI's smoke run: 200 devices, 20 s of telemetry every 1 s, 100 commands, 5 s
                                      ingest with 100 devices, no peer; report in fleetwire-bench-quick.md
                  --devices N         simulated devices (default 1000; at most 19000: one hub process holds ~19k sockets)
                  --steps A,B,…       connect in steps, measuring the hub at each (e.g. 5000,10000,19000; ends at N)
                  --seconds S         telemetry phase (default 60)
                  --interval-seconds  the hub's telemetry interval (default 3)
                  --commands N        commands timed, one at a time, idle and again under telemetry (default 1000)
                  --ingest-devices N  devices of the maximum-rate ingest run (default 1000, at most N)
                  --ingest-seconds S  its length (default 30)
                  --per-process N     devices per simulator process (default 9500)
                  --bandwidth-devices N  devices in each group of the bandwidth phase: at a 3 s interval, one group
                                      plain and one with permessage-deflate, on a hub of its own (default 500; 50 quick)
                  --bandwidth-seconds S  its measured window (default 30; 12 quick)
                  --deflate           devices negotiate permessage-deflate (the hub is started with it on)
                  --no-peer, --peer   leave out (default with --quick) or run the same load through a Mosquitto the
                                      bench starts for the run (the mosquitto executable, on a free 127.0.0.1 port;
                                      HiveMQ MQTT client): RSS per connection at each step, QoS 1 PUBACK and
                                      publish → subscriber latency, side by side with the ratio""";
    }
}
