package io.fleetwire.hub.bench;

import io.fleetwire.testkit.AgentSocket;
import io.fleetwire.testkit.ApiClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Command latency with many connected devices: from the REST request to the device receiving the
 * command frame, and the REST call's own time, one command at a time to a random device. Every
 * device acknowledges and answers each command, as an agent would. Hub process on embedded
 * PostgreSQL; devices are JDK WebSocket clients in this JVM. Not part of the default suite:
 * {@code ./mvnw -pl fleetwire-hub -am test -Dgroups=bench -Dfleetwire.test.excludedGroups=none -Dtest=CommandLatencyBench -Dsurefire.failIfNoSpecifiedTests=false -Dfleetwire.test.skipExternal=true}
 * (add {@code -Dbench.devices=N -Dbench.commands=M}); figures are printed to
 * fleetwire-hub/target/surefire-reports/*CommandLatencyBench-output.txt.
 */
@Tag("bench")
class CommandLatencyBench {

    private static final int DEVICES = Integer.getInteger("bench.devices", 1_000);
    private static final int COMMANDS = Integer.getInteger("bench.commands", 1_000);
    private static final int WARMUP = 200;

    @Test
    void restToDeviceLatency_atOneThousandConnectedDevices(@TempDir Path dataDir) throws Exception {
        try (var hub = io.fleetwire.hub.BenchHubs.start(dataDir)) {
            ApiClient api = hub.api();
            List<String> ids = new ArrayList<>();
            List<AgentSocket> sockets = new ArrayList<>();
            Map<String, Long> receivedAt = new ConcurrentHashMap<>();
            for (int i = 0; i < DEVICES; i++) {
                var created = api.post("/api/v1/devices", "{\"name\":\"cmd-bench-" + i + "\"}").body();
                ids.add(created.path("id").asText());
                AgentSocket s = AgentSocket.connect(hub.wsUrl(), created.path("token").asText());
                s.onMessage(m -> {
                    if ("command".equals(m.path("type").asText())) {
                        receivedAt.put(m.path("id").asText(), System.nanoTime());
                        String id = m.path("id").asText();
                        s.send("{\"type\":\"command_ack\",\"id\":\"" + id + "\"}");
                        s.send("{\"type\":\"command_result\",\"id\":\"" + id + "\",\"status\":\"succeeded\"}");
                    }
                });
                sockets.add(s);
            }
            sockets.forEach(s -> s.awaitType("welcome"));

            long[] toDevice = new long[COMMANDS];
            long[] rest = new long[COMMANDS];
            for (int i = -WARMUP; i < COMMANDS; i++) {
                String device = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                long t0 = System.nanoTime();
                var r = api.post("/api/v1/devices/" + device + "/commands", "{\"type\":\"buzz\"}");
                long t1 = System.nanoTime();
                assertThat(r.status()).isEqualTo(201);
                String id = r.body().path("id").asText();
                long deadline = System.nanoTime() + 10_000_000_000L;
                Long at;
                while ((at = receivedAt.get(id)) == null) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("command " + id + " not received within 10 s");
                    }
                    Thread.onSpinWait();
                }
                if (i >= 0) {
                    toDevice[i] = at - t0;
                    rest[i] = t1 - t0;
                }
            }
            System.out.printf("BENCH commands devices=%d commands=%d restToDevice %s | restCall %s%n",
                    DEVICES, COMMANDS, percentiles(toDevice), percentiles(rest));
            sockets.forEach(AgentSocket::abort);
        }
    }

    private static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("p50=%.2f ms p90=%.2f ms p99=%.2f ms p99.9=%.2f ms max=%.2f ms",
                at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99), at(sorted, 0.999), sorted[sorted.length - 1] / 1e6);
    }

    private static double at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
