package io.fleetwire.sim;

import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.MessageCodec;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TelemetryGeneratorTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void sample_hasSeed003Shape_25SensorValues_fans_andSystemHealth() {
        Message.Sample s = new TelemetryGenerator(1).next(T0);
        assertThat(s.sensors()).hasSize(20);
        assertThat(s.metrics()).hasSize(5).allSatisfy((k, v) -> assertThat(k).startsWith("volt."));
        assertThat(s.sensors().size() + s.metrics().size()).isEqualTo(25);
        assertThat(s.fans()).hasSize(4).allSatisfy(f -> {
            assertThat(f.rpm()).isNotNull();
            assertThat(f.speed()).isNotNull();
            assertThat(f.targetSpeed()).isNotNull();
        });
        assertThat(s.systemHealth()).containsOnlyKeys("cpuUsage", "memoryUsage", "diskUsage", "agentUptime");
        assertThat(s.ts()).isEqualTo(T0);
    }

    @Test
    void values_stayInRealisticRanges_overManySteps() {
        TelemetryGenerator g = new TelemetryGenerator(42);
        for (int i = 0; i < 5_000; i++) {
            Message.Sample s = g.next(T0.plusSeconds(3L * i));
            for (Message.Sensor sensor : s.sensors()) {
                assertThat(sensor.temperature()).isBetween(15.0, sensor.critTemp());
                assertThat(sensor.maxTemp()).isLessThan(sensor.critTemp());
            }
            s.metrics().forEach((name, v) -> {
                double nominal = TelemetryGenerator.VOLTAGES.stream().filter(e -> e.getKey().equals(name)).findFirst().orElseThrow().getValue();
                assertThat(v).isCloseTo(nominal, within(nominal * 0.051));
            });
            for (Message.Fan f : s.fans()) {
                assertThat(f.speed()).isBetween(0.0, 100.0);
                assertThat(f.rpm()).isBetween(0.0, 3400.0);
            }
            assertThat(s.systemHealth().get("cpuUsage")).isBetween(0.0, 100.0);
            assertThat(s.systemHealth().get("memoryUsage")).isBetween(5.0, 98.0);
            assertThat(s.systemHealth().get("diskUsage")).isBetween(1.0, 99.9);
        }
    }

    @Test
    void values_drift_andUptimeFollowsTime() {
        TelemetryGenerator g = new TelemetryGenerator(7);
        List<Double> cpuTemp = new ArrayList<>();
        List<Double> load = new ArrayList<>();
        double firstUptime = 0;
        double lastUptime = 0;
        for (int i = 0; i < 100; i++) {
            Message.Sample s = g.next(T0.plusSeconds(3L * i));
            cpuTemp.add(s.sensors().getFirst().temperature());
            load.add(s.systemHealth().get("cpuUsage"));
            if (i == 0) {
                firstUptime = s.systemHealth().get("agentUptime");
            }
            lastUptime = s.systemHealth().get("agentUptime");
        }
        assertThat(cpuTemp.stream().distinct().count()).isGreaterThan(20);
        assertThat(load.stream().distinct().count()).isGreaterThan(20);
        assertThat(lastUptime - firstUptime).isEqualTo(297.0);
        // Drift, not noise: consecutive temperatures stay close.
        for (int i = 1; i < cpuTemp.size(); i++) {
            assertThat(Math.abs(cpuTemp.get(i) - cpuTemp.get(i - 1))).isLessThan(25.0);
        }
    }

    @Test
    void sameSeed_sameMachine_otherSeed_otherMachine() {
        assertThat(new TelemetryGenerator(3).next(T0)).isEqualTo(new TelemetryGenerator(3).next(T0));
        assertThat(new TelemetryGenerator(3).next(T0)).isNotEqualTo(new TelemetryGenerator(4).next(T0));
    }

    @Test
    void setFanSpeed_showsInTheNextSamples_unknownFanIsRefused() {
        TelemetryGenerator g = new TelemetryGenerator(5);
        assertThat(g.setFanSpeed("cpu_fan", 70)).isEqualTo(1540.0);
        assertThat(g.setFanSpeed("nope", 70)).isEqualTo(-1.0);
        Message.Fan fan = null;
        for (int i = 0; i < 10; i++) {
            fan = g.next(T0.plusSeconds(i)).fans().getFirst();
        }
        assertThat(fan.targetSpeed()).isEqualTo(70.0);
        assertThat(fan.speed()).isEqualTo(70.0);
        assertThat(fan.rpm()).isCloseTo(1540.0, within(60.0));
    }

    @Test
    void encodedMessage_isAcceptedByTheCodec_andAboutTwoKilobytes() {
        MessageCodec codec = new MessageCodec();
        String text = codec.encode(new Message.Telemetry(1, List.of(new TelemetryGenerator(9).next(T0))));
        Message back = codec.decode(text);
        assertThat(back).isInstanceOf(Message.Telemetry.class);
        assertThat(text.length()).isBetween(1_500, 4_000);
        assertThat(new TelemetryGenerator(1).capabilities().path("sensors").size()).isEqualTo(20);
        assertThat(new TelemetryGenerator(1).capabilities().path("fans").size()).isEqualTo(4);
    }
}
