package io.fleetwire.agent.internal.handlers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetwire.agent.CommandOutcome;
import io.fleetwire.agent.CommandRequest;
import io.fleetwire.protocol.CommandId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Fan control against a fake hwmon tree in a temporary directory. */
class FanControlTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path chip(Path root) throws Exception {
        Path chip = root.resolve("hwmon2");
        Files.createDirectories(chip);
        Files.writeString(chip.resolve("name"), "nct6775\n");
        Files.writeString(chip.resolve("fan1_input"), "900\n");
        Files.writeString(chip.resolve("pwm1"), "100\n");
        Files.writeString(chip.resolve("pwm1_enable"), "2\n");
        Files.writeString(chip.resolve("temp1_input"), "60000\n");
        return chip;
    }

    private static CommandRequest request(String name, String params) throws Exception {
        return new CommandRequest(CommandId.random(), name, (ObjectNode) JSON.readTree(params), Instant.now().plusSeconds(60));
    }

    @Test
    void setFanSpeed_takesTheFanOverAndWritesThePwm(@TempDir Path root) throws Exception {
        Path chip = chip(root);
        try (FanControl fans = new FanControl(root, Duration.ofMinutes(5), () -> true)) {
            CommandOutcome o = fans.setFanSpeed(request("set_fan_speed", "{\"fanId\":\"nct6775_fan1\",\"percent\":60}"));
            assertThat(o.succeeded()).as(String.valueOf(o.error())).isTrue();
            assertThat(Files.readString(chip.resolve("pwm1")).strip()).isEqualTo("153");
            assertThat(Files.readString(chip.resolve("pwm1_enable")).strip()).isEqualTo("1");
            assertThat(fans.setFanSpeed(request("set_fan_speed", "{\"fanId\":\"nct6775_fan9\",\"percent\":60}")).error())
                    .contains("no fan");
        }
        assertThat(Files.readString(chip.resolve("pwm1_enable")).strip()).as("automatic again when the agent stops").isEqualTo("2");
    }

    @Test
    void aFanWhosePwmIsNotWritable_isRefusedClearly(@TempDir Path root) throws Exception {
        Path chip = chip(root);
        Files.setPosixFilePermissions(chip.resolve("pwm1"), PosixFilePermissions.fromString("r--r--r--"));
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(chip.resolve("pwm1")), "running as root: files stay writable");
        try (FanControl fans = new FanControl(root, Duration.ofMinutes(5), () -> true)) {
            CommandOutcome o = fans.setFanSpeed(request("set_fan_speed", "{\"fanId\":\"nct6775_fan1\",\"percent\":60}"));
            assertThat(o.succeeded()).isFalse();
            assertThat(o.error()).contains("not writable");
        }
    }

    @Test
    void whenTheHubIsUnreachablePastTheSafetyTimeout_fansReturnToAutomatic(@TempDir Path root) throws Exception {
        Path chip = chip(root);
        AtomicBoolean reachable = new AtomicBoolean(true);
        try (FanControl fans = new FanControl(root, Duration.ofSeconds(30), reachable::get)) {
            fans.setFanSpeed(request("set_fan_speed", "{\"fanId\":\"nct6775_fan1\",\"percent\":100}"));
            reachable.set(false);
            long t0 = System.nanoTime();
            fans.tick(t0);
            fans.tick(t0 + Duration.ofSeconds(10).toNanos());
            assertThat(Files.readString(chip.resolve("pwm1_enable")).strip()).isEqualTo("1");
            fans.tick(t0 + Duration.ofSeconds(31).toNanos());
            assertThat(Files.readString(chip.resolve("pwm1_enable")).strip()).isEqualTo("2");
        }
    }

    @Test
    void applyProfile_followsTheCurve(@TempDir Path root) throws Exception {
        Path chip = chip(root);
        try (FanControl fans = new FanControl(root, Duration.ofMinutes(5), () -> true)) {
            CommandOutcome o = fans.applyProfile(request("apply_fan_profile",
                    "{\"name\":\"quiet\",\"points\":[{\"temperature\":40,\"percent\":20},{\"temperature\":80,\"percent\":100}]}"));
            assertThat(o.succeeded()).as(String.valueOf(o.error())).isTrue();
            // 60 °C is half way: 60 % → 153/255.
            assertThat(Files.readString(chip.resolve("pwm1")).strip()).isEqualTo("153");
            Files.writeString(chip.resolve("temp1_input"), "90000\n");
            fans.tick(System.nanoTime());
            assertThat(Files.readString(chip.resolve("pwm1")).strip()).isEqualTo("255");
        }
    }

    @Test
    void curve_isLinearBetweenPointsAndFlatBeyond() {
        List<double[]> points = List.of(new double[]{40, 20}, new double[]{60, 40}, new double[]{80, 100});
        assertThat(FanControl.curve(points, 20)).isEqualTo(20);
        assertThat(FanControl.curve(points, 50)).isEqualTo(30);
        assertThat(FanControl.curve(points, 70)).isEqualTo(70);
        assertThat(FanControl.curve(points, 95)).isEqualTo(100);
    }
}
