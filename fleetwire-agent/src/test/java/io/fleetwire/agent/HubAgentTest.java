package io.fleetwire.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.TestHubExtension;
import io.fleetwire.hub.config.ConfigKey;
import io.fleetwire.protocol.Message;
import io.fleetwire.testkit.ApiClient;
import io.fleetwire.testkit.Await;
import io.fleetwire.testkit.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent library against a real hub: commands run once, telemetry is acknowledged, bad tokens stop it. */
@Tag("integration")
class HubAgentTest {

    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension(Map.of(ConfigKey.COMMAND_ACK_TIMEOUT_SECONDS, "1", ConfigKey.TELEMETRY_INTERVAL_SECONDS, "1"));

    private static HubAgent.Builder agent(TestHub.DeviceHandle device, Path stateDir) {
        return HubAgent.builder().hub(URI.create(HUB.hub().httpUrl())).token(device.token()).stateDir(stateDir)
                .backoff(Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    private static String status(String command) {
        return HUB.api().get("/api/v1/commands/" + command).body().path("status").asText();
    }

    @Test
    void commandForAConnectedAgent_runsOnItsHandler_andTheHubSeesTheResult(@TempDir Path state) {
        TestHub.DeviceHandle device = HUB.hub().createDevice("agent-runs");
        AtomicInteger runs = new AtomicInteger();
        try (HubAgent agent = agent(device, state).handler("set_fan_speed", request -> {
            runs.incrementAndGet();
            return CommandOutcome.succeeded(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                    .put("percent", request.params().path("percent").asInt()));
        }).build()) {
            agent.start();
            Await.until("agent open", Duration.ofSeconds(10), () -> agent.state() == ConnectionState.OPEN);
            String id = HUB.api().post("/api/v1/devices/" + device.id() + "/commands",
                    "{\"type\":\"set_fan_speed\",\"params\":{\"fanId\":\"cpu\",\"percent\":55}}").body().path("id").asText();
            Await.until("command succeeded", Duration.ofSeconds(10), () -> status(id).equals("succeeded"));
            assertThat(HUB.api().get("/api/v1/commands/" + id).body().path("output").path("percent").asInt()).isEqualTo(55);
            assertThat(runs.get()).isEqualTo(1);
            assertThat(agent.settings()).hasValueSatisfying(s -> assertThat(s.heartbeatSeconds()).isEqualTo(30));
        }
    }

    @Test
    void commandDeliveredAgainAfterAnAgentRestart_doesNotRunAgain(@TempDir Path state) throws Exception {
        TestHub.DeviceHandle device = HUB.hub().createDevice("agent-once");
        AtomicInteger runs = new AtomicInteger();
        CommandHandler lock = request -> {
            runs.incrementAndGet();
            return CommandOutcome.succeeded(null);
        };
        String id;
        try (HubAgent agent = agent(device, state).handler("lock", lock).build()) {
            agent.start();
            Await.until("agent open", Duration.ofSeconds(10), () -> agent.state() == ConnectionState.OPEN);
            id = HUB.api().post("/api/v1/devices/" + device.id() + "/commands", "{\"type\":\"lock\"}").body().path("id").asText();
            Await.until("command succeeded", Duration.ofSeconds(10), () -> status(id).equals("succeeded"));
        }
        // As if the hub had lost everything after sending it: the command is 'sent' again.
        TestDatabase.queryLong(HUB.hub().dbUrl(), "WITH u AS (UPDATE device_commands SET status = 'sent', delivered_at = NULL,"
                + " finished_at = NULL WHERE id = '" + id + "' RETURNING 1) SELECT count(*) FROM u");
        try (HubAgent agent = agent(device, state).handler("lock", lock).build()) {
            agent.start();
            Await.until("the repeat is acknowledged", Duration.ofSeconds(10), () -> status(id).equals("delivered"));
            // Give a wrongly repeated run every chance to happen before counting.
            Thread.sleep(1_500);
        }
        assertThat(runs.get()).as("runs of command " + id).isEqualTo(1);
    }

    @Test
    void commandsTheDeviceMayNotRun_failWithAClearResult(@TempDir Path state) {
        TestHub.DeviceHandle device = HUB.hub().createDevice("agent-refuses");
        try (HubAgent agent = agent(device, state).handler("lock", r -> CommandOutcome.succeeded(null))
                .handler("reboot", r -> CommandOutcome.succeeded(null)).allowCommands(java.util.Set.of("lock", "buzz")).build()) {
            agent.start();
            Await.until("agent open", Duration.ofSeconds(10), () -> agent.state() == ConnectionState.OPEN);
            String reboot = HUB.api().post("/api/v1/devices/" + device.id() + "/commands", "{\"type\":\"reboot\"}").body().path("id").asText();
            String buzz = HUB.api().post("/api/v1/devices/" + device.id() + "/commands", "{\"type\":\"buzz\"}").body().path("id").asText();
            Await.until("both failed", Duration.ofSeconds(10), () -> status(reboot).equals("failed") && status(buzz).equals("failed"));
            assertThat(HUB.api().get("/api/v1/commands/" + reboot).body().path("error").asText()).contains("not allowed");
            assertThat(HUB.api().get("/api/v1/commands/" + buzz).body().path("error").asText()).contains("no handler");
        }
    }

    @Test
    void telemetry_isAcknowledgedAndStored_evenWhenQueuedBeforeTheConnection(@TempDir Path state) {
        TestHub.DeviceHandle device = HUB.hub().createDevice("agent-telemetry");
        try (HubAgent agent = agent(device, state).build()) {
            Instant t = Instant.now().minusSeconds(5);
            for (int i = 0; i < 5; i++) {
                agent.sendTelemetry(List.of(new Message.Sample(t.plusSeconds(i), Map.of("cpu.usage", 10.0 + i), List.of(),
                        List.of(), Map.of(), com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode())));
            }
            agent.start();
            Await.until("5 samples stored", Duration.ofSeconds(15), () -> TestDatabase.queryLong(HUB.hub().dbUrl(),
                    "SELECT count(*) FROM telemetry WHERE device_id = '" + device.id() + "'") == 5);
        }
    }

    @Test
    void aSettingsChangeInTheHub_changesTheAgentsIntervalWithoutARestart_andTheHubSeesItApplied(@TempDir Path state) throws Exception {
        TestHub.DeviceHandle device = HUB.hub().createDevice("agent-settings");
        String config = "/api/v1/devices/" + device.id() + "/config";
        assertThat(HUB.api().patch(config, "{\"telemetryIntervalSeconds\":60}").status()).isEqualTo(200);
        AtomicInteger samples = new AtomicInteger();
        TelemetrySource counting = () -> {
            samples.incrementAndGet();
            return new Message.Sample(Instant.now(), Map.of("cpu.usage", 1.0), List.of(), List.of(), Map.of(),
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
        };
        try (HubAgent agent = agent(device, state).telemetry(counting).build()) {
            agent.start();
            Await.until("the hub's 60 s interval applied", Duration.ofSeconds(10), () -> HUB.api().get(config).body().path("inSync").asBoolean());
            assertThat(agent.settings()).hasValueSatisfying(s -> assertThat(s.telemetryIntervalSeconds()).isEqualTo(60));
            Await.until("the first sample", Duration.ofSeconds(5), () -> samples.get() >= 1);
            int atSlowRate = samples.get();
            Thread.sleep(2_000);
            assertThat(samples.get()).as("no second sample within a 60 s interval").isEqualTo(atSlowRate);

            long version = HUB.api().patch(config, "{\"telemetryIntervalSeconds\":1}").body().path("version").asLong();
            Await.until("samples every second", Duration.ofSeconds(10), () -> samples.get() >= atSlowRate + 3);
            assertThat(agent.settings()).hasValueSatisfying(s -> {
                assertThat(s.telemetryIntervalSeconds()).isEqualTo(1);
                assertThat(s.version()).isEqualTo(version);
            });
            Await.until("the new version reported applied", Duration.ofSeconds(10), () -> {
                JsonNode view = HUB.api().get(config).body();
                return view.path("inSync").asBoolean() && view.path("applied").path("version").asLong() == version;
            });
        }
        // Kept for an offline start: a new agent on the same state dir starts on the hub's last settings.
        try (HubAgent offline = HubAgent.builder().hub(URI.create("http://127.0.0.1:9")).token(device.token()).stateDir(state).build()) {
            assertThat(offline.settings()).hasValueSatisfying(s -> assertThat(s.telemetryIntervalSeconds()).isEqualTo(1));
        }
    }

    @Test
    void realTelemetryFromThisMachine_arrivesAtTheHubAtTheHubsInterval(@TempDir Path state) {
        TestHub.DeviceHandle device = HUB.hub().createDevice("agent-sampler");
        try (HubAgent agent = agent(device, state).telemetry(io.fleetwire.agent.internal.telemetry.SystemSampler.forThisMachine(
                new io.fleetwire.agent.internal.telemetry.Hwmon(state.resolve("no-hwmon")))).build()) {
            agent.start();
            Await.until("samples with cpu.usage stored", Duration.ofSeconds(20), () -> TestDatabase.queryLong(HUB.hub().dbUrl(),
                    "SELECT count(*) FROM telemetry t JOIN metric_sets m ON m.id = t.set_id"
                            + " WHERE t.device_id = '" + device.id() + "' AND 'cpu.usage' = ANY(m.names)") >= 2);
        }
        JsonNode latest = HUB.api().get("/api/v1/devices/" + device.id()).body().path("latest");
        assertThat(latest.path("metrics").path("memory.used_percent").asDouble()).isBetween(0.0, 100.0);
    }

    @Test
    void whenTheSocketIsBlocked_commandsArriveByFallbackPolling_andRunOnce(@TempDir Path state) {
        TestHub.DeviceHandle device = HUB.hub().createDevice("agent-polls");
        AtomicInteger runs = new AtomicInteger();
        // A path with no WebSocket behind it stands for a proxy that blocks the upgrade; plain HTTP still works.
        try (HubAgent agent = HubAgent.builder().hub(URI.create(HUB.hub().httpUrl() + "/ws/blocked")).token(device.token())
                .stateDir(state).backoff(Duration.ofMillis(200), Duration.ofSeconds(1))
                .fallbackPolling(Duration.ZERO, Duration.ofMillis(300))
                .handler("buzz", r -> {
                    runs.incrementAndGet();
                    return CommandOutcome.succeeded(null);
                }).build()) {
            agent.start();
            String id = HUB.api().post("/api/v1/devices/" + device.id() + "/commands", "{\"type\":\"buzz\"}").body().path("id").asText();
            Await.until("command succeeded over HTTP", Duration.ofSeconds(15), () -> status(id).equals("succeeded"));
            JsonNode done = HUB.api().get("/api/v1/commands/" + id).body();
            assertThat(done.path("deliveredVia").asText()).isEqualTo("http");
            assertThat(agent.state()).isNotEqualTo(ConnectionState.OPEN);
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void whenTheSocketIsBlocked_settingsChangesArriveByFallbackPolling_andTheHubSeesThemApplied(@TempDir Path state) {
        TestHub.DeviceHandle device = HUB.hub().createDevice("agent-polls-settings");
        String config = "/api/v1/devices/" + device.id() + "/config";
        try (HubAgent agent = HubAgent.builder().hub(URI.create(HUB.hub().httpUrl() + "/ws/blocked")).token(device.token())
                .stateDir(state).backoff(Duration.ofMillis(200), Duration.ofSeconds(1))
                .fallbackPolling(Duration.ZERO, Duration.ofMillis(300)).build()) {
            agent.start();
            long version = HUB.api().patch(config, "{\"telemetryIntervalSeconds\":9,\"queueBudgetBytes\":2097152}")
                    .body().path("version").asLong();
            Await.until("the new settings applied over HTTP", Duration.ofSeconds(15), () -> agent.settings()
                    .map(s -> s.version() == version).orElse(false));
            assertThat(agent.settings()).hasValueSatisfying(s -> {
                assertThat(s.telemetryIntervalSeconds()).isEqualTo(9);
                assertThat(s.queueBudgetBytes()).isEqualTo(2_097_152L);
            });
            Await.until("the hub sees the version applied", Duration.ofSeconds(15), () -> {
                JsonNode view = HUB.api().get(config).body();
                return view.path("inSync").asBoolean() && view.path("applied").path("version").asLong() == version;
            });
            assertThat(agent.state()).isNotEqualTo(ConnectionState.OPEN);
        }
    }

    @Test
    void telemetryQueuedWhileTheHubIsUnreachable_survivesAnAgentRestart_andArrivesOnce(@TempDir Path state) throws Exception {
        TestHub.DeviceHandle device = HUB.hub().createDevice("agent-offline-queue");
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Instant t = Instant.now().minusSeconds(60);
        try (HubAgent offline = HubAgent.builder().hub(URI.create("http://127.0.0.1:" + closedPort)).token(device.token())
                .stateDir(state).backoff(Duration.ofMillis(200), Duration.ofSeconds(1)).build()) {
            offline.start();
            for (int i = 0; i < 7; i++) {
                offline.sendTelemetry(List.of(new Message.Sample(t.plusSeconds(i), Map.of("queued", (double) i), List.of(),
                        List.of(), Map.of(), com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode())));
            }
        }
        try (HubAgent online = agent(device, state).build()) {
            online.start();
            Await.until("7 queued samples stored", Duration.ofSeconds(15), () -> TestDatabase.queryLong(HUB.hub().dbUrl(),
                    "SELECT count(*) FROM telemetry WHERE device_id = '" + device.id() + "'") == 7);
            Thread.sleep(1_500);
        }
        assertThat(TestDatabase.queryLong(HUB.hub().dbUrl(), "SELECT count(*) FROM telemetry WHERE device_id = '" + device.id() + "'"))
                .isEqualTo(7);
    }

    @Test
    void anotherAgentWithTheSameToken_stopsThisOne_insteadOfAReplaceFight(@TempDir Path state) throws Exception {
        TestHub.DeviceHandle device = HUB.hub().createDevice("agent-token-fight");
        List<io.fleetwire.testkit.AgentSocket> others = new CopyOnWriteArrayList<>();
        try (HubAgent agent = agent(device, state).build()) {
            agent.start();
            Await.until("agent open", Duration.ofSeconds(10), () -> agent.state() == ConnectionState.OPEN);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (agent.state() != ConnectionState.FAILED && System.nanoTime() < deadline) {
                if (agent.state() == ConnectionState.OPEN) {
                    others.add(io.fleetwire.testkit.AgentSocket.connect(HUB.hub().wsUrl(), device.token()));
                }
                Thread.sleep(100);
            }
            assertThat(agent.state()).isEqualTo(ConnectionState.FAILED);
            assertThat(others).hasSizeGreaterThanOrEqualTo(3);
        } finally {
            others.forEach(io.fleetwire.testkit.AgentSocket::abort);
        }
    }

    @Test
    void aRefusedToken_orARevokedDevice_stopsTheAgentForGood(@TempDir Path state) {
        TestHub.DeviceHandle device = HUB.hub().createDevice("agent-revoked");
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        try (HubAgent agent = agent(device, state).listener((from, to, why) -> states.add(to)).build()) {
            agent.start();
            Await.until("agent open", Duration.ofSeconds(10), () -> agent.state() == ConnectionState.OPEN);
            assertThat(HUB.api().delete("/api/v1/devices/" + device.id()).status()).isEqualTo(204);
            Await.until("agent failed", Duration.ofSeconds(10), () -> agent.state() == ConnectionState.FAILED);
            agent.close();
            assertThat(agent.state()).as("a failed agent stays failed after close").isEqualTo(ConnectionState.FAILED);
        }
        assertThat(states).containsSubsequence(ConnectionState.CONNECTING, ConnectionState.OPEN, ConnectionState.FAILED);
        assertThat(states.getLast()).as("nothing reconnects after FAILED").isEqualTo(ConnectionState.FAILED);

        TestHub.DeviceHandle bogus = new TestHub.DeviceHandle(device.id(), "fwd_not_a_real_token");
        try (HubAgent agent = agent(bogus, state.resolve("b")).build()) {
            agent.start();
            Await.until("agent failed", Duration.ofSeconds(10), () -> agent.state() == ConnectionState.FAILED);
        }
    }
}
