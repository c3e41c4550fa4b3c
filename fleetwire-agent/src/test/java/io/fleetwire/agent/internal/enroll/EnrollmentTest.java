package io.fleetwire.agent.internal.enroll;

import io.fleetwire.agent.internal.telemetry.Hwmon;
import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.TestHubExtension;
import io.fleetwire.testkit.AgentSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Seed 003's registration against a real HUB.hub(). */
@Tag("integration")
class EnrollmentTest {

    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension();

    @Test
    void enrolling_registersThisMachine_keepsTheDeviceToken_andTheTokenOpensASocket(@TempDir Path state) throws Exception {
        String enrollment = HUB.hub().api().post("/api/v1/enrollment-tokens", "{\"name\":\"lab-enroll\"}").body().path("token").asText();
        Path sys = state.resolve("sys");
        Files.createDirectories(sys.resolve("hwmon0"));
        Files.writeString(sys.resolve("hwmon0/name"), "coretemp\n");
        Files.writeString(sys.resolve("hwmon0/temp1_input"), "41000\n");

        String token = Enrollment.enroll(URI.create(HUB.hub().httpUrl() + "/"), enrollment, state, new Hwmon(sys), List.of("lock"));
        assertThat(token).startsWith("fwd_");
        assertThat(Enrollment.storedToken(state)).contains(token);
        assertThat(Files.getPosixFilePermissions(state.resolve(Enrollment.TOKEN_FILE)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (AgentSocket socket = AgentSocket.connect(HUB.hub().wsUrl(), token)) {
            String deviceId = socket.awaitType("welcome").path("deviceId").asText();
            var device = HUB.hub().api().get("/api/v1/devices/" + deviceId).body();
            assertThat(device.path("capabilities").path("sensors").get(0).path("id").asText()).isEqualTo("coretemp_temp1");
            assertThat(device.path("agentId").asText()).isEqualTo(Files.readString(state.resolve(Enrollment.AGENT_ID_FILE)).strip());

            // Enrolling again from the same machine finds the same device, with a fresh token.
            String again = Enrollment.enroll(URI.create(HUB.hub().httpUrl() + "/"), enrollment, state, new Hwmon(sys), List.of("lock"));
            assertThat(again).isNotEqualTo(token);
            try (AgentSocket second = AgentSocket.connect(HUB.hub().wsUrl(), again)) {
                assertThat(second.awaitType("welcome").path("deviceId").asText()).isEqualTo(deviceId);
            }
        }
    }

    @Test
    void aBadEnrollmentToken_isRefusedWithTheHubsReason_andKeepsNothing(@TempDir Path state) {
        assertThatThrownBy(() -> Enrollment.enroll(URI.create(HUB.hub().httpUrl() + "/"), "fwe_nope", state,
                new Hwmon(state.resolve("none")), List.of()))
                .isInstanceOf(Enrollment.EnrollmentException.class).hasMessageContaining("401");
        assertThat(Enrollment.storedToken(state)).isEmpty();
    }
}
