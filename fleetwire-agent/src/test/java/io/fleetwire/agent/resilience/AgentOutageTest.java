package io.fleetwire.agent.resilience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fleetwire.agent.HubAgent;
import io.fleetwire.agent.TelemetrySource;
import io.fleetwire.hub.HubProcess;
import io.fleetwire.protocol.Message;
import io.fleetwire.testkit.Await;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #4's outage guarantees, with real processes: the hub SIGKILLed for 20 s while the agent keeps
 * sampling, and the agent SIGKILLed in the middle of replaying its backlog. Every sample carries a
 * counter ({@code test.counter}); the hub's history must hold each counter exactly once, in order.
 */
@Tag("integration")
class AgentOutageTest {

    private static final String COUNTER = "test.counter";
    private static final Map<String, String> HUB_ENV = Map.of("FLEETWIRE_TELEMETRY_INTERVAL_SECONDS", "1");

    private static String createDevice(HubProcess hub, String name) {
        var r = hub.api().post("/api/v1/devices", "{\"name\":\"" + name + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.body().path("id").asText() + " " + r.body().path("token").asText();
    }

    /** The counters the hub stored for the device, oldest sample first. */
    private static List<Integer> storedCounters(HubProcess hub, String deviceId) {
        JsonNode points = hub.api().get("/api/v1/devices/" + deviceId + "/telemetry?metric=" + COUNTER
                + "&from=" + Instant.now().minus(Duration.ofHours(1)).toEpochMilli() + "&limit=10000").body().path("points");
        List<Integer> out = new ArrayList<>();
        points.forEach(p -> out.add(p.path("value").asInt()));
        return out;
    }

    private static Message.Sample counterSample(Instant ts, int n) {
        return new Message.Sample(ts, Map.of(COUNTER, (double) n), List.of(), List.of(), Map.of(),
                JsonNodeFactory.instance.objectNode());
    }

    @Test
    void hubKilledFor20Seconds_everySampleTakenMeanwhileArrives_inOrder_exactlyOnce(@TempDir Path dir) throws Exception {
        String db = HubProcess.databaseForRun();
        int port = HubProcess.freePort();
        Path data = dir.resolve("hub");
        HubProcess hub = HubProcess.start(data, db, HUB_ENV, port);
        String[] device = createDevice(hub, "outage-hub").split(" ");
        AtomicInteger taken = new AtomicInteger();
        TelemetrySource counting = () -> counterSample(Instant.now(), taken.incrementAndGet());
        try (HubAgent agent = HubAgent.builder().hub(URI.create(hub.httpUrl())).token(device[1]).stateDir(dir.resolve("agent"))
                .backoff(Duration.ofMillis(200), Duration.ofSeconds(1)).telemetry(counting).build()) {
            agent.start();
            Await.until("3 samples stored", Duration.ofSeconds(20), () -> storedCounters(hub, device[0]).size() >= 3);

            hub.kill();
            int atKill = taken.get();
            Thread.sleep(20_000);
            int duringOutage = taken.get() - atKill;
            assertThat(duringOutage).as("samples taken while the hub was down").isGreaterThanOrEqualTo(15);

            try (HubProcess restarted = HubProcess.start(data, db, HUB_ENV, port)) {
                int last = taken.get();
                Await.until("every sample up to " + last + " stored", Duration.ofSeconds(60),
                        () -> storedCounters(restarted, device[0]).size() >= last);
                List<Integer> stored = storedCounters(restarted, device[0]);
                assertThat(stored.subList(0, last)).as("every counter once, in order")
                        .containsExactlyElementsOf(IntStream.rangeClosed(1, last).boxed().toList());
                assertThat(stored).doesNotHaveDuplicates();
            }
        } finally {
            hub.close();
        }
    }

    @Test
    void agentKilledMidBacklog_andRestarted_losesNothing_andDuplicatesNothing(@TempDir Path dir) throws Exception {
        try (HubProcess hub = HubProcess.start(dir.resolve("hub"), HubProcess.databaseForRun(), HUB_ENV)) {
            String[] device = createDevice(hub, "outage-agent").split(" ");
            Path state = dir.resolve("agent");
            int backlog = 200;
            // The backlog: queued on disk by an agent that never reached the hub (as after a long offline spell).
            try (HubAgent offline = HubAgent.builder().hub(URI.create("http://127.0.0.1:9")).token(device[1]).stateDir(state).build()) {
                Instant t0 = Instant.now().minusSeconds(600);
                for (int i = 1; i <= backlog; i++) {
                    offline.sendTelemetry(List.of(counterSample(t0.plusMillis(i * 100L), i)));
                }
            }
            String[] args = {"--hub", hub.httpUrl(), "--token", device[1], "--state-dir", state.toString()};

            Process first = startAgent(args, dir.resolve("first.log"));
            // The agent replays at 15 messages a second: kill it once part of the backlog is in.
            Await.until("part of the backlog stored", Duration.ofSeconds(30), () -> storedCounters(hub, device[0]).size() >= 30);
            first.destroyForcibly();
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            int beforeRestart = storedCounters(hub, device[0]).size();
            assertThat(beforeRestart).as("killed in the middle of the backlog").isLessThan(backlog);

            Process second = startAgent(args, dir.resolve("second.log"));
            try {
                Await.until("the whole backlog stored", Duration.ofSeconds(60),
                        () -> storedCounters(hub, device[0]).size() >= backlog);
                Thread.sleep(1_000);
                assertThat(storedCounters(hub, device[0])).as("every counter once, in order (log: %s)",
                                Files.readString(dir.resolve("second.log")))
                        .containsExactlyElementsOf(IntStream.rangeClosed(1, backlog).boxed().toList());
            } finally {
                second.destroy();
                second.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private static Process startAgent(String[] args, Path log) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), AgentChildMain.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
