package io.fleetwire.agent.resilience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fleetwire.agent.ConnectionState;
import io.fleetwire.agent.HubAgent;
import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.TestHubExtension;
import io.fleetwire.hub.config.ConfigKey;
import io.fleetwire.protocol.Message;
import io.fleetwire.testkit.Await;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue file damaged while the agent was down (a flipped byte in the middle, a torn tail): the
 * agent still starts, sends every record that survived, once and in order, and reports the damage to
 * the hub in its telemetry ({@code agent.queue.damaged_records}).
 */
@Tag("integration")
class DamagedQueueTest {

    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension(Map.of(ConfigKey.TELEMETRY_INTERVAL_SECONDS, "1"));

    @Test
    void damagedQueueFile_isDetectedAndReported_andTheAgentStillStarts(@TempDir Path state) throws Exception {
        TestHub.DeviceHandle device = HUB.hub().createDevice("damaged-queue");
        int queued = 60;
        try (HubAgent offline = HubAgent.builder().hub(URI.create("http://127.0.0.1:9")).token(device.token()).stateDir(state).build()) {
            Instant t0 = Instant.now().minusSeconds(300);
            for (int i = 1; i <= queued; i++) {
                offline.sendTelemetry(List.of(new Message.Sample(t0.plusMillis(i * 10L), Map.of("test.counter", (double) i),
                        List.of(), List.of(), Map.of(), JsonNodeFactory.instance.objectNode())));
            }
        }
        Path segment;
        try (Stream<Path> files = Files.list(state.resolve("queue"))) {
            segment = files.filter(p -> p.getFileName().toString().startsWith("seg-")).sorted().toList().getLast();
        }
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 2] ^= 0x5A;                                        // a flipped byte mid-file
        Files.write(segment, java.util.Arrays.copyOf(bytes, bytes.length - 7));  // and a torn tail

        try (HubAgent agent = HubAgent.builder().hub(URI.create(HUB.hub().httpUrl())).token(device.token()).stateDir(state)
                .backoff(Duration.ofMillis(200), Duration.ofSeconds(1))
                .telemetry(() -> new Message.Sample(Instant.now(), Map.of("cpu.usage", 1.0), List.of(), List.of(), Map.of(),
                        JsonNodeFactory.instance.objectNode()))
                .build()) {
            agent.start();
            Await.until("agent open", Duration.ofSeconds(10), () -> agent.state() == ConnectionState.OPEN);
            Await.until("the damage reported", Duration.ofSeconds(20), () ->
                    latestMetric(device, "agent.queue.damaged_records") >= 1);
            List<Integer> counters = storedCounters(device);
            assertThat(counters).as("what survived arrives once, in order").isSorted().doesNotHaveDuplicates();
            assertThat(counters.size()).as("most records survive").isBetween(queued - 10, queued - 1);
            assertThat(counters.getFirst()).isEqualTo(1);
        }
    }

    private static double latestMetric(TestHub.DeviceHandle device, String name) {
        JsonNode v = HUB.api().get("/api/v1/devices/" + device.id()).body().path("latest").path("metrics").path(name);
        return v.isNumber() ? v.asDouble() : -1;
    }

    private static List<Integer> storedCounters(TestHub.DeviceHandle device) {
        JsonNode points = HUB.api().get("/api/v1/devices/" + device.id() + "/telemetry?metric=test.counter&from="
                + Instant.now().minusSeconds(3600).toEpochMilli() + "&limit=10000").body().path("points");
        List<Integer> out = new ArrayList<>();
        points.forEach(p -> out.add(p.path("value").asInt()));
        return out;
    }
}
