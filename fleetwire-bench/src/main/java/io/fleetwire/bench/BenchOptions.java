package io.fleetwire.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code ./fleetwire bench} runs: the number of simulated devices, how long telemetry flows, how many
 * commands are timed, and where the report goes. {@code --quick} is CI's smoke run (small numbers).
 */
public record BenchOptions(boolean quick, int devices, Duration telemetry, int intervalSeconds, int commands,
                           boolean deflate, Path out, String dbUrl, boolean peer, boolean help) {

    /** A usage error, with the message to print. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    /** Devices one simulator process may hold here (20,000 open files per process, less the JVM's own). */
    static final int MAX_DEVICES = 19_000;

    public static BenchOptions parse(String[] args) throws UsageException {
        boolean quick = false;
        boolean help = false;
        boolean deflate = false;
        Boolean peer = null;
        Integer devices = null;
        Integer seconds = null;
        Integer interval = null;
        Integer commands = null;
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
                case "--seconds" -> seconds = number(a, value(args, ++i, a), 5, 3_600);
                case "--interval-seconds" -> interval = number(a, value(args, ++i, a), 1, 60);
                case "--commands" -> commands = number(a, value(args, ++i, a), 1, 100_000);
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--db-url" -> dbUrl = value(args, ++i, a);
                default -> throw new UsageException("unknown option '" + a + "'");
            }
        }
        int defDevices = quick ? 200 : 1_000;
        int defSeconds = quick ? 20 : 60;
        int defInterval = quick ? 1 : 3;
        int defCommands = quick ? 100 : 1_000;
        Path defOut = Path.of(quick ? "fleetwire-bench-quick.md" : "fleetwire-bench-results.md");
        return new BenchOptions(quick, devices == null ? defDevices : devices,
                Duration.ofSeconds(seconds == null ? defSeconds : seconds), interval == null ? defInterval : interval,
                commands == null ? defCommands : commands, deflate, out == null ? defOut : out, dbUrl,
                peer == null ? !quick : peer, help);
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
                Usage: ./fleetwire bench [--quick] [--devices N] [--seconds S] [--interval-seconds I] [--commands N]
                                         [--deflate] [--no-peer | --peer] [--out FILE] [--db-url URL]

                Starts its own hub (embedded PostgreSQL, or --db-url) as a child process, simulates the devices
                from this process and measures: connections held (hub heap and RSS per device, connect rate),
                telemetry with every message accounted for (sent = acked = rows stored), command latency
                (REST accepted → device, → result stored), bandwidth per device, and a reconnect storm.
                Writes a Markdown report (--out; default fleetwire-bench-results.md, or fleetwire-bench-quick.md).
                Exits 1 when a message is not accounted for.

                  --quick             CI's smoke run: 200 devices, 20 s of telemetry every 1 s, 100 commands
                  --devices N         simulated devices (default 1000; at most 19000 in one process here)
                  --seconds S         telemetry phase (default 60)
                  --interval-seconds  the hub's telemetry interval (default 3)
                  --commands N        commands timed, one at a time (default 1000)
                  --deflate           devices negotiate permessage-deflate (the hub is started with it on)
                  --no-peer, --peer   leave out (default with --quick) or run the same load through the Mosquitto on
                                      127.0.0.1:1883 (HiveMQ MQTT client): RSS per connection, QoS 1 PUBACK and
                                      publish → subscriber latency, side by side with the ratio""";
    }
}
