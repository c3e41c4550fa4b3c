package io.fleetwire.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time of processes from /proc (utime + stime, in clock ticks of 1/100 s), to say where the
 * machine's cores went during a phase: the hub, its embedded PostgreSQL (the postmaster named in
 * {@code postmaster.pid} and its children), the simulator processes.
 */
final class ProcessCpu {

    private ProcessCpu() {
    }

    /** CPU ticks of {@code pid}, 0 when it is gone. */
    static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static long ticks(List<Long> pids) {
        return pids.stream().mapToLong(ProcessCpu::ticks).sum();
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
