package io.fleetwire.agent.internal.telemetry;

import io.fleetwire.protocol.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HwmonTest {

    private static void write(Path dir, String file, String content) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(file), content + "\n");
    }

    @Test
    void readsTemperaturesAndFansFromAHwmonTree(@TempDir Path root) throws Exception {
        Path chip = root.resolve("hwmon0");
        write(chip, "name", "coretemp");
        write(chip, "temp1_input", "45250");
        write(chip, "temp1_label", "Package id 0");
        write(chip, "temp1_max", "85000");
        write(chip, "temp1_crit", "95000");
        write(chip, "temp2_input", "garbage");
        Path fans = root.resolve("hwmon1");
        write(fans, "name", "nct6775");
        write(fans, "fan1_input", "1200");
        write(fans, "pwm1", "153");
        write(fans, "fan2_input", "0");

        List<Message.Sensor> sensors = new Hwmon(root).sensors();
        assertThat(sensors).hasSize(1);
        Message.Sensor s = sensors.getFirst();
        assertThat(s.id()).isEqualTo("coretemp_Package_id_0");
        assertThat(s.temperature()).isEqualTo(45.25);
        assertThat(s.maxTemp()).isEqualTo(85.0);
        assertThat(s.critTemp()).isEqualTo(95.0);
        assertThat(s.type()).isEqualTo("coretemp");

        List<Message.Fan> f = new Hwmon(root).fans();
        assertThat(f).extracting(Message.Fan::id).containsExactly("nct6775_fan1", "nct6775_fan2");
        assertThat(f.getFirst().rpm()).isEqualTo(1200.0);
        assertThat(f.getFirst().speed()).isEqualTo(60.0);
        assertThat(f.get(1).status()).isEqualTo("stopped");
    }

    @Test
    void aMachineWithoutHwmon_hasNoSensorsAndNoFans(@TempDir Path root) {
        assertThat(new Hwmon(root.resolve("absent")).sensors()).isEmpty();
        assertThat(new Hwmon(root.resolve("absent")).fans()).isEmpty();
    }
}
