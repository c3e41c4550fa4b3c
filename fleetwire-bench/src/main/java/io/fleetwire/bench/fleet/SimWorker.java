package io.fleetwire.bench.fleet;

import io.fleetwire.sim.FleetOptions;
import io.fleetwire.sim.SimDevice;
import io.fleetwire.sim.SimDevices;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code main} of a simulator worker process ({@link WorkerPart} starts it): simulates ranges of
 * the bench's devices and obeys one command per line on stdin, answering one line on stdout each:
 * {@code start FROM TO}, {@code connected}, {@code stats}, {@code pause}, {@code resume}, {@code drop},
 * {@code quit}. It stops by itself when stdin closes (the bench is gone).
 *
 * <p>Arguments: {@code HUB_URL DEVICES_FILE CONNECT_RATE DEFLATE(true|false) INTERVAL_MILLIS(0: the hub's)
 * IN_FLIGHT_LIMIT MAX_UNACKED}.
 */
public final class SimWorker {

    private SimWorker() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        List<SimDevice> devices = SimDevices.load(Path.of(args[1]));
        long interval = Long.parseLong(args[4]);
        FleetOptions options = FleetOptions.builder(URI.create(args[0]), devices).connectRate(Integer.parseInt(args[2]))
                .deflate(Boolean.parseBoolean(args[3])).telemetryInterval(interval == 0 ? null : Duration.ofMillis(interval))
                .inFlightLimit(Integer.parseInt(args[5])).maxUnacked(Integer.parseInt(args[6])).build();
        try (LocalPart part = new LocalPart(options);
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            out.println("ready");
            String line;
            while ((line = in.readLine()) != null) {
                String[] w = line.strip().split(" ");
                try {
                    switch (w[0]) {
                        case "start" -> {
                            part.start(Integer.parseInt(w[1]), Integer.parseInt(w[2]));
                            out.println("ok");
                        }
                        case "connected" -> out.println(part.connected());
                        case "stats" -> out.println(StatsLine.encode(part.stats()));
                        case "pause" -> {
                            part.pauseTelemetry();
                            out.println("ok");
                        }
                        case "resume" -> {
                            part.resumeTelemetry();
                            out.println("ok");
                        }
                        case "drop" -> {
                            part.dropAll();
                            out.println("ok");
                        }
                        case "quit" -> {
                            out.println("ok");
                            return;
                        }
                        default -> out.println("error unknown command '" + w[0] + "'");
                    }
                } catch (RuntimeException e) {
                    out.println("error " + e);
                }
            }
        } finally {
            // Let the sockets close before the JVM goes.
            Thread.sleep(Duration.ofMillis(200));
        }
    }
}
