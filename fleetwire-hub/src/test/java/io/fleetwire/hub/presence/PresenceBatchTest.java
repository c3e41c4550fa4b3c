package io.fleetwire.hub.presence;

import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.config.HubTuning;
import io.fleetwire.hub.db.BatchWriter;
import io.fleetwire.testkit.AgentSocket;
import io.fleetwire.testkit.ApiClient;
import io.fleetwire.testkit.Await;
import io.fleetwire.testkit.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Connects and disconnects are written in batches (the presence writer); what is stored must still be right. */
@Tag("integration")
class PresenceBatchTest {

    /** Long enough that a connect and a drop right after it land in one batch on a loaded machine. */
    private static final Duration LINGER = Duration.ofMillis(1_500);

    private static TestHub hub;

    @BeforeAll
    static void startHub() {
        hub = TestHub.start(Map.of(), HubTuning.DEFAULTS.withBatches(new BatchWriter.Config(10_000, 500, LINGER)));
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void deviceThatConnectsAndDropsWithinOneBatch_endsOfflineWithBothEventsInOrder() {
        TestHub.DeviceHandle device = hub.createDevice("batch-flap");
        AgentSocket socket = hub.connect(device);
        socket.close();
        Await.until("both events stored", Duration.ofSeconds(10), () -> kinds(device).size() == 2);
        assertThat(kinds(device)).containsExactly("disconnected", "connected");
        assertThat(online(device)).isFalse();
        // Same transaction: both rows carry its start time.
        long times = TestDatabase.queryLong(hub.dbUrl(),
                "SELECT count(DISTINCT ts) FROM device_events WHERE kind IN ('connected', 'disconnected') AND device_id = '" + device.id() + "'");
        assertThat(times).as("both events written by one batch").isEqualTo(1);
    }

    @Test
    void manyDevicesConnectingAndDroppingQuickly_leaveTheRightFlagsAndEvents_andAQueuedCommandIsDelivered() {
        List<TestHub.DeviceHandle> devices = IntStream.range(0, 30).mapToObj(i -> hub.createDevice("batch-many-" + i)).toList();
        TestHub.DeviceHandle withCommand = devices.get(7);
        ApiClient.Response created = hub.api().post("/api/v1/devices/" + withCommand.id() + "/commands",
                "{\"type\":\"buzz\",\"params\":{\"durationSeconds\":1}}");
        assertThat(created.status()).isEqualTo(201);

        List<AgentSocket> sockets = new ArrayList<>(devices.parallelStream().map(hub::connect).toList());
        // The first ten drop at once; five of them come back; the queued command reaches its device after the welcome.
        for (int i = 0; i < 10; i++) {
            sockets.get(i).close();
        }
        List<AgentSocket> back = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            back.add(hub.connect(devices.get(i)));
        }
        // Device 7 dropped (its command sent or not); on its new socket the command goes (again), after the welcome.
        AgentSocket seven = hub.connect(withCommand);
        assertThat(seven.awaitType("command").path("id").asText()).isEqualTo(created.body().path("id").asText());

        try {
            Await.until("stored flags match the sockets", Duration.ofSeconds(15), () -> storedOnline(devices) == 30 - 5 + 1);
            for (int i = 0; i < devices.size(); i++) {
                List<String> kinds = kinds(devices.get(i));
                boolean dropped = i < 10;
                boolean returned = i < 5 || i == 7;
                assertThat(online(devices.get(i))).as("device %d online", i).isEqualTo(!dropped || returned);
                if (!dropped) {
                    assertThat(kinds).as("device %d events", i).containsExactly("connected");
                } else if (returned) {
                    assertThat(kinds).as("device %d events", i).containsExactly("connected", "disconnected", "connected");
                } else {
                    assertThat(kinds).as("device %d events", i).containsExactly("disconnected", "connected");
                }
            }
        } finally {
            sockets.forEach(AgentSocket::close);
            back.forEach(AgentSocket::close);
            seven.close();
        }
        Await.until("all offline after closing", Duration.ofSeconds(15), () -> storedOnline(devices) == 0);
    }

    private static long storedOnline(List<TestHub.DeviceHandle> devices) {
        String ids = String.join(",", devices.stream().map(d -> "'" + d.id() + "'").toList());
        return TestDatabase.queryLong(hub.dbUrl(), "SELECT count(*) FROM devices WHERE online AND id IN (" + ids + ")");
    }

    private static boolean online(TestHub.DeviceHandle device) {
        return TestDatabase.queryLong(hub.dbUrl(), "SELECT count(*) FROM devices WHERE online AND id = '" + device.id() + "'") == 1;
    }

    /** Newest first, as the API lists them. */
    private static List<String> kinds(TestHub.DeviceHandle device) {
        List<String> out = new ArrayList<>();
        hub.api().get("/api/v1/devices/" + device.id() + "/events").body().path("items")
                .forEach(e -> out.add(e.path("kind").asText()));
        out.removeIf(k -> !k.equals("connected") && !k.equals("disconnected"));
        return out;
    }
}
