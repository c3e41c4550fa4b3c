package io.fleetwire.agent.internal.telemetry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetwire.agent.TelemetrySource;
import io.fleetwire.protocol.Message;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.NetworkIF;
import oshi.hardware.PowerSource;
import oshi.software.os.FileSystem;
import oshi.software.os.OSFileStore;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link SystemSampler}'s fields read through OSHI: the sampler for machines without Linux's
 * {@code /proc} (where {@link LinuxSampler} is cheaper). Not thread-safe: the agent's telemetry
 * thread owns it.
 */
final class OshiSampler implements TelemetrySource {

    private static final int PROCESS_EVERY = SystemSampler.PROCESS_EVERY;
    private static final int TOP_PROCESSES = SystemSampler.TOP_PROCESSES;

    private final SystemInfo system = new SystemInfo();
    private final CentralProcessor cpu = system.getHardware().getProcessor();
    private final GlobalMemory memory = system.getHardware().getMemory();
    private final OperatingSystem os = system.getOperatingSystem();
    private final Hwmon hwmon;
    private final long startedNanos = System.nanoTime();
    private long[] previousTicks;
    private final Map<String, long[]> previousNet = new HashMap<>();
    private long previousNanos;
    private int count;

    OshiSampler(Hwmon hwmon) {
        this.hwmon = hwmon;
    }

    @Override
    public Message.Sample sample() {
        long now = System.nanoTime();
        double seconds = previousNanos == 0 ? 0 : (now - previousNanos) / 1e9;
        previousNanos = now;
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, Double> health = new LinkedHashMap<>();
        ObjectNode details = JsonNodeFactory.instance.objectNode();

        long[] ticks = cpu.getSystemCpuLoadTicks();
        if (previousTicks != null) {
            double usage = Math.max(0, cpu.getSystemCpuLoadBetweenTicks(previousTicks)) * 100;
            metrics.put("cpu.usage", round(usage));
            health.put("cpuUsage", round(usage));
        }
        previousTicks = ticks;
        double[] load = cpu.getSystemLoadAverage(3);
        if (load[0] >= 0) {
            metrics.put("load.1m", round(load[0]));
            metrics.put("load.5m", round(load[1]));
            metrics.put("load.15m", round(load[2]));
        }
        long total = memory.getTotal();
        double memUsed = total == 0 ? 0 : (total - memory.getAvailable()) * 100.0 / total;
        metrics.put("memory.used_percent", round(memUsed));
        metrics.put("memory.available_bytes", (double) memory.getAvailable());
        health.put("memoryUsage", round(memUsed));
        metrics.put("uptime.seconds", (double) os.getSystemUptime());
        health.put("agentUptime", (double) ((now - startedNanos) / 1_000_000_000L));

        network(metrics, details, seconds);
        disks(metrics, details);
        battery(metrics, details);
        if (count++ % PROCESS_EVERY == 0) {
            processes(details);
        }
        return new Message.Sample(Instant.now(), metrics, hwmon.sensors(), hwmon.fans(), health, details);
    }

    private void network(Map<String, Double> metrics, ObjectNode details, double seconds) {
        ArrayNode list = details.putArray("network");
        for (NetworkIF nif : system.getHardware().getNetworkIFs()) {
            nif.updateAttributes();
            String name = Hwmon.sanitize(nif.getName());
            long rx = nif.getBytesRecv();
            long tx = nif.getBytesSent();
            ObjectNode n = list.addObject().put("iface", nif.getName()).put("rxBytes", rx).put("txBytes", tx)
                    .put("up", nif.getIfOperStatus() == NetworkIF.IfOperStatus.UP);
            ArrayNode v4 = n.putArray("ipv4");
            for (String ip : nif.getIPv4addr()) {
                v4.add(ip);
            }
            long[] before = previousNet.put(name, new long[]{rx, tx});
            if (before != null && seconds > 0) {
                metrics.put("net." + name + ".rx_bytes_per_s", round(Math.max(0, rx - before[0]) / seconds));
                metrics.put("net." + name + ".tx_bytes_per_s", round(Math.max(0, tx - before[1]) / seconds));
            }
        }
    }

    private void disks(Map<String, Double> metrics, ObjectNode details) {
        ArrayNode list = details.putArray("disks");
        FileSystem fs = os.getFileSystem();
        for (OSFileStore store : fs.getFileStores(true)) {
            long total = store.getTotalSpace();
            if (total <= 0) {
                continue;
            }
            double used = (total - store.getUsableSpace()) * 100.0 / total;
            list.addObject().put("mount", store.getMount()).put("totalBytes", total).put("usedPercent", round(used));
            if (store.getMount().equals("/")) {
                metrics.put("disk.root.used_percent", round(used));
            }
        }
    }

    private void battery(Map<String, Double> metrics, ObjectNode details) {
        List<PowerSource> sources = system.getHardware().getPowerSources();
        if (sources.isEmpty()) {
            return;
        }
        PowerSource p = sources.getFirst();
        double level = round(p.getRemainingCapacityPercent() * 100);
        metrics.put("battery.level", level);
        details.putObject("battery").put("level", level).put("charging", p.isCharging())
                .put("cycles", p.getCycleCount()).put("name", p.getName());
    }

    private void processes(ObjectNode details) {
        ArrayNode list = details.putArray("processes");
        for (OSProcess p : os.getProcesses(null, OperatingSystem.ProcessSorting.CPU_DESC, TOP_PROCESSES)) {
            list.addObject().put("pid", p.getProcessID()).put("name", p.getName())
                    .put("cpuPercent", round(p.getProcessCpuLoadCumulative() * 100)).put("rssBytes", p.getResidentSetSize());
        }
    }

    private static double round(double v) {
        return SystemSampler.round(v);
    }
}
