package io.fleetwire.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Processes' resident memory and CPU time from /proc, for the hub, Mosquitto and the phase-by-phase
 * split of where the machine's cores went: the hub, its embedded PostgreSQL (the postmaster named in
 * {@code postmaster.pid} and its children), the simulator processes.
 */
final class ProcessStats {

    private ProcessStats() {
    }

    /** Resident memory of {@code pid} ({@code VmRSS}), bytes; -1 when /proc does not say. */
    static long rssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /** CPU time used by {@code pid} so far (utime + stime), in clock ticks (1/100 s on Linux). */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** CPU ticks of all these processes; one that is gone counts 0. */
    static long cpuTicks(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            try {
                sum += cpuTicks(pid);
            } catch (IOException | RuntimeException e) {
                // gone meanwhile (a PostgreSQL backend that ended)
            }
        }
        return sum;
    }

    /** The embedded PostgreSQL's processes: the postmaster of {@code pgDir} and its children (none if not found). */
    static List<Long> postgres(Path pgDir) {
        List<Long> out = new ArrayList<>();
        long postmaster;
        try {
            postmaster = Long.parseLong(Files.readAllLines(pgDir.resolve("postmaster.pid")).getFirst().strip());
        } catch (IOException | RuntimeException e) {
            return out;
        }
        out.add(postmaster);
        try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
            dirs.filter(p -> p.getFileName().toString().matches("\\d+")).forEach(p -> {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(f[1]) == postmaster) {
                        out.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException ignored) {
                    // gone meanwhile
                }
            });
        } catch (IOException ignored) {
            // not Linux
        }
        return out;
    }

    /** This process and its child processes but the hub (the simulator workers). */
    static List<Long> simulator(long hubPid) {
        List<Long> out = new ArrayList<>();
        out.add(ProcessHandle.current().pid());
        ProcessHandle.current().children().filter(c -> c.pid() != hubPid).forEach(c -> out.add(c.pid()));
        return out;
    }
}
