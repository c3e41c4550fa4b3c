package io.fleetwire.agent.internal.telemetry;

import io.fleetwire.agent.TelemetrySource;
import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.MessageCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LinuxSamplerTest {

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void fixtureTree_givesEveryField_andMalformedFilesLeaveTheirFieldsOut(@TempDir Path root) throws Exception {
        Path proc = root.resolve("proc");
        Path sys = root.resolve("sys");
        write(proc.resolve("stat"), "cpu  100 0 100 800 0 0 0 0 0 0\n");
        write(proc.resolve("loadavg"), "1.50 0.75 0.25 2/100 99\n");
        write(proc.resolve("meminfo"), "MemTotal: 1000 kB\nMemAvailable: 250 kB\n");
        write(proc.resolve("uptime"), "1000.00 1500.00\n");
        write(proc.resolve("self/mounts"), "proc /proc proc rw 0 0\n");
        // Started at 500 s, 250 s of CPU since: 50 %. The other one: 10 s of CPU in 900 s.
        write(proc.resolve("42/stat"), "42 (busy one) R 1 1 1 0 -1 0 0 0 0 0 20000 5000 0 0 20 0 1 0 50000 0 0\n");
        write(proc.resolve("42/status"), "Name:\tbusy one\nVmRSS:\t2048 kB\n");
        write(proc.resolve("7/stat"), "7 (idle) S 1 1 1 0 -1 0 0 0 0 0 600 400 0 0 20 0 1 0 10000 0 0\n");
        write(proc.resolve("8/stat"), "garbage\n");
        write(sys.resolve("class/power_supply/AC/uevent"), "POWER_SUPPLY_NAME=AC\nPOWER_SUPPLY_TYPE=Mains\n");
        write(sys.resolve("class/power_supply/BAT0/uevent"), "POWER_SUPPLY_NAME=BAT0\nPOWER_SUPPLY_TYPE=Battery\n"
                + "POWER_SUPPLY_STATUS=Charging\nPOWER_SUPPLY_PRESENT=1\nPOWER_SUPPLY_CYCLE_COUNT=12\nPOWER_SUPPLY_CAPACITY=87\n");
        LinuxSampler sampler = new LinuxSampler(proc, sys, new Hwmon(root.resolve("no-hwmon")));

        Message.Sample first = sampler.sample();
        assertThat(first.metrics()).containsEntry("load.1m", 1.5).containsEntry("memory.used_percent", 75.0)
                .containsEntry("memory.available_bytes", 250.0 * 1024).containsEntry("uptime.seconds", 1000.0)
                .containsEntry("battery.level", 87.0).doesNotContainKey("cpu.usage");
        assertThat(first.systemHealth()).containsEntry("memoryUsage", 75.0).containsKey("agentUptime");
        assertThat(first.details().path("battery").toString())
                .isEqualTo("{\"level\":87.0,\"charging\":true,\"cycles\":12,\"name\":\"BAT0\"}");
        assertThat(first.details().path("disks").size()).isZero();
        var processes = first.details().path("processes");
        assertThat(processes.size()).isEqualTo(2);
        assertThat(processes.get(0).toString()).isEqualTo("{\"pid\":42,\"name\":\"busy one\",\"cpuPercent\":50.0,\"rssBytes\":2097152}");
        assertThat(processes.get(1).path("cpuPercent").asDouble()).isEqualTo(1.11);
        assertThat(processes.get(1).path("rssBytes").asLong()).isZero(); // a kernel thread has no VmRSS

        write(proc.resolve("stat"), "cpu  150 0 150 900 0 0 0 0 0 0\n");
        write(proc.resolve("meminfo"), "MemTotal: broken\n");
        write(proc.resolve("loadavg"), "\n");
        Message.Sample second = sampler.sample();
        assertThat(second.metrics()).containsEntry("cpu.usage", 50.0).doesNotContainKeys("memory.used_percent", "load.1m");
        assertThat(second.systemHealth()).containsEntry("cpuUsage", 50.0);
        assertThat(second.details().has("processes")).isFalse(); // every 10th sample
    }

    @Test
    void aMachineWithNothingReadable_stillGivesASample(@TempDir Path root) {
        Message.Sample s = new LinuxSampler(root.resolve("none"), root.resolve("none"), new Hwmon(root.resolve("none"))).sample();
        assertThat(s.metrics()).isEmpty();
        assertThat(s.systemHealth()).containsOnlyKeys("agentUptime");
    }

    @Test
    void localDisks_areOshisChoice() {
        assertThat(LinuxSampler.isLocalDisk(new ProcText.Mount("/", "ext4"))).isTrue();
        assertThat(LinuxSampler.isLocalDisk(new ProcText.Mount("/home", "btrfs"))).isTrue();
        assertThat(LinuxSampler.isLocalDisk(new ProcText.Mount("/mnt/nas", "nfs4"))).isFalse();
        assertThat(LinuxSampler.isLocalDisk(new ProcText.Mount("/sys/fs/cgroup", "tmpfs"))).isFalse();
        assertThat(LinuxSampler.isLocalDisk(new ProcText.Mount("/run/user/1000", "tmpfs"))).isFalse();
        assertThat(LinuxSampler.isLocalDisk(new ProcText.Mount("/dev/shm", "tmpfs"))).isFalse();
        assertThat(LinuxSampler.isLocalDisk(new ProcText.Mount("/proc", "proc"))).isFalse();
        assertThat(LinuxSampler.isLocalDisk(new ProcText.Mount("/running", "ext4"))).isTrue();
    }

    @Test
    void batteryLevel_fromCapacity_orEnergy_orNothing() {
        assertThat(LinuxSampler.batteryLevel(Map.of("POWER_SUPPLY_CAPACITY", "55"))).isEqualTo(55.0);
        assertThat(LinuxSampler.batteryLevel(Map.of("POWER_SUPPLY_ENERGY_NOW", "30", "POWER_SUPPLY_ENERGY_FULL", "40"))).isEqualTo(75.0);
        assertThat(LinuxSampler.batteryLevel(Map.of("POWER_SUPPLY_CAPACITY", "n/a"))).isNull();
        assertThat(LinuxSampler.batteryLevel(Map.of("POWER_SUPPLY_CHARGE_NOW", "1", "POWER_SUPPLY_CHARGE_FULL", "0"))).isNull();
    }

    /** On this very machine, /proc and OSHI agree: same fields, same interfaces and disks, close values. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void onThisMachine_theProcSamplerMatchesOshi(@TempDir Path noHwmon) throws Exception {
        TelemetrySource proc = SystemSampler.forThisMachine(new Hwmon(noHwmon));
        assertThat(proc).isInstanceOf(LinuxSampler.class);
        TelemetrySource oshi = SystemSampler.oshi(new Hwmon(noHwmon));
        proc.sample();
        oshi.sample();
        Thread.sleep(500);
        Message.Sample p = proc.sample();
        Message.Sample o = oshi.sample();
        assertThat(p.metrics().keySet()).isEqualTo(o.metrics().keySet());
        assertThat(p.systemHealth().keySet()).isEqualTo(o.systemHealth().keySet());
        assertThat(names(p, "network", "iface")).isEqualTo(names(o, "network", "iface"));
        assertThat(names(p, "disks", "mount")).isEqualTo(names(o, "disks", "mount"));
        assertThat(p.details().path("network").toString().replaceAll("Bytes\":\\d+", "Bytes\":N"))
                .isEqualTo(o.details().path("network").toString().replaceAll("Bytes\":\\d+", "Bytes\":N"));
        assertThat(p.metrics().get("uptime.seconds")).isCloseTo(o.metrics().get("uptime.seconds"), within(2.0));
        assertThat(p.metrics().get("memory.used_percent")).isCloseTo(o.metrics().get("memory.used_percent"), within(2.0));
        assertThat(p.metrics().get("load.1m")).isCloseTo(o.metrics().get("load.1m"), within(0.5));
        assertThat(p.details().path("battery").isMissingNode()).isEqualTo(o.details().path("battery").isMissingNode());

        // Top processes: both take them on the first sample; a long-running process has the same share in both.
        var pp = SystemSampler.forThisMachine(new Hwmon(noHwmon)).sample().details().path("processes");
        var op = SystemSampler.oshi(new Hwmon(noHwmon)).sample().details().path("processes");
        assertThat(pp.size()).isEqualTo(op.size()).isPositive();
        for (var a : pp) {
            for (var b : op) {
                if (a.path("pid").asInt() == b.path("pid").asInt() && a.path("cpuPercent").asDouble() < 50) {
                    assertThat(a.path("name").asText()).isEqualTo(b.path("name").asText());
                    assertThat(a.path("cpuPercent").asDouble()).isCloseTo(b.path("cpuPercent").asDouble(), within(1.0));
                }
            }
        }
        MessageCodec codec = new MessageCodec();
        assertThat(codec.decode(codec.encode(new Message.Telemetry(1, List.of(p))))).isInstanceOf(Message.Telemetry.class);
    }

    private static TreeSet<String> names(Message.Sample s, String list, String field) {
        TreeSet<String> out = new TreeSet<>();
        s.details().path(list).forEach(n -> out.add(n.path(field).asText()));
        return out;
    }
}
