package io.fleetwire.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** history_request against a real hub: the agent answers from the samples it took itself. */
@Tag("integration")
class HistoryRequestTest {

    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension(Map.of(ConfigKey.TELEMETRY_INTERVAL_SECONDS, "1"));

    private static JsonNode command(String id) {
        return HUB.api().get("/api/v1/commands/" + id).body();
    }

    @Test
    void historyRequest_returnsEverySampleTheAgentTook_withItsAggregates(@TempDir Path state) {
        TestHub.DeviceHandle device = HUB.hub().createDevice("agent-history");
        int wanted = 3;
        AtomicInteger taken = new AtomicInteger();
        TelemetrySource three = () -> {
            int n = taken.get();
            if (n >= wanted) {
                return null;
            }
            taken.incrementAndGet();
            return new Message.Sample(Instant.now(), Map.of("cpu.usage", 10.0 * (n + 1)), List.of(), List.of(),
                    Map.of("memoryUsage", 50.0), JsonNodeFactory.instance.objectNode());
        };
        Instant from = Instant.now().minusSeconds(60);
        try (HubAgent agent = HubAgent.builder().hub(URI.create(HUB.hub().httpUrl())).token(device.token()).stateDir(state)
                .backoff(Duration.ofMillis(200), Duration.ofSeconds(2)).telemetry(three).history(true).build()) {
            agent.start();
            Await.until("three samples taken at the hub's 1 s interval", Duration.ofSeconds(15), () -> taken.get() == wanted);
            Instant to = Instant.now().plusSeconds(60);
            String id = HUB.api().post("/api/v1/devices/" + device.id() + "/commands",
                    "{\"type\":\"history_request\",\"params\":{\"from\":\"" + from + "\",\"to\":\"" + to + "\"}}").body().path("id").asText();
            Await.until("history_request succeeded", Duration.ofSeconds(10), () -> command(id).path("status").asText().equals("succeeded"));

            JsonNode output = command(id).path("output");
            assertThat(output.path("bucketSeconds").asLong()).isEqualTo(60);
            assertThat(output.path("truncated").asBoolean()).isFalse();
            JsonNode cpu = output.path("metrics").path("cpu.usage");
            long count = 0;
            double min = Double.MAX_VALUE;
            double max = 0;
            for (JsonNode point : cpu) { // [ts, avg, min, max, count]; two points if the samples straddle a minute
                min = Math.min(min, point.get(2).asDouble());
                max = Math.max(max, point.get(3).asDouble());
                count += point.get(4).asLong();
            }
            assertThat(count).as("samples of cpu.usage in " + output).isEqualTo(wanted);
            assertThat(min).isEqualTo(10.0);
            assertThat(max).isEqualTo(30.0);
            assertThat(output.path("metrics").path("systemHealth.memoryUsage")).isNotEmpty();
            assertThat(output.path("metrics").has("agent.queue.backlog")).as("the agent's own queue health is not history").isFalse();
        }
        assertThat(Files.isDirectory(state.resolve("history"))).isTrue();
    }

    @Test
    void anAgentWithoutHistory_failsHistoryRequestsClearly_andKeepsNoHistoryFiles(@TempDir Path state) {
        TestHub.DeviceHandle device = HUB.hub().createDevice("agent-no-history");
        try (HubAgent agent = HubAgent.builder().hub(URI.create(HUB.hub().httpUrl())).token(device.token()).stateDir(state)
                .backoff(Duration.ofMillis(200), Duration.ofSeconds(2)).build()) {
            agent.start();
            Await.until("agent open", Duration.ofSeconds(10), () -> agent.state() == ConnectionState.OPEN);
            String id = HUB.api().post("/api/v1/devices/" + device.id() + "/commands",
                    "{\"type\":\"history_request\",\"params\":{\"from\":\"2026-11-22T08:00:00Z\",\"to\":\"2026-11-22T09:00:00Z\"}}")
                    .body().path("id").asText();
            Await.until("history_request failed", Duration.ofSeconds(10), () -> command(id).path("status").asText().equals("failed"));
            assertThat(command(id).path("error").asText()).contains("no handler for 'history_request'");
        }
        assertThat(Files.exists(state.resolve("history"))).isFalse();
    }
}
