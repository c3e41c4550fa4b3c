package io.fleetwire.agent.internal.telemetry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Parsers for the Linux {@code /proc} and {@code /sys} texts {@link LinuxSampler} reads. Pure
 * functions of the text, so each is tested with fixtures; a malformed line or field is skipped
 * (an empty result), never an exception.
 */
final class ProcText {

    private ProcText() {
    }

    /**
     * The aggregate {@code cpu} line of {@code /proc/stat}: user, nice, system, idle, iowait, irq,
     * softirq, steal (the ticks OSHI sums), or null.
     */
    static long[] cpuTicks(String procStat) {
        for (String line : procStat.split("\n")) {
            if (!line.startsWith("cpu ")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length < 5) {
                return null;
            }
            long[] ticks = new long[8];
            for (int i = 0; i < ticks.length && i + 1 < f.length; i++) {
                Long v = parseLong(f[i + 1]);
                if (v == null) {
                    return null;
                }
                ticks[i] = v;
            }
            return ticks;
        }
        return null;
    }

    /** Busy share (0–1) between two {@link #cpuTicks} readings: all but idle and iowait, as OSHI counts it. */
    static double busyBetween(long[] before, long[] now) {
        long total = 0;
        for (int i = 0; i < now.length; i++) {
            total += now[i] - before[i];
        }
        long idle = (now[3] + now[4]) - (before[3] + before[4]);
        return total > 0 ? Math.max(0, (double) (total - idle) / total) : 0;
    }

    /** The three load averages of {@code /proc/loadavg}, or null. */
    static double[] loadAverages(String loadavg) {
        String[] f = loadavg.trim().split("\\s+");
        if (f.length < 3) {
            return null;
        }
        double[] out = new double[3];
        for (int i = 0; i < 3; i++) {
            Double v = parseDouble(f[i]);
            if (v == null || v < 0) {
                return null;
            }
            out[i] = v;
        }
        return out;
    }

    /** {@code /proc/meminfo} values in bytes ("MemTotal: 123 kB" → MemTotal = 125952); malformed lines skipped. */
    static Map<String, Long> meminfo(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            Long v = f.length == 0 ? null : parseLong(f[0]);
            if (v == null) {
                continue;
            }
            out.put(line.substring(0, colon), f.length > 1 && f[1].equals("kB") ? v * 1024 : v);
        }
        return out;
    }

    /** Available memory as the kernel estimates it (MemAvailable), or, on kernels before 3.14, OSHI's sum. */
    static OptionalLong available(Map<String, Long> meminfo) {
        Long a = meminfo.get("MemAvailable");
        if (a != null) {
            return OptionalLong.of(a);
        }
        Long free = meminfo.get("MemFree");
        if (free == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(free + meminfo.getOrDefault("Active(file)", 0L) + meminfo.getOrDefault("Inactive(file)", 0L)
                + meminfo.getOrDefault("SReclaimable", 0L));
    }

    /** Seconds since boot, the first field of {@code /proc/uptime}. */
    static OptionalDouble uptime(String text) {
        String[] f = text.trim().split("\\s+");
        Double v = f.length == 0 ? null : parseDouble(f[0]);
        return v == null || v < 0 ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** One {@code /proc/<pid>/stat} line: the name, CPU ticks (utime + stime) and start (ticks after boot). */
    record ProcessStat(int pid, String name, long cpuTicks, long startTicks) {
    }

    /** Parses a {@code /proc/<pid>/stat} line (the name may hold spaces and parentheses), or null. */
    static ProcessStat processStat(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open <= 0 || close < open || close + 2 > line.length()) {
            return null;
        }
        Long pid = parseLong(line.substring(0, open).trim());
        // After ") ": field 3 (state) is index 0, so utime (14) is 11, stime (15) 12, starttime (22) 19.
        String[] f = line.substring(close + 2).trim().split(" ");
        if (pid == null || pid > Integer.MAX_VALUE || f.length < 20) {
            return null;
        }
        Long utime = parseLong(f[11]);
        Long stime = parseLong(f[12]);
        Long start = parseLong(f[19]);
        if (utime == null || stime == null || start == null) {
            return null;
        }
        return new ProcessStat(pid.intValue(), line.substring(open + 1, close), utime + stime, start);
    }

    /** A mount from {@code /proc/self/mounts}: where and what type. */
    record Mount(String path, String type) {
    }

    /** Mount points with octal escapes (\040 for a space) decoded; malformed lines skipped. */
    static List<Mount> mounts(String text) {
        List<Mount> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3 || !f[1].startsWith("/")) {
                continue;
            }
            out.add(new Mount(unescape(f[1]), f[2]));
        }
        return out;
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** {@code KEY=value} lines of a sysfs {@code uevent} file; lines without '=' skipped. */
    static Map<String, String> uevent(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return out;
    }

    /** The {@code VmRSS} of a {@code /proc/<pid>/status} text, in bytes. */
    static OptionalLong rssBytes(String status) {
        Long v = meminfo(status).get("VmRSS");
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    static Long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Double parseDouble(String s) {
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
