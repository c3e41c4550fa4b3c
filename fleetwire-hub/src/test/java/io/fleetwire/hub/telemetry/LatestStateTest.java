package io.fleetwire.hub.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.TestHubExtension;
import io.fleetwire.hub.config.ConfigKey;
import io.fleetwire.testkit.AgentSocket;
import io.fleetwire.testkit.Telemetry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code latest.state} kept with every message ({@code FLEETWIRE_LATEST_STATE_SECONDS=0}), and when it is not. */
@Tag("integration")
class LatestStateTest {

    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension(Map.of(ConfigKey.LATEST_STATE_SECONDS, "0"));

    @Test
    void withZeroSeconds_everyMessageRewritesTheState_butAnOlderSampleNeverReplacesANewerOne() {
        TestHub.DeviceHandle device = HUB.hub().createDevice("state-every-message");
        long now = System.currentTimeMillis();
        try (AgentSocket socket = AgentSocket.connect(HUB.hub().wsUrl(), device.token())) {
            socket.awaitType("welcome");
            socket.send(Telemetry.message(1, now - 1000, 12.5));
            socket.awaitAck(1);
            socket.send(Telemetry.message(2, now, 17.5));
            socket.awaitAck(2);
            // A replayed older sample is stored, but is not the newest: neither numbers nor state go back.
            socket.send(Telemetry.message(3, now - 5000, 99.0));
            socket.awaitAck(3);
        }
        JsonNode latest = HUB.hub().api().get("/api/v1/devices/" + device.id()).body().path("latest");
        assertThat(latest.path("seq").asLong()).isEqualTo(2);
        assertThat(latest.path("metrics").path("cpu.usage").asDouble()).isEqualTo(17.5);
        assertThat(latest.path("state").path("ts").asLong()).isEqualTo(now);
        assertThat(latest.path("state").path("metrics").path("cpu.usage").asDouble()).isEqualTo(17.5);
    }

    @Test
    void aDeviceWithNoTelemetry_hasNoLatest() {
        TestHub.DeviceHandle device = HUB.hub().createDevice("state-none");
        JsonNode got = HUB.hub().api().get("/api/v1/devices/" + device.id()).body();
        assertThat(got.has("latest")).isFalse();
    }
}
