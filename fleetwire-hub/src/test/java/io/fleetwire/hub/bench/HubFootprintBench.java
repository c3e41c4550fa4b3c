package io.fleetwire.hub.bench;

import io.fleetwire.testkit.AgentSocket;
import io.fleetwire.testkit.ApiClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * First measurements of the hub (issue #5 builds the real suite): heap per idle device socket, and
 * committed telemetry messages per second. Runs a hub process on embedded PostgreSQL; clients are
 * the JDK's WebSocket client in this JVM. Not part of the default suite:
 * {@code ./mvnw -pl fleetwire-hub -am test -Dgroups=bench -Dfleetwire.test.excludedGroups=none -Dtest=HubFootprintBench -Dsurefire.failIfNoSpecifiedTests=false -Dfleetwire.test.skipExternal=true}
 * Figures are printed to the test output (fleetwire-hub/target/surefire-reports/*HubFootprintBench-output.txt).
 */
@Tag("bench")
class HubFootprintBench {

    private static final int IDLE = Integer.getInteger("bench.idle", 3_000);
    private static final int SENDERS = Integer.getInteger("bench.senders", 200);
    private static final int PER_SENDER = Integer.getInteger("bench.messages", 100);

    @Test
    void heapPerIdleSocket_andCommittedTelemetryRate(@TempDir Path dataDir) throws Exception {
        try (var hub = io.fleetwire.hub.BenchHubs.start(dataDir)) {
            ApiClient api = hub.api();
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < IDLE; i++) {
                tokens.add(api.post("/api/v1/devices", "{\"name\":\"idle-" + i + "\"}").body().path("token").asText());
            }
            long before = heapAfterGc(hub);
            List<AgentSocket> sockets = new ArrayList<>();
            long t0 = System.nanoTime();
            for (String token : tokens) {
                AgentSocket s = AgentSocket.connect(hub.wsUrl(), token);
                sockets.add(s);
            }
            sockets.forEach(s -> s.awaitType("welcome"));
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(2_000);
            long after = heapAfterGc(hub);
            System.out.println("BENCH heap histogram with " + IDLE + " sockets (top 25):\n" + histogram(hub));
            System.out.printf("BENCH idle sockets=%d heapBefore=%d heapAfter=%d heapPerSocket=%.0f B connectRate=%.0f/s%n",
                    IDLE, before, after, (after - before) / (double) IDLE, IDLE / connectSeconds);

            // Telemetry: SENDERS devices each send PER_SENDER messages (25 values each) without waiting.
            List<AgentSocket> senders = sockets.subList(0, Math.min(SENDERS, sockets.size()));
            long base = System.currentTimeMillis() - 3_600_000;
            long start = System.nanoTime();
            // Four sending threads, each owning a quarter of the sockets, so one client thread is not the limit.
            int threads = 4;
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<AgentSocket> mine = new ArrayList<>();
                for (int i = t; i < senders.size(); i += threads) {
                    mine.add(senders.get(i));
                }
                Thread w = Thread.ofPlatform().start(() -> {
                    for (int m = 1; m <= PER_SENDER; m++) {
                        for (AgentSocket s : mine) {
                            s.send(message(m, base + m));
                        }
                    }
                    for (AgentSocket s : mine) {
                        s.awaitAck(PER_SENDER);
                    }
                });
                workers.add(w);
            }
            for (Thread w : workers) {
                w.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long total = (long) senders.size() * PER_SENDER;
            System.out.printf("BENCH telemetry messages=%d values/message=25 seconds=%.2f committedPerSecond=%.0f%n",
                    total, seconds, total / seconds);
            String metrics = api.get("/metrics").text();
            System.out.println("BENCH hub counters:\n" + metrics.lines()
                    .filter(l -> l.startsWith("fleetwire_telemetry_commit")).reduce("", (a, l) -> a + "  " + l + "\n"));
            sockets.forEach(AgentSocket::abort);
        }
    }

    private static String message(long seq, long ts) {
        StringBuilder metrics = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            metrics.append(i == 0 ? "" : ",").append("\"sensor").append(i).append("\":").append(40 + i * 0.5);
        }
        return "{\"type\":\"telemetry\",\"seq\":" + seq + ",\"samples\":[{\"ts\":" + ts + ",\"metrics\":{" + metrics + "}}]}";
    }

    private static String histogram(io.fleetwire.hub.BenchHubs.Handle hub) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, Long.toString(hub.pid()), "GC.class_histogram").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out.lines().limit(28).reduce("", (a, l) -> a + l + "\n");
    }

    private static long heapAfterGc(io.fleetwire.hub.BenchHubs.Handle hub) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        for (int i = 0; i < 2; i++) {
            new ProcessBuilder(jcmd, Long.toString(hub.pid()), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
        String text = hub.api().get("/metrics").text();
        Matcher m = Pattern.compile("(?m)^jvm_heap_used_bytes (\\d+)").matcher(text);
        if (!m.find()) {
            throw new AssertionError("no heap gauge in /metrics");
        }
        return Long.parseLong(m.group(1));
    }
}
