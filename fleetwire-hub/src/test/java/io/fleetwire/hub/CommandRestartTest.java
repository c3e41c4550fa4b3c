package io.fleetwire.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetwire.testkit.AgentSocket;
import io.fleetwire.testkit.ApiClient;
import io.fleetwire.testkit.Await;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hub killed with SIGKILL while commands stand in every state: after a restart on the same data
 * each is where it was, nothing final changes, and the undelivered ones reach their devices.
 */
@Tag("integration")
class CommandRestartTest {

    private static String create(ApiClient api, String device, String body) {
        ApiClient.Response r = api.post("/api/v1/devices/" + device + "/commands", body);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.body().path("id").asText();
    }

    private static String status(ApiClient api, String command) {
        return api.get("/api/v1/commands/" + command).body().path("status").asText();
    }

    private static JsonNode awaitCommand(AgentSocket socket, String id) {
        return socket.await(m -> "command".equals(m.path("type").asText()) && id.equals(m.path("id").asText()),
                Duration.ofSeconds(15));
    }

    @Test
    void hubKilledWithCommandsInEveryState_keepsEachState_andDeliversTheUndeliveredAfterRestart(@TempDir Path dataDir)
            throws Exception {
        String db = HubProcess.databaseForRun();
        Map<String, String> env = Map.of("FLEETWIRE_COMMAND_ACK_TIMEOUT_SECONDS", "60");
        String online;
        String onlineToken;
        String offline;
        String offlineToken;
        String succeeded;
        String failed;
        String delivered;
        String sent;
        String pending;
        String cancelled;
        String expired;
        try (HubProcess hub = HubProcess.start(dataDir, db, env)) {
            ApiClient api = hub.api();
            JsonNode a = api.post("/api/v1/devices", "{\"name\":\"crash-online\"}").body();
            JsonNode b = api.post("/api/v1/devices", "{\"name\":\"crash-offline\"}").body();
            online = a.path("id").asText();
            onlineToken = a.path("token").asText();
            offline = b.path("id").asText();
            offlineToken = b.path("token").asText();

            AgentSocket socket = AgentSocket.connect(hub.wsUrl(), onlineToken);
            socket.awaitType("welcome");
            succeeded = create(api, online, "{\"type\":\"lock\"}");
            failed = create(api, online, "{\"type\":\"buzz\"}");
            delivered = create(api, online, "{\"type\":\"reboot\",\"params\":{\"delaySeconds\":600}}");
            sent = create(api, online, "{\"type\":\"clear_cache\"}");
            long seq = 1;
            for (String id : List.of(succeeded, failed, delivered, sent)) {
                awaitCommand(socket, id);
            }
            for (String id : List.of(succeeded, failed, delivered)) {
                socket.send("{\"type\":\"command_ack\",\"seq\":" + seq + ",\"id\":\"" + id + "\"}");
                socket.awaitAck(seq++);
            }
            socket.send("{\"type\":\"command_result\",\"seq\":" + seq + ",\"id\":\"" + succeeded + "\",\"status\":\"succeeded\"}");
            socket.awaitAck(seq++);
            socket.send("{\"type\":\"command_result\",\"seq\":" + seq + ",\"id\":\"" + failed + "\",\"status\":\"failed\",\"error\":\"no buzzer\"}");
            socket.awaitAck(seq++);

            pending = create(api, offline, "{\"type\":\"broadcast_message\",\"params\":{\"text\":\"hello\"},\"ttlSeconds\":600}");
            cancelled = create(api, offline, "{\"type\":\"unlock\"}");
            assertThat(api.post("/api/v1/commands/" + cancelled + "/cancel", "").status()).isEqualTo(200);
            expired = create(api, offline, "{\"type\":\"lock\",\"ttlSeconds\":1}");
            Await.until("the 1 s command expires", Duration.ofSeconds(10), () -> status(api, expired).equals("expired"));

            Map<String, String> before = Map.of(succeeded, "succeeded", failed, "failed", delivered, "delivered",
                    sent, "sent", pending, "pending", cancelled, "cancelled", expired, "expired");
            before.forEach((id, s) -> assertThat(status(api, id)).as("before the kill").isEqualTo(s));
            hub.kill();
            socket.abort();
        }

        try (HubProcess hub = HubProcess.start(dataDir, db, env)) {
            ApiClient api = hub.api();
            Map<String, String> after = Map.of(succeeded, "succeeded", failed, "failed", delivered, "delivered",
                    sent, "sent", pending, "pending", cancelled, "cancelled", expired, "expired");
            after.forEach((id, s) -> assertThat(status(api, id)).as("after the restart, command %s", id).isEqualTo(s));
            assertThat(api.get("/api/v1/commands/" + failed).body().path("error").asText()).isEqualTo("no buzzer");

            // The online device comes back: it gets the sent-but-unacknowledged command again, nothing else.
            try (AgentSocket socket = AgentSocket.connect(hub.wsUrl(), onlineToken)) {
                socket.awaitType("welcome");
                JsonNode again = awaitCommand(socket, sent);
                assertThat(again.path("attempt").asInt()).isEqualTo(2);
                assertThat(socket.drain(Duration.ofMillis(800)))
                        .noneMatch(m -> "command".equals(m.path("type").asText()) && !sent.equals(m.path("id").asText()));
                socket.send("{\"type\":\"command_result\",\"seq\":100,\"id\":\"" + sent + "\",\"status\":\"succeeded\"}");
                socket.awaitAck(100);
                socket.send("{\"type\":\"command_result\",\"seq\":101,\"id\":\"" + delivered + "\",\"status\":\"succeeded\"}");
                socket.awaitAck(101);
            }
            assertThat(status(api, sent)).isEqualTo("succeeded");
            assertThat(status(api, delivered)).isEqualTo("succeeded");

            // The offline device connects for the first time: only its pending command comes.
            try (AgentSocket socket = AgentSocket.connect(hub.wsUrl(), offlineToken)) {
                socket.awaitType("welcome");
                assertThat(awaitCommand(socket, pending).path("attempt").asInt()).isEqualTo(1);
                assertThat(socket.drain(Duration.ofMillis(800)))
                        .noneMatch(m -> "command".equals(m.path("type").asText()) && !pending.equals(m.path("id").asText()));
            }
            assertThat(status(api, pending)).isEqualTo("sent");
            assertThat(status(api, cancelled)).isEqualTo("cancelled");
            assertThat(status(api, expired)).isEqualTo("expired");
        }
    }
}
