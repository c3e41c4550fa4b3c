package io.fleetwire.agent.internal.telemetry;

import io.fleetwire.agent.TelemetrySource;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This machine's state as one {@link io.fleetwire.protocol.Message.Sample} (seeds 000, 001, 003).
 * The same fields, names and units on every OS:
 * <ul>
 *   <li>metrics {@code cpu.usage} (%, busy share of all CPUs since the previous sample: all ticks but
 *       idle and iowait), {@code load.1m/5m/15m}, {@code memory.used_percent},
 *       {@code memory.available_bytes}, {@code uptime.seconds} (of the machine),
 *       {@code net.<iface>.rx_bytes_per_s}/{@code tx_bytes_per_s} (since the previous sample),
 *       {@code disk.root.used_percent}, {@code battery.level} (%);</li>
 *   <li>system health {@code cpuUsage}, {@code memoryUsage} (%), {@code agentUptime} (s);</li>
 *   <li>details {@code network} [{iface, rxBytes, txBytes, up, ipv4[]}] (interfaces that are not
 *       loopback and have a hardware address), {@code disks} [{mount, totalBytes, usedPercent}] (local,
 *       non-pseudo file systems, as OSHI chooses them), {@code battery} {level, charging, cycles, name},
 *       {@code processes} [{pid, name, cpuPercent, rssBytes}]: the {@value #TOP_PROCESSES} with the
 *       highest CPU share over their lifetime, every {@value #PROCESS_EVERY}th sample (the first included);</li>
 *   <li>hwmon sensors and fans ({@link Hwmon}).</li>
 * </ul>
 * The first sample has no CPU use and no throughput (no previous one).
 */
public final class SystemSampler {

    static final int PROCESS_EVERY = 10;
    static final int TOP_PROCESSES = 5;

    private SystemSampler() {
    }

    /** Reads {@code /proc} and {@code /sys} directly on Linux (far cheaper than OSHI), OSHI elsewhere. */
    public static TelemetrySource forThisMachine(Hwmon hwmon) {
        if (Files.isReadable(Path.of("/proc/stat")) && Files.isReadable(Path.of("/proc/self/stat"))) {
            return new LinuxSampler(Path.of("/proc"), Path.of("/sys"), hwmon);
        }
        return new OshiSampler(hwmon);
    }

    /** OSHI's sampler, whatever the OS: for comparisons. */
    static TelemetrySource oshi(Hwmon hwmon) {
        return new OshiSampler(hwmon);
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
