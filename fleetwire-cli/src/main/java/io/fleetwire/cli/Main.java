package io.fleetwire.cli;

import io.fleetwire.hub.HubMain;
import io.fleetwire.hub.config.ConfigKey;

import java.io.PrintStream;
import java.util.Arrays;

/** Entry point of {@code ./fleetwire}: dispatches to a subcommand. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code >= 0) {
            System.exit(code);
        }
    }

    /** Runs a subcommand; returns the exit code, or -1 when the subcommand keeps running (the hub). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            usage(out);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "hub" -> {
                if (rest.length > 0 && (rest[0].equals("--help") || rest[0].equals("-h"))) {
                    hubUsage(out);
                    yield 0;
                }
                if (rest.length > 0) {
                    err.println("fleetwire hub takes no arguments; configure it with environment variables (see --help)");
                    yield 2;
                }
                int code = HubMain.run();
                yield code == 0 ? -1 : code;
            }
            case "agent" -> io.fleetwire.agent.internal.cli.AgentMain.run(rest, out, err);
            case "sim" -> io.fleetwire.sim.cli.SimMain.run(rest, out, err);
            case "bench" -> io.fleetwire.bench.BenchMain.run(rest, out, err);
            case "admin" -> notYet(err, "admin", 2);
            case "test" -> {
                err.println("fleetwire test is run by the ./fleetwire launcher, not by the Java entry point");
                yield 2;
            }
            default -> {
                err.println("fleetwire: unknown subcommand '" + args[0] + "'");
                usage(err);
                yield 2;
            }
        };
    }

    private static int notYet(PrintStream err, String name, int issue) {
        err.println("fleetwire " + name + ": not available yet (tracked in issue #" + issue + ")");
        return 3;
    }

    private static void usage(PrintStream out) {
        out.println("""
                Usage: ./fleetwire <subcommand> [options]

                Subcommands:
                  hub      Start the hub (embedded PostgreSQL unless FLEETWIRE_DB_URL is set)
                  agent    Run the device agent on this machine (--hub URL --token TOKEN; early: issue #4)
                  sim      Simulate a fleet of devices against a hub from one process (--devices N; see sim --help)
                  bench    Run the benchmark suite against a hub it starts (--quick: CI smoke; see bench --help)
                  admin    Administrative commands                          (not yet)
                  test     Build and run the whole test suite (handled by the launcher; args go to Maven)

                Run './fleetwire hub --help' for the hub's settings.""");
    }

    private static void hubUsage(PrintStream out) {
        out.println("Usage: ./fleetwire hub\n\nSettings (environment variables):");
        for (ConfigKey key : ConfigKey.values()) {
            out.printf("  %-38s default %-18s %s%n", key.env(),
                    key.defaultValue().isEmpty() ? "(unset)" : key.defaultValue(), key.description());
        }
    }
}
