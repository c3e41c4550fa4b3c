package io.fleetwire.hub.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.TestHubExtension;
import io.fleetwire.hub.config.ConfigKey;
import io.fleetwire.testkit.AgentSocket;
import io.fleetwire.testkit.ApiClient;
import io.fleetwire.testkit.Await;
import io.fleetwire.testkit.Telemetry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class DeviceSocketTest {

    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension(Map.of(ConfigKey.DEVICE_RATE, "200", ConfigKey.DEVICE_BURST, "400"));

    @Test
    void telemetry_whenSentByAConnectedDevice_isAckedAndVisibleThroughRest() {
        TestHub.DeviceHandle device = HUB.hub().createDevice("ack-rest");
        long now = System.currentTimeMillis();
        try (AgentSocket socket = AgentSocket.connect(HUB.hub().wsUrl(), device.token())) {
            JsonNode welcome = socket.awaitType("welcome");
            assertThat(welcome.path("deviceId").asText()).isEqualTo(device.id());
            assertThat(welcome.path("settings").path("heartbeatSeconds").asInt()).isEqualTo(30);
            assertThat(welcome.path("serverTime").asLong()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));

            socket.send(Telemetry.message(1, now - 1000, 12.5));
            socket.send(Telemetry.message(2, now, 17.5));
            // Two messages may commit in two transactions, so their acks may come in either order
            // (docs/protocol.md): awaitAck(1) would drop an ack 2 that came first.
            java.util.Set<Long> acked = new java.util.HashSet<>();
            while (acked.size() < 2) {
                acked.add(socket.await(m -> "ack".equals(m.path("type").asText()), Duration.ofSeconds(15)).path("seq").asLong());
            }
            assertThat(acked).containsExactlyInAnyOrder(1L, 2L);
        }
        ApiClient api = HUB.hub().api();
        // Once the socket is gone, lastSeen is the stored one, written by the presence writer shortly after.
        Await.until("lastSeen stored", Duration.ofSeconds(10), () ->
                api.get("/api/v1/devices/" + device.id()).body().path("lastSeen").isTextual());
        JsonNode got = api.get("/api/v1/devices/" + device.id()).body();
        assertThat(got.path("latest").path("ts").asText()).isEqualTo(java.time.Instant.ofEpochMilli(now).toString());
        assertThat(got.path("latest").path("seq").asLong()).isEqualTo(2);
        assertThat(got.path("latest").path("metrics").path("cpu.usage").asDouble()).isEqualTo(17.5);
        assertThat(got.path("latest").path("metrics").path("sensor.cpu_temp.temperature").asDouble()).isEqualTo(45.2);
        assertThat(got.path("latest").path("state").path("fans").get(0).path("rpm").asDouble()).isEqualTo(1200);
        // The whole sample is kept with a socket's first message and then at most every
        // FLEETWIRE_LATEST_STATE_SECONDS (10 s): the state is message 1's, the numbers message 2's.
        assertThat(got.path("latest").path("state").path("ts").asLong()).isEqualTo(now - 1000);
        assertThat(got.path("latest").path("state").path("metrics").path("cpu.usage").asDouble()).isEqualTo(12.5);
        assertThat(got.path("lastSeen").isTextual()).isTrue();

        JsonNode series = api.get("/api/v1/devices/" + device.id() + "/telemetry?metric=cpu.usage").body();
        assertThat(series.path("points")).hasSize(2);
        assertThat(series.path("points").get(0).path("value").asDouble()).isEqualTo(12.5);
        assertThat(series.path("points").get(1).path("value").asDouble()).isEqualTo(17.5);
    }

    @Test
    void telemetry_withSamplesOfDifferentSizes_storesEveryValueExactly() {
        TestHub.DeviceHandle device = HUB.hub().createDevice("exact-values");
        long now = System.currentTimeMillis();
        try (AgentSocket socket = AgentSocket.connect(HUB.hub().wsUrl(), device.token())) {
            socket.awaitType("welcome");
            socket.send("{\"type\":\"telemetry\",\"seq\":1,\"samples\":["
                    + "{\"ts\":" + (now - 3000) + ",\"metrics\":{\"a\":-0.0,\"b\":1e-300,\"c\":1.7976931348623157e308}},"
                    + "{\"ts\":" + (now - 2000) + "},"
                    + "{\"ts\":" + (now - 1000) + ",\"metrics\":{\"x\":0.1,\"y\":123456789.123456789,\"z\":-4.9e-324}}]}");
            socket.awaitAck(1);
        }
        JsonNode samples = HUB.hub().api().get("/api/v1/devices/" + device.id() + "/telemetry").body().path("samples");
        assertThat(samples).hasSize(3);
        assertThat(samples.get(0).path("metrics").path("a").doubleValue()).isEqualTo(-0.0);
        assertThat(samples.get(0).path("metrics").path("b").doubleValue()).isEqualTo(1e-300);
        assertThat(samples.get(0).path("metrics").path("c").doubleValue()).isEqualTo(Double.MAX_VALUE);
        assertThat(samples.get(1).path("metrics").size()).isZero();
        assertThat(samples.get(2).path("metrics").path("x").doubleValue()).isEqualTo(0.1);
        assertThat(samples.get(2).path("metrics").path("y").doubleValue()).isEqualTo(123456789.123456789);
        assertThat(samples.get(2).path("metrics").path("z").doubleValue()).isEqualTo(-Double.MIN_VALUE);
    }

    @Test
    void upgrade_withQueryToken_isAccepted() {
        TestHub.DeviceHandle device = HUB.hub().createDevice("query-token");
        try (AgentSocket socket = AgentSocket.connectWithQueryToken(HUB.hub().wsUrl(), device.token())) {
            assertThat(socket.awaitType("welcome").path("deviceId").asText()).isEqualTo(device.id());
        }
    }

    @Test
    void upgrade_withWrongOrMissingToken_isRefusedWith401() {
        assertThat(AgentSocket.upgradeStatus(HUB.hub().wsUrl(), "fwd_not-a-real-token")).isEqualTo(401);
        assertThat(AgentSocket.upgradeStatus(HUB.hub().wsUrl(), null)).isEqualTo(401);
        assertThat(AgentSocket.upgradeStatus(HUB.hub().wsUrl(), TestHub.ADMIN_TOKEN)).isEqualTo(401);
    }

    @Test
    void seed003DataMessage_isAcceptedVerbatimAndStored() {
        TestHub.DeviceHandle device = HUB.hub().createDevice("seed-003");
        long ts = System.currentTimeMillis();
        try (AgentSocket socket = HUB.hub().connect(device)) {
            socket.send(Telemetry.seed003("linux-agent-id", ts));
            socket.send("{\"type\":\"ping\",\"ts\":7}");
            JsonNode pong = socket.awaitType("pong");
            assertThat(pong.path("ts").asLong()).isEqualTo(7);
        }
        ApiClient api = HUB.hub().api();
        Await.until("seed 003 sample is stored", Duration.ofSeconds(10), () ->
                api.get("/api/v1/devices/" + device.id() + "/telemetry?metric=systemHealth.cpuUsage").body().path("points").size() == 1);
        JsonNode latest = api.get("/api/v1/devices/" + device.id()).body().path("latest");
        assertThat(latest.path("metrics").path("fan.cpu_fan.rpm").asDouble()).isEqualTo(1200);
        assertThat(latest.path("state").path("sensors").get(0).path("critTemp").asDouble()).isEqualTo(95);
    }

    @Test
    void duplicateSequenceNumber_isAckedAgainAndStoredOnce() {
        TestHub.DeviceHandle device = HUB.hub().createDevice("dup-seq");
        long ts = System.currentTimeMillis();
        try (AgentSocket socket = HUB.hub().connect(device)) {
            for (int i = 0; i < 3; i++) {
                socket.send(Telemetry.message(5, ts, 33.0));
                socket.awaitAck(5);
            }
        }
        JsonNode series = HUB.hub().api().get("/api/v1/devices/" + device.id() + "/telemetry?metric=cpu.usage").body();
        assertThat(series.path("points")).hasSize(1);
    }

    @Test
    void hello_isAnsweredWithWelcomeAndRecordsTheAgent() {
        TestHub.DeviceHandle device = HUB.hub().createDevice("hello");
        try (AgentSocket socket = HUB.hub().connect(device)) {
            socket.send("""
                    {"type":"hello","protocol":1,"agent":{"name":"fleetwire-agent","version":"0.1.0"},
                     "capabilities":{"os":{"name":"Linux"},"sensors":[{"id":"cpu_temp"}],"commands":["lock"]}}""");
            assertThat(socket.awaitType("welcome").path("deviceId").asText()).isEqualTo(device.id());
        }
        ApiClient api = HUB.hub().api();
        Await.until("agent recorded", Duration.ofSeconds(5), () ->
                "0.1.0".equals(api.get("/api/v1/devices/" + device.id()).body().path("agent").path("version").asText()));
        assertThat(api.get("/api/v1/devices/" + device.id()).body().path("capabilities").path("os").path("name").asText())
                .isEqualTo("Linux");
    }

    @Test
    void badFrames_getErrorFramesNamingTheMessage_andTheSocketStaysOpen() {
        TestHub.DeviceHandle device = HUB.hub().createDevice("bad-frames");
        try (AgentSocket socket = HUB.hub().connect(device)) {
            socket.send("not json");
            assertThat(socket.awaitType("error").path("code").asText()).isEqualTo("bad_json");
            socket.send("{\"type\":\"reboot-yourself\",\"seq\":4}");
            JsonNode unknown = socket.awaitType("error");
            assertThat(unknown.path("code").asText()).isEqualTo("unknown_type");
            assertThat(unknown.path("ref").path("type").asText()).isEqualTo("reboot-yourself");
            socket.send("{\"type\":\"telemetry\",\"seq\":9,\"samples\":[{\"metrics\":{\"x\":1}}]}");
            JsonNode invalid = socket.awaitType("error");
            assertThat(invalid.path("code").asText()).isEqualTo("invalid_message");
            assertThat(invalid.path("ref").path("seq").asLong()).isEqualTo(9);
            socket.send("{\"type\":\"telemetry\",\"seq\":10,\"samples\":[{\"ts\":1000,\"metrics\":{\"x\":1}}]}");
            JsonNode old = socket.awaitType("error");
            assertThat(old.path("message").asText()).contains("outside the stored window");
            socket.send("{\"type\":\"ack\",\"seq\":1}");
            assertThat(socket.awaitType("error").path("ref").path("type").asText()).isEqualTo("ack");
            socket.sendBinary(new byte[] {1, 2, 3});
            assertThat(socket.awaitType("error").path("message").asText()).contains("binary");
            socket.send(Telemetry.message(11, System.currentTimeMillis(), 1.0));
            socket.awaitAck(11);
            assertThat(socket.isClosed()).isFalse();
        }
        JsonNode samples = HUB.hub().api().get("/api/v1/devices/" + device.id() + "/telemetry").body().path("samples");
        assertThat(samples).hasSize(1);
    }

    @Test
    void legacyData_withAnotherAgentsId_isRefusedAndNotStored() {
        var api = HUB.hub().api();
        String enrollment = api.post("/api/v1/enrollment-tokens", "{\"name\":\"legacy-check\"}").body().path("token").asText();
        var reg = api.withToken(enrollment).post("/api/v1/register",
                "{\"hostname\":\"legacy-host\",\"agentId\":\"agent-a\"}").body();
        TestHub.DeviceHandle device = new TestHub.DeviceHandle(reg.path("id").asText(), reg.path("token").asText());
        try (AgentSocket socket = HUB.hub().connect(device)) {
            socket.send(Telemetry.seed003("agent-b", System.currentTimeMillis()));
            assertThat(socket.awaitType("error").path("code").asText()).isEqualTo("forbidden");
        }
        assertThat(api.get("/api/v1/devices/" + device.id() + "/telemetry").body().path("samples")).isEmpty();
    }

    @Test
    void messageLargerThanTheLimit_closesTheSocketWith1009() {
        TestHub.DeviceHandle device = HUB.hub().createDevice("too-big");
        try (AgentSocket socket = HUB.hub().connect(device)) {
            String big = "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(300 * 1024) + "\"}";
            socket.send(big);
            assertThat(socket.awaitClose(Duration.ofSeconds(10)).code()).isEqualTo(1009);
        }
    }

    @Test
    void secondSocketOfTheSameDevice_replacesTheFirst() {
        TestHub.DeviceHandle device = HUB.hub().createDevice("replace");
        try (AgentSocket first = HUB.hub().connect(device); AgentSocket second = HUB.hub().connect(device)) {
            AgentSocket.Closed closed = first.awaitClose(Duration.ofSeconds(10));
            assertThat(closed.code()).isEqualTo(4000);
            assertThat(closed.reason()).contains("replaced");
            second.send(Telemetry.message(1, System.currentTimeMillis(), 5));
            second.awaitAck(1);
            assertThat(HUB.hub().api().get("/api/v1/devices/" + device.id()).body().path("online").asBoolean()).isTrue();
        }
    }
}
