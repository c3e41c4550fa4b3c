package io.fleetwire.hub.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.config.ConfigKey;
import io.fleetwire.testkit.AgentSocket;
import io.fleetwire.testkit.ApiClient;
import io.fleetwire.testkit.Await;
import io.fleetwire.testkit.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class PresenceTest {

    private static TestHub hub;

    @BeforeAll
    static void startHub() {
        // 1 s heartbeat, 2 missed: a silent device is offline after 2 s.
        hub = TestHub.start(Map.of(ConfigKey.HEARTBEAT_SECONDS, "1", ConfigKey.MISSED_HEARTBEATS, "2"));
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void device_isOnlineWhileConnected_andOfflineWithAnEventOnceItCloses() {
        TestHub.DeviceHandle device = hub.createDevice("presence-close");
        ApiClient api = hub.api();
        assertThat(online(api, device)).isFalse();
        try (AgentSocket socket = hub.connect(device)) {
            Await.until("online", Duration.ofSeconds(5), () -> online(api, device));
            // The list filters on the stored flag, written by the connect's own transaction just after the welcome.
            Await.until("listed as online", Duration.ofSeconds(5),
                    () -> api.get("/api/v1/devices?online=true").body().path("items").findValuesAsText("id").contains(device.id()));
        }
        Await.until("offline", Duration.ofSeconds(5), () -> !online(api, device));
        Await.until("disconnected event", Duration.ofSeconds(5), () -> kinds(api, device).contains("disconnected"));
        assertThat(kinds(api, device)).containsSubsequence("disconnected", "connected");
    }

    @Test
    void answeringDevice_staysOnlinePastThePresenceTimeout() throws InterruptedException {
        TestHub.DeviceHandle device = hub.createDevice("presence-alive");
        try (AgentSocket socket = hub.connect(device)) {
            // The JDK client answers the hub's WebSocket pings; that alone keeps it online.
            Thread.sleep(4_000);
            assertThat(socket.isClosed()).isFalse();
            assertThat(online(hub.api(), device)).isTrue();
        }
    }

    @Test
    void connectedDevice_hasItsLastSeenWrittenWhileConnected() throws InterruptedException {
        TestHub.DeviceHandle device = hub.createDevice("presence-last-seen");
        try (AgentSocket socket = hub.connect(device)) {
            Thread.sleep(4_500);
            long fresh = io.fleetwire.testkit.TestDatabase.queryLong(hub.dbUrl(),
                    "SELECT count(*) FROM devices WHERE id = '" + device.id() + "' AND last_seen > now() - interval '2500 milliseconds'");
            assertThat(fresh).as("last_seen refreshed by the sweeper, not only at connect").isEqualTo(1);
        }
    }

    @Test
    void silentDevice_isClosedWith4001AndMarkedOffline_afterMissedHeartbeats() {
        TestHub.DeviceHandle device = hub.createDevice("presence-silent");
        ApiClient api = hub.api();
        long start = System.nanoTime();
        try (RawWebSocket silent = RawWebSocket.upgrade(hub.hub().port(), device.token())) {
            Await.until("online", Duration.ofSeconds(5), () -> online(api, device));
            assertThat(silent.awaitCloseCode()).isEqualTo(4001);
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsedMs).isGreaterThanOrEqualTo(1_900);
        Await.until("offline", Duration.ofSeconds(5), () -> !online(api, device));
        // Live presence drops the device first; the event is written right after, in its own transaction.
        Await.until("disconnected event", Duration.ofSeconds(5), () -> kinds(api, device).getFirst().equals("disconnected"));
        JsonNode last = api.get("/api/v1/devices/" + device.id() + "/events").body().path("items").get(0);
        assertThat(last.path("kind").asText()).isEqualTo("disconnected");
        assertThat(last.path("detail").path("code").asInt()).isEqualTo(4001);
    }

    private static boolean online(ApiClient api, TestHub.DeviceHandle device) {
        return api.get("/api/v1/devices/" + device.id()).body().path("online").asBoolean();
    }

    private static List<String> kinds(ApiClient api, TestHub.DeviceHandle device) {
        List<String> out = new ArrayList<>();
        api.get("/api/v1/devices/" + device.id() + "/events").body().path("items").forEach(e -> out.add(e.path("kind").asText()));
        return out;
    }
}
