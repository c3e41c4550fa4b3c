package io.fleetwire.agent.internal.telemetry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetwire.agent.TelemetrySource;
import io.fleetwire.protocol.Message;

import java.io.File;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@link SystemSampler}'s fields read straight from Linux's {@code /proc} and {@code /sys}: a few
 * small files a sample, and {@code /proc/<pid>/stat} of every process every
 * {@link SystemSampler#PROCESS_EVERY}th (≈ 6–9 ms, against ≈ 30–40 ms for OSHI's process listing).
 * A file that is missing or malformed leaves its fields out of the sample. Not thread-safe: the
 * agent's telemetry thread owns it.
 */
final class LinuxSampler implements TelemetrySource {

    /** Clock ticks per second of {@code /proc}'s CPU times: USER_HZ, 100 on every mainstream architecture. */
    static final long USER_HZ = 100;
    // OSHI's defaults (oshi.properties), so the disk list is the one the OSHI sampler gives.
    private static final Set<String> PSEUDO_FS = Set.of("anon_inodefs", "autofs", "bdev", "binfmt_misc", "bpf", "cgroup",
            "cgroup2", "configfs", "cpuset", "dax", "debugfs", "devpts", "devtmpfs", "drm", "ecryptfs", "efivarfs", "fuse",
            "fusectl", "hugetlbfs", "inotifyfs", "mqueue", "nfsd", "overlay", "proc", "procfs", "pstore", "rootfs",
            "rpc_pipefs", "securityfs", "selinuxfs", "sunrpc", "sysfs", "systemd-1", "tracefs", "usbfs", "devfs", "squashfs");
    private static final Set<String> NETWORK_FS = Set.of("afs", "cifs", "smbfs", "sshfs", "ncpfs", "ncp", "nfs", "nfs4", "gfs",
            "gds2", "glusterfs");

    private final Path proc;
    private final Path sys;
    private final Hwmon hwmon;
    private final long startedNanos = System.nanoTime();
    private final Map<String, long[]> previousNet = new HashMap<>();
    private long[] previousTicks;
    private long previousNanos;
    private int count;

    LinuxSampler(Path proc, Path sys, Hwmon hwmon) {
        this.proc = proc;
        this.sys = sys;
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

        long[] ticks = ProcText.cpuTicks(read(proc.resolve("stat")));
        if (ticks != null && previousTicks != null) {
            double usage = round(ProcText.busyBetween(previousTicks, ticks) * 100);
            metrics.put("cpu.usage", usage);
            health.put("cpuUsage", usage);
        }
        if (ticks != null) {
            previousTicks = ticks;
        }
        double[] load = ProcText.loadAverages(read(proc.resolve("loadavg")));
        if (load != null) {
            metrics.put("load.1m", round(load[0]));
            metrics.put("load.5m", round(load[1]));
            metrics.put("load.15m", round(load[2]));
        }
        Map<String, Long> mem = ProcText.meminfo(read(proc.resolve("meminfo")));
        Long total = mem.get("MemTotal");
        OptionalLong available = ProcText.available(mem);
        if (total != null && total > 0 && available.isPresent()) {
            double used = round((total - available.getAsLong()) * 100.0 / total);
            metrics.put("memory.used_percent", used);
            metrics.put("memory.available_bytes", (double) available.getAsLong());
            health.put("memoryUsage", used);
        }
        OptionalDouble uptime = ProcText.uptime(read(proc.resolve("uptime")));
        if (uptime.isPresent()) {
            metrics.put("uptime.seconds", (double) (long) uptime.getAsDouble());
        }
        health.put("agentUptime", (double) ((now - startedNanos) / 1_000_000_000L));

        network(metrics, details, seconds);
        disks(metrics, details);
        battery(metrics, details);
        if (count++ % SystemSampler.PROCESS_EVERY == 0 && uptime.isPresent()) {
            processes(details, uptime.getAsDouble());
        }
        return new Message.Sample(Instant.now(), metrics, hwmon.sensors(), hwmon.fans(), health, details);
    }

    private void network(Map<String, Double> metrics, ObjectNode details, double seconds) {
        ArrayNode list = details.putArray("network");
        List<NetworkInterface> nifs;
        try {
            nifs = NetworkInterface.networkInterfaces().sorted(Comparator.comparingInt(NetworkInterface::getIndex)).toList();
        } catch (SocketException e) {
            return;
        }
        for (NetworkInterface nif : nifs) {
            try {
                if (nif.isLoopback() || nif.getHardwareAddress() == null) {
                    continue;
                }
            } catch (SocketException e) {
                continue;
            }
            Path dir = sys.resolve("class/net").resolve(nif.getName());
            Long rx = ProcText.parseLong(read(dir.resolve("statistics/rx_bytes")).strip());
            Long tx = ProcText.parseLong(read(dir.resolve("statistics/tx_bytes")).strip());
            if (rx == null || tx == null) {
                continue;
            }
            ObjectNode n = list.addObject().put("iface", nif.getName()).put("rxBytes", rx).put("txBytes", tx)
                    .put("up", read(dir.resolve("operstate")).strip().equals("up"));
            ArrayNode v4 = n.putArray("ipv4");
            for (InetAddress a : java.util.Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address) {
                    v4.add(a.getHostAddress());
                }
            }
            String name = Hwmon.sanitize(nif.getName());
            long[] before = previousNet.put(name, new long[]{rx, tx});
            if (before != null && seconds > 0) {
                metrics.put("net." + name + ".rx_bytes_per_s", round(Math.max(0, rx - before[0]) / seconds));
                metrics.put("net." + name + ".tx_bytes_per_s", round(Math.max(0, tx - before[1]) / seconds));
            }
        }
    }

    private void disks(Map<String, Double> metrics, ObjectNode details) {
        ArrayNode list = details.putArray("disks");
        for (ProcText.Mount m : ProcText.mounts(read(proc.resolve("self/mounts")))) {
            if (!isLocalDisk(m)) {
                continue;
            }
            File f = new File(m.path());
            long total = f.getTotalSpace();
            if (total <= 0) {
                continue;
            }
            double used = round((total - f.getUsableSpace()) * 100.0 / total);
            list.addObject().put("mount", m.path()).put("totalBytes", total).put("usedPercent", used);
            if (m.path().equals("/")) {
                metrics.put("disk.root.used_percent", used);
            }
        }
    }

    /** OSHI's local file stores on Linux: no pseudo or network types, nothing under /run, /sys, /proc, no /dev, no …/shm. */
    static boolean isLocalDisk(ProcText.Mount m) {
        String p = m.path();
        return !PSEUDO_FS.contains(m.type()) && !NETWORK_FS.contains(m.type()) && !under(p, "/run") && !under(p, "/sys")
                && !under(p, "/proc") && !p.equals("/dev") && !p.endsWith("/shm");
    }

    private static boolean under(String path, String dir) {
        return path.equals(dir) || path.startsWith(dir + "/");
    }

    private void battery(Map<String, Double> metrics, ObjectNode details) {
        Path dir = sys.resolve("class/power_supply");
        List<Path> supplies = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(supplies::add);
        } catch (IOException e) {
            return;
        }
        supplies.sort(null);
        for (Path supply : supplies) {
            Map<String, String> u = ProcText.uevent(read(supply.resolve("uevent")));
            if (!"Battery".equals(u.get("POWER_SUPPLY_TYPE")) || "0".equals(u.get("POWER_SUPPLY_PRESENT"))) {
                continue;
            }
            Double level = batteryLevel(u);
            if (level == null) {
                continue;
            }
            Long cycles = ProcText.parseLong(u.getOrDefault("POWER_SUPPLY_CYCLE_COUNT", "-1"));
            metrics.put("battery.level", level);
            details.putObject("battery").put("level", level).put("charging", "Charging".equals(u.get("POWER_SUPPLY_STATUS")))
                    .put("cycles", cycles == null ? -1 : cycles)
                    .put("name", u.getOrDefault("POWER_SUPPLY_NAME", supply.getFileName().toString()));
            return;
        }
    }

    /** Percent charged: CAPACITY, else the energy or charge now over full. */
    static Double batteryLevel(Map<String, String> u) {
        Double capacity = ProcText.parseDouble(u.getOrDefault("POWER_SUPPLY_CAPACITY", ""));
        if (capacity != null) {
            return round(capacity);
        }
        for (String kind : List.of("ENERGY", "CHARGE")) {
            Double now = ProcText.parseDouble(u.getOrDefault("POWER_SUPPLY_" + kind + "_NOW", ""));
            Double full = ProcText.parseDouble(u.getOrDefault("POWER_SUPPLY_" + kind + "_FULL", ""));
            if (now != null && full != null && full > 0) {
                return round(Math.min(100, now * 100 / full));
            }
        }
        return null;
    }

    private void processes(ObjectNode details, double uptimeSeconds) {
        List<ProcText.ProcessStat> all = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(proc, p -> isPid(p.getFileName().toString()))) {
            for (Path p : s) {
                ProcText.ProcessStat stat = ProcText.processStat(read(p.resolve("stat")));
                if (stat != null) {
                    all.add(stat);
                }
            }
        } catch (IOException e) {
            return;
        }
        all.sort(Comparator.comparingDouble((ProcText.ProcessStat p) -> cpuShare(p, uptimeSeconds)).reversed());
        ArrayNode list = details.putArray("processes");
        for (ProcText.ProcessStat p : all) {
            if (list.size() == SystemSampler.TOP_PROCESSES) {
                break;
            }
            OptionalLong rss = ProcText.rssBytes(read(proc.resolve(Integer.toString(p.pid())).resolve("status")));
            if (rss.isEmpty() && !Files.isDirectory(proc.resolve(Integer.toString(p.pid())))) {
                continue; // ended since its stat was read
            }
            list.addObject().put("pid", p.pid()).put("name", p.name())
                    .put("cpuPercent", round(cpuShare(p, uptimeSeconds) * 100)).put("rssBytes", rss.orElse(0));
        }
    }

    /** CPU time over lifetime (0–CPUs), as OSHI's cumulative process load. */
    static double cpuShare(ProcText.ProcessStat p, double uptimeSeconds) {
        double age = uptimeSeconds - (double) p.startTicks() / USER_HZ;
        return age <= 0 ? 0 : (double) p.cpuTicks() / USER_HZ / age;
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The file's text, or "" when it cannot be read (a process that ended, a missing file). */
    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static double round(double v) {
        return SystemSampler.round(v);
    }
}
