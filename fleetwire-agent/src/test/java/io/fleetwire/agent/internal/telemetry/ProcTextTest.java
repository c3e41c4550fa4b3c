package io.fleetwire.agent.internal.telemetry;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProcTextTest {

    @Test
    void cpuTicks_takeTheAggregateLine_andBusyShareLeavesOutIdleAndIowait() {
        String stat = """
                cpu  100 10 50 800 40 0 0 0 5 0
                cpu0 50 5 25 400 20 0 0 0 0 0
                intr 12345
                """;
        long[] before = ProcText.cpuTicks(stat);
        assertThat(before).containsExactly(100, 10, 50, 800, 40, 0, 0, 0);
        long[] after = ProcText.cpuTicks("cpu  130 10 60 850 50 0 0 0 5 0\n");
        // 100 ticks went by: 40 busy, 60 idle or iowait.
        assertThat(ProcText.busyBetween(before, after)).isEqualTo(0.4);
        assertThat(ProcText.busyBetween(after, after)).isZero();
    }

    @Test
    void malformedCpuLines_giveNothing() {
        assertThat(ProcText.cpuTicks("")).isNull();
        assertThat(ProcText.cpuTicks("cpu  1 2\n")).isNull();
        assertThat(ProcText.cpuTicks("cpu  1 x 3 4 5 6 7 8\n")).isNull();
        assertThat(ProcText.cpuTicks("cpu0 1 2 3 4 5 6 7 8\n")).isNull();
    }

    @Test
    void loadAverages_andUptime() {
        assertThat(ProcText.loadAverages("0.27 0.12 0.04 1/300 4242\n")).containsExactly(0.27, 0.12, 0.04);
        assertThat(ProcText.loadAverages("0.27 abc 0.04 1/300 4242\n")).isNull();
        assertThat(ProcText.loadAverages("")).isNull();
        assertThat(ProcText.uptime("2931.55 5133.02\n")).hasValue(2931.55);
        assertThat(ProcText.uptime("up\n")).isEmpty();
        assertThat(ProcText.uptime("")).isEmpty();
    }

    @Test
    void meminfo_isInBytes_skipsMalformedLines_andFallsBackWithoutMemAvailable() {
        Map<String, Long> m = ProcText.meminfo("""
                MemTotal:       24576000 kB
                MemFree:         1000 kB
                garbage line
                Broken:          lots kB
                MemAvailable:   20000000 kB
                HugePages_Total:       0
                """);
        assertThat(m).containsEntry("MemTotal", 24_576_000L * 1024).containsEntry("MemAvailable", 20_000_000L * 1024)
                .containsEntry("HugePages_Total", 0L).doesNotContainKey("Broken").hasSize(4);
        assertThat(ProcText.available(m)).hasValue(20_000_000L * 1024);
        Map<String, Long> old = ProcText.meminfo("MemTotal: 100 kB\nMemFree: 10 kB\nActive(file): 5 kB\nInactive(file): 3 kB\nSReclaimable: 2 kB\n");
        assertThat(ProcText.available(old)).hasValue(20L * 1024);
        assertThat(ProcText.available(Map.of())).isEmpty();
    }

    @Test
    void processStat_handlesNamesWithSpacesAndParentheses() {
        String line = "4242 (Web (Content) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 12 0 73000 1000 2000 18446744073709551615\n";
        ProcText.ProcessStat p = ProcText.processStat(line);
        assertThat(p).isEqualTo(new ProcText.ProcessStat(4242, "Web (Content) x", 300, 73000));
    }

    @Test
    void malformedProcessStats_giveNothing() {
        assertThat(ProcText.processStat("")).isNull();
        assertThat(ProcText.processStat("4242 (short) S 1 2 3\n")).isNull();
        assertThat(ProcText.processStat("x (name) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 12 0 73000 1000\n")).isNull();
        assertThat(ProcText.processStat("4242 (name) S 1 4242 4242 0 -1 4194560 100 0 0 0 2x50 50 0 0 20 0 12 0 73000 1000\n")).isNull();
        assertThat(ProcText.processStat("4242 name) S\n")).isNull();
    }

    @Test
    void mounts_decodeEscapes_andSkipMalformedLines() {
        var mounts = ProcText.mounts("""
                /dev/sda1 / ext4 rw,relatime 0 0
                /dev/sdb1 /media/my\\040disk vfat rw 0 0
                broken
                none none none 0 0
                """);
        assertThat(mounts).containsExactly(new ProcText.Mount("/", "ext4"), new ProcText.Mount("/media/my disk", "vfat"));
    }

    @Test
    void ueventAndStatus() {
        assertThat(ProcText.uevent("POWER_SUPPLY_NAME=BAT0\nno equals\nPOWER_SUPPLY_CAPACITY=87\n"))
                .containsExactly(Map.entry("POWER_SUPPLY_NAME", "BAT0"), Map.entry("POWER_SUPPLY_CAPACITY", "87"));
        assertThat(ProcText.rssBytes("Name:\tjava\nVmRSS:\t  51200 kB\n")).hasValue(51200L * 1024);
        assertThat(ProcText.rssBytes("Name:\tkthreadd\n")).isEmpty();
    }
}
