package io.fleetwire.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.TestHubExtension;
import io.fleetwire.hub.config.ConfigKey;
import io.fleetwire.testkit.ApiClient;
import io.fleetwire.testkit.Await;
import io.fleetwire.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A fleet of simulated devices against a real hub and PostgreSQL, over real sockets. */
class FleetTest {

    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension(Map.of(
            ConfigKey.TELEMETRY_INTERVAL_SECONDS, "1",
            ConfigKey.WS_COMPRESSION, "on"));

    private static final int DEVICES = 50;

    @Test
    void fleet_everyMessageAckedAndStored_commandAnswered_andNothingLostAfterDropAll(@TempDir Path dir) throws Exception {
        URI hub = URI.create(HUB.hub().httpUrl());
        List<SimDevice> devices = SimDevices.createOrLoad(hub, TestHub.ADMIN_TOKEN, DEVICES, dir.resolve("devices.json"), n -> { });
        assertThat(devices).hasSize(DEVICES);

        Map<String, CommandReceipt> received = new ConcurrentHashMap<>();
        Map<String, Long> stored = new ConcurrentHashMap<>();
        FleetOptions options = FleetOptions.builder(hub, devices).connectRate(2_000)
                .backoff(Duration.ofMillis(300), Duration.ofSeconds(2)).build();
        try (Fleet fleet = Fleet.start(options)) {
            fleet.onCommand(new CommandListener() {
                @Override
                public void received(CommandReceipt receipt) {
                    received.put(receipt.commandId(), receipt);
                }

                @Override
                public void resultStored(CommandReceipt receipt, long storedAtNanos) {
                    stored.put(receipt.commandId(), storedAtNanos);
                }
            });
            assertThat(fleet.awaitConnected(Duration.ofSeconds(15))).as("all connected").isTrue();
            Await.until("two intervals of telemetry acked", Duration.ofSeconds(10),
                    () -> fleet.stats().telemetryAcked() >= 2L * DEVICES);

            // A command over REST reaches the device, is answered like an agent would, and ends succeeded.
            SimDevice target = devices.get(7);
            long before = System.nanoTime();
            ApiClient.Response created = HUB.api().post("/api/v1/devices/" + target.id() + "/commands",
                    "{\"type\":\"set_fan_speed\",\"params\":{\"fanId\":\"cpu_fan\",\"percent\":70}}");
            assertThat(created.status()).isEqualTo(201);
            String commandId = created.body().get("id").asText();
            Await.until("command succeeded", Duration.ofSeconds(10),
                    () -> "succeeded".equals(HUB.api().get("/api/v1/commands/" + commandId).body().path("status").asText()));
            JsonNode command = HUB.api().get("/api/v1/commands/" + commandId).body();
            assertThat(command.path("output").path("fanId").asText()).isEqualTo("cpu_fan");
            assertThat(command.path("output").path("expectedRpm").asDouble()).isEqualTo(1540.0);
            assertThat(received.get(commandId).deviceId()).isEqualTo(target.id());
            assertThat(received.get(commandId).name()).isEqualTo("set_fan_speed");
            assertThat(received.get(commandId).receivedAtNanos()).isGreaterThan(before);
            Await.until("result stored seen by the device", Duration.ofSeconds(5), () -> stored.containsKey(commandId));

            // An unknown fan fails, with the reason.
            String bad = HUB.api().post("/api/v1/devices/" + target.id() + "/commands",
                    "{\"type\":\"set_fan_speed\",\"params\":{\"fanId\":\"no_such_fan\",\"percent\":70}}").body().get("id").asText();
            Await.until("command failed", Duration.ofSeconds(10),
                    () -> "failed".equals(HUB.api().get("/api/v1/commands/" + bad).body().path("status").asText()));
            assertThat(HUB.api().get("/api/v1/commands/" + bad).body().path("error").asText()).contains("no_such_fan");

            // Every socket aborted at once: all come back, and nothing is lost.
            long reconnectsBefore = fleet.stats().reconnects();
            fleet.dropAll();
            Await.until("every device reconnected", Duration.ofSeconds(15),
                    () -> fleet.stats().reconnects() - reconnectsBefore >= DEVICES && fleet.connected() == DEVICES);
            Thread.sleep(1_500);
            fleet.pauseTelemetry();
            assertThat(fleet.awaitAllAcked(Duration.ofSeconds(15))).as("everything acked").isTrue();

            FleetStats stats = fleet.stats();
            assertThat(stats.telemetrySent()).isGreaterThanOrEqualTo(3L * DEVICES);
            assertThat(stats.telemetryAcked()).isEqualTo(stats.telemetrySent());
            assertThat(stats.telemetryUnacked()).isZero();
            assertThat(stats.telemetryDropped()).isZero();
            assertThat(stats.telemetryRejected()).isZero();
            assertThat(stats.ackLatency().getTotalCount()).isGreaterThanOrEqualTo(stats.telemetryAcked());
            assertThat(stats.commandsReceived()).isEqualTo(2);
            assertThat(stats.commandResultsStored()).isEqualTo(2);
            assertThat(stats.commandResultLatency().getTotalCount()).isEqualTo(2);
            assertThat(stats.bytesIn()).isPositive();
            assertThat(stats.bytesOut()).isGreaterThan(stats.telemetrySent() * 500);
            assertThat(stats.deflateSockets()).isZero();
            // One sample per message, one row per sample: stored once each, whatever was re-sent.
            String mine = " WHERE device_id IN (" + String.join(",", devices.stream().map(d -> "'" + d.id() + "'").toList()) + ")";
            long rows = TestDatabase.queryLong(HUB.hub().dbUrl(), "SELECT count(*) FROM telemetry" + mine);
            assertThat(rows).isEqualTo(stats.telemetrySent());
            long distinct = TestDatabase.queryLong(HUB.hub().dbUrl(), "SELECT count(DISTINCT (device_id, seq)) FROM telemetry" + mine);
            assertThat(distinct).isEqualTo(stats.telemetrySent());
        }
    }

    @Test
    void secondRun_reusesTheStateFile_andDeflateIsNegotiatedWhenAsked(@TempDir Path dir) throws Exception {
        URI hub = URI.create(HUB.hub().httpUrl());
        Path state = dir.resolve("devices.json");
        List<SimDevice> first = SimDevices.createOrLoad(hub, TestHub.ADMIN_TOKEN, 3, state, n -> { });
        List<SimDevice> again = SimDevices.createOrLoad(hub, null, 2, state, n -> { });
        assertThat(again).containsExactlyElementsOf(first.subList(0, 2));
        List<SimDevice> more = SimDevices.createOrLoad(hub, TestHub.ADMIN_TOKEN, 4, state, n -> { });
        assertThat(more.subList(0, 3)).containsExactlyElementsOf(first);
        assertThat(SimDevices.load(state)).hasSize(4);
        assertThat(Files.readString(state)).contains(first.get(0).token());
        assertThatThrownBy(() -> SimDevices.createOrLoad(hub, null, 5, state, n -> { }))
                .isInstanceOf(SimDevices.SetupException.class).hasMessageContaining("admin token");

        try (Fleet fleet = Fleet.start(FleetOptions.builder(hub, more).deflate(true).build())) {
            assertThat(fleet.awaitConnected(Duration.ofSeconds(10))).isTrue();
            Await.until("acked", Duration.ofSeconds(10), () -> fleet.stats().telemetryAcked() >= 4);
            assertThat(fleet.stats().deflateSockets()).isEqualTo(4);
        }
    }

    @Test
    void stateFileOfAnotherHub_isRefusedWithAClearMessage(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("devices.json");
        Files.writeString(state, "{\"version\":1,\"hub\":\"x\",\"prefix\":\"sim-x\",\"devices\":"
                + "[{\"id\":\"6f1c2a8e-4f7b-4c44-9a59-2b1f0c1e9d10\",\"name\":\"sim-x-1\",\"token\":\"fwd_gone\"}]}");
        URI hub = URI.create(HUB.hub().httpUrl());
        assertThatThrownBy(() -> SimDevices.createOrLoad(hub, TestHub.ADMIN_TOKEN, 1, state, n -> { }))
                .isInstanceOf(SimDevices.SetupException.class).hasMessageContaining("does not exist on");
        Files.writeString(state, "{\"devices\":7}");
        assertThatThrownBy(() -> SimDevices.createOrLoad(hub, TestHub.ADMIN_TOKEN, 1, state, n -> { }))
                .isInstanceOf(SimDevices.SetupException.class).hasMessageContaining("not a simulator state file");
        assertThat(Files.readString(state)).isEqualTo("{\"devices\":7}");
    }
}
