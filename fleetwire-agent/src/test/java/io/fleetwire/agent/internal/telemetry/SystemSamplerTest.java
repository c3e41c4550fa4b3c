package io.fleetwire.agent.internal.telemetry;

import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.MessageCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Samples this very machine: the figures are real, and the hub's codec accepts them. */
class SystemSamplerTest {

    @Test
    void secondSample_hasCpuMemoryAndUptime_andPassesTheProtocolCodec(@TempDir Path noHwmon) throws Exception {
        var sampler = SystemSampler.forThisMachine(new Hwmon(noHwmon));
        Message.Sample first = sampler.sample();
        assertThat(first.metrics()).doesNotContainKey("cpu.usage").containsKey("memory.used_percent");
        Thread.sleep(300);
        Message.Sample second = sampler.sample();
        assertThat(second.metrics().get("cpu.usage")).isBetween(0.0, 100.0);
        assertThat(second.metrics().get("memory.used_percent")).isBetween(0.0, 100.0);
        assertThat(second.metrics().get("uptime.seconds")).isPositive();
        assertThat(second.systemHealth()).containsKeys("cpuUsage", "memoryUsage", "agentUptime");
        assertThat(first.details().path("processes").isArray()).isTrue();
        assertThat(second.details().path("disks").isArray()).isTrue();

        MessageCodec codec = new MessageCodec();
        Message.Telemetry t = new Message.Telemetry(1, List.of(first, second));
        assertThat(codec.decode(codec.encode(t))).isInstanceOf(Message.Telemetry.class);
    }
}
