package io.fleetwire.hub.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.TestHubExtension;
import io.fleetwire.hub.config.ConfigKey;
import io.fleetwire.testkit.AgentSocket;
import io.fleetwire.testkit.ApiClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The life of a command for one device over its socket: push, ack, result, resend, expiry, cancel. */
@Tag("integration")
class CommandLifecycleTest {

    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension(Map.of(ConfigKey.COMMAND_ACK_TIMEOUT_SECONDS, "1", ConfigKey.COMMAND_RESULT_TIMEOUT_SECONDS, "3"));

    static String create(TestHub.DeviceHandle device, String body) {
        ApiClient.Response r = HUB.api().post("/api/v1/devices/" + device.id() + "/commands", body);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.body().path("status").asText()).isIn("pending", "sent");
        return r.body().path("id").asText();
    }

    static JsonNode command(String id) {
        ApiClient.Response r = HUB.api().get("/api/v1/commands/" + id);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.body();
    }

    static JsonNode awaitCommand(AgentSocket socket, String id) {
        return socket.await(m -> "command".equals(m.path("type").asText()) && id.equals(m.path("id").asText()),
                Duration.ofSeconds(10));
    }

    static List<String> auditActions(String commandId) {
        ApiClient.Response r = HUB.api().get("/api/v1/audit?command=" + commandId);
        assertThat(r.status()).isEqualTo(200);
        List<String> actions = new java.util.ArrayList<>();
        r.body().path("items").forEach(e -> actions.add(e.path("action").asText()));
        return actions.reversed();
    }

    @Test
    void onlineDevice_getsTheCommandAtOnce_andItsAckAndResultMoveItToSucceeded() {
        TestHub.DeviceHandle device = HUB.hub().createDevice("cmd-online");
        try (AgentSocket socket = HUB.hub().connect(device)) {
            long before = System.nanoTime();
            String id = create(device, "{\"type\":\"set_fan_speed\",\"params\":{\"fanId\":\"cpu_fan\",\"percent\":70},\"ttlSeconds\":300}");
            JsonNode frame = awaitCommand(socket, id);
            long millis = (System.nanoTime() - before) / 1_000_000;
            assertThat(millis).as("push latency").isLessThan(2_000);
            assertThat(frame.path("name").asText()).isEqualTo("set_fan_speed");
            assertThat(frame.path("params").path("percent").asInt()).isEqualTo(70);
            assertThat(frame.path("attempt").asInt()).isEqualTo(1);
            assertThat(frame.path("expiresAt").asLong()).isGreaterThan(System.currentTimeMillis() + 200_000);
            assertThat(command(id).path("status").asText()).isEqualTo("sent");

            socket.send("{\"type\":\"command_ack\",\"seq\":1,\"id\":\"" + id + "\"}");
            socket.awaitAck(1);
            JsonNode delivered = command(id);
            assertThat(delivered.path("status").asText()).isEqualTo("delivered");
            assertThat(delivered.path("deliveredVia").asText()).isEqualTo("socket");

            socket.send("{\"type\":\"command_result\",\"seq\":2,\"id\":\"" + id + "\",\"status\":\"succeeded\",\"output\":{\"rpm\":1800}}");
            socket.awaitAck(2);
            JsonNode done = command(id);
            assertThat(done.path("status").asText()).isEqualTo("succeeded");
            assertThat(done.path("output").path("rpm").asInt()).isEqualTo(1800);
            assertThat(done.path("createdBy").asText()).isEqualTo("admin");
            for (String field : List.of("createdAt", "sentAt", "deliveredAt", "finishedAt")) {
                assertThat(done.path(field).isTextual()).as(field).isTrue();
            }
            assertThat(auditActions(id)).containsExactly("command.created", "command.sent", "command.delivered", "command.succeeded");
        }
    }

    @Test
    void offlineDevice_getsItsPendingCommandsOnConnect_oldestFirst() {
        TestHub.DeviceHandle device = HUB.hub().createDevice("cmd-offline");
        String first = create(device, "{\"type\":\"lock\"}");
        String second = create(device, "{\"type\":\"buzz\",\"params\":{\"durationSeconds\":3}}");
        String third = create(device, "{\"type\":\"unlock\"}");
        assertThat(command(first).path("status").asText()).isEqualTo("pending");
        ApiClient.Response pending = HUB.api().get("/api/v1/devices/" + device.id() + "/commands?status=pending");
        assertThat(pending.body().path("items")).hasSize(3);

        try (AgentSocket socket = HUB.hub().connect(device)) {
            List<String> order = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                order.add(socket.await(m -> "command".equals(m.path("type").asText()), Duration.ofSeconds(10)).path("id").asText());
            }
            assertThat(order).containsExactly(first, second, third);
        }
        assertThat(command(third).path("status").asText()).isEqualTo("sent");
    }

    @Test
    void commandWhoseTtlPassesWhileOffline_expires_andIsNeverSent() throws Exception {
        TestHub.DeviceHandle device = HUB.hub().createDevice("cmd-expiry");
        String id = create(device, "{\"type\":\"lock\",\"ttlSeconds\":1}");
        Thread.sleep(1_200);
        HUB.hub().hub().commands().sweepNow().toCompletionStage().toCompletableFuture().get();
        JsonNode expired = command(id);
        assertThat(expired.path("status").asText()).isEqualTo("expired");
        assertThat(expired.path("expiredAt").isTextual()).isTrue();
        try (AgentSocket socket = HUB.hub().connect(device)) {
            assertThat(socket.drain(Duration.ofMillis(800))).noneMatch(m -> "command".equals(m.path("type").asText()));
        }
        assertThat(auditActions(id)).containsExactly("command.created", "command.expired");
    }

    @Test
    void commandCancelledBeforeDelivery_isNeverSent_andCannotBeCancelledTwice() {
        TestHub.DeviceHandle device = HUB.hub().createDevice("cmd-cancel");
        String id = create(device, "{\"type\":\"reboot\",\"params\":{\"delaySeconds\":60}}");
        ApiClient.Response cancelled = HUB.api().post("/api/v1/commands/" + id + "/cancel", "");
        assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
        assertThat(cancelled.body().path("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.body().path("cancelledBy").asText()).isEqualTo("admin");
        ApiClient.Response again = HUB.api().post("/api/v1/commands/" + id + "/cancel", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.text()).contains("already cancelled");
        try (AgentSocket socket = HUB.hub().connect(device)) {
            assertThat(socket.drain(Duration.ofMillis(800))).noneMatch(m -> "command".equals(m.path("type").asText()));
        }
    }

    @Test
    void sentCommandWithoutAck_isSentAgainWithTheSameId_andItsResultIsStoredOnce() {
        TestHub.DeviceHandle device = HUB.hub().createDevice("cmd-resend");
        try (AgentSocket socket = HUB.hub().connect(device)) {
            String id = create(device, "{\"type\":\"clear_cache\"}");
            assertThat(awaitCommand(socket, id).path("attempt").asInt()).isEqualTo(1);
            // The ack is "lost": the hub sends the same command again after the 1 s timeout.
            JsonNode again = socket.await(m -> "command".equals(m.path("type").asText()) && m.path("attempt").asInt() == 2,
                    Duration.ofSeconds(10));
            assertThat(again.path("id").asText()).isEqualTo(id);
            socket.send("{\"type\":\"command_ack\",\"seq\":10,\"id\":\"" + id + "\"}");
            socket.awaitAck(10);
            socket.send("{\"type\":\"command_ack\",\"seq\":11,\"id\":\"" + id + "\"}");
            socket.awaitAck(11);
            String result = "{\"type\":\"command_result\",\"seq\":%d,\"id\":\"" + id + "\",\"status\":\"failed\",\"error\":\"%s\"}";
            socket.send(result.formatted(12, "cache busy"));
            socket.awaitAck(12);
            socket.send(result.formatted(13, "second copy"));
            socket.awaitAck(13);
            JsonNode done = command(id);
            assertThat(done.path("status").asText()).isEqualTo("failed");
            assertThat(done.path("error").asText()).isEqualTo("cache busy");
            assertThat(done.path("attempts").asInt()).isEqualTo(2);
            assertThat(auditActions(id)).containsOnlyOnce("command.delivered", "command.failed");
            // Nothing is sent once it is delivered.
            assertThat(socket.drain(Duration.ofMillis(1_500))).noneMatch(m -> "command".equals(m.path("type").asText()));
        }
    }

    @Test
    void sentCommand_whenTheSocketDropsBeforeTheAck_isSentAgainOnTheNextConnection() {
        TestHub.DeviceHandle device = HUB.hub().createDevice("cmd-reconnect");
        String id;
        try (AgentSocket socket = HUB.hub().connect(device)) {
            id = create(device, "{\"type\":\"lock\"}");
            awaitCommand(socket, id);
            socket.abort();
        }
        try (AgentSocket socket = HUB.hub().connect(device)) {
            JsonNode again = awaitCommand(socket, id);
            assertThat(again.path("attempt").asInt()).isGreaterThanOrEqualTo(2);
            socket.send("{\"type\":\"command_result\",\"seq\":1,\"id\":\"" + id + "\",\"status\":\"succeeded\"}");
            socket.awaitAck(1);
        }
        assertThat(command(id).path("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void deliveredCommandWithoutAResult_isFailedByTheHubInTime_andALateResultIsKept() throws Exception {
        TestHub.DeviceHandle device = HUB.hub().createDevice("cmd-result-timeout");
        try (AgentSocket socket = HUB.hub().connect(device)) {
            String id = create(device, "{\"type\":\"reboot\"}");
            awaitCommand(socket, id);
            socket.send("{\"type\":\"command_ack\",\"seq\":1,\"id\":\"" + id + "\"}");
            socket.awaitAck(1);
            Thread.sleep(3_300);
            HUB.hub().hub().commands().sweepNow().toCompletionStage().toCompletableFuture().get();
            JsonNode failed = command(id);
            assertThat(failed.path("status").asText()).isEqualTo("failed");
            assertThat(failed.path("timedOutAt").isTextual()).isTrue();
            assertThat(failed.path("error").asText()).contains("no result");

            socket.send("{\"type\":\"command_result\",\"seq\":2,\"id\":\"" + id + "\",\"status\":\"succeeded\"}");
            socket.awaitAck(2);
            JsonNode late = command(id);
            assertThat(late.path("status").asText()).isEqualTo("failed");
            assertThat(late.path("lateResult").path("status").asText()).isEqualTo("succeeded");
            assertThat(auditActions(id)).containsSubsequence("command.delivered", "command.failed", "command.late_result");
        }
    }

    @Test
    void sequentialDevice_getsOneCommandAtATime_andSwitchingToBurstReleasesTheRestAtOnce() {
        TestHub.DeviceHandle device = HUB.hub().createDevice("cmd-sequential-to-burst");
        assertThat(HUB.api().patch("/api/v1/devices/" + device.id(), "{\"commandOrdering\":\"sequential\"}").status())
                .isEqualTo(200);
        String first = create(device, "{\"type\":\"lock\"}");
        String second = create(device, "{\"type\":\"unlock\"}");
        try (AgentSocket socket = HUB.hub().connect(device)) {
            awaitCommand(socket, first);
            socket.send("{\"type\":\"command_ack\",\"seq\":1,\"id\":\"" + first + "\"}");
            socket.awaitAck(1);
            assertThat(socket.drain(Duration.ofMillis(800))).noneMatch(m -> second.equals(m.path("id").asText()));
            assertThat(command(second).path("status").asText()).isEqualTo("pending");

            assertThat(HUB.api().patch("/api/v1/devices/" + device.id(), "{\"commandOrdering\":\"burst\"}").status())
                    .isEqualTo(200);
            awaitCommand(socket, second);
        }
        JsonNode events = HUB.api().get("/api/v1/devices/" + device.id() + "/events").body().path("items");
        assertThat(events).anySatisfy(e -> assertThat(e.path("kind").asText()).isEqualTo("updated"));
    }
}
