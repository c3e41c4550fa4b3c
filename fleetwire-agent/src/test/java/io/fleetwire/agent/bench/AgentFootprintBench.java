package io.fleetwire.agent.bench;

import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.TestHubExtension;
import io.fleetwire.hub.config.ConfigKey;
import io.fleetwire.testkit.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's footprint (issue #4 scope 8: ≤ 50 MB RSS, ≤ 0.5 % of one core at a 3 s interval with
 * full telemetry). Runs the real {@code ./fleetwire agent} launcher as a child process (so the JVM
 * options are the launcher's, from {@code fleetwire-agent/agent.jvm-options}) against a real hub,
 * lets it warm up, then measures for {@code -Dbench.seconds} (default 600): CPU as the agent
 * process's own utime + stime, so other load on the machine does not count; RSS from
 * {@code /proc/<pid>/status} every 5 s; at the end the memory map grouped by {@link MemoryMap}.
 * Asserts that telemetry kept arriving (one stored sample per 3 s). {@code -Dbench.javaOpts=…}
 * replaces the launcher's options (FLEETWIRE_JAVA_OPTS) to compare levers.
 *
 * <pre>
 * ./mvnw -B -pl fleetwire-agent -am test -Dgroups=bench -Dfleetwire.test.excludedGroups=none \
 *   -Dtest=AgentFootprintBench -Dsurefire.failIfNoSpecifiedTests=false -Dfleetwire.test.skipExternal=true
 * </pre>
 */
@Tag("bench")
class AgentFootprintBench {

    private static final int INTERVAL_SECONDS = 3;

    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension(Map.of(ConfigKey.TELEMETRY_INTERVAL_SECONDS,
            Integer.toString(INTERVAL_SECONDS)));

    @Test
    void agentRunsWithinItsFootprint_andKeepsSendingTelemetry(@TempDir Path state) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 600);
        int warmup = Integer.getInteger("bench.warmup", 60);
        Path root = repositoryRoot();
        TestHub.DeviceHandle device = HUB.hub().createDevice("footprint");
        Path log = root.resolve("fleetwire-agent/target/agent-footprint-agent.log");
        ProcessBuilder pb = new ProcessBuilder(root.resolve("fleetwire").toString(), "agent", "--hub", HUB.hub().httpUrl(),
                "--token", device.token(), "--state-dir", state.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("FLEETWIRE_JAVA_OPTS");
        String opts = System.getProperty("bench.javaOpts");
        if (opts != null) {
            pb.environment().put("FLEETWIRE_JAVA_OPTS", opts);
        }
        Process agent = pb.start();
        try {
            long pid = agent.pid();
            // The launcher may build first; then it execs java in the same process.
            waitFor("the agent's JVM", Duration.ofMinutes(5), agent,
                    () -> cmdline(pid).contains("fleetwire-agent.jar") || cmdline(pid).contains("io.fleetwire.cli.Main"));
            waitFor("the first stored sample", Duration.ofSeconds(60), agent, () -> stored(device) > 0);
            Thread.sleep(warmup * 1000L);

            long samples0 = stored(device);
            long ticks0 = cpuTicks(pid);
            long t0 = System.nanoTime();
            List<long[]> rss = new ArrayList<>(); // VmRSS, RssAnon, RssFile in kB
            long end = t0 + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                assertThat(agent.isAlive()).as("agent alive; its log: " + log).isTrue();
                rss.add(status(pid));
                Thread.sleep(Math.min(5_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            }
            long ticks1 = cpuTicks(pid);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            long samples = stored(device) - samples0;
            long[] last = status(pid);
            rss.add(last);
            String threads = statusField(pid, "Threads:");
            Map<String, Long> groups = MemoryMap.group(MemoryMap.parseSmaps(Files.readString(Path.of("/proc/" + pid + "/smaps"))),
                    MemoryMap.jvmRanges(jcmd(pid, "VM.info"), jcmd(pid, "VM.metaspace", "vslist")));

            double cpuPercent = (ticks1 - ticks0) * 100.0 / clockTicks() / elapsed;
            long maxRss = rss.stream().mapToLong(r -> r[0]).max().orElseThrow();
            double avgRss = rss.stream().mapToLong(r -> r[0]).average().orElseThrow();
            StringBuilder out = new StringBuilder();
            out.append(String.format("Agent footprint over %.0f s after %d s warm-up (JVM options: %s)%n", elapsed, warmup,
                    opts == null ? "the launcher's, fleetwire-agent/agent.jvm-options" : opts));
            out.append(String.format("| CPU (utime+stime, of one core) | %.3f %% |%n", cpuPercent));
            out.append(String.format("| RSS at the end | %.1f MB (anon %.1f, file %.1f) |%n", mb(last[0]), mb(last[1]), mb(last[2])));
            out.append(String.format("| RSS average / max | %.1f / %.1f MB |%n", avgRss / 1024, mb(maxRss)));
            out.append(String.format("| threads | %s |%n", threads));
            out.append(String.format("| samples stored in the window | %d (expected ≈ %.0f) |%n", samples, elapsed / INTERVAL_SECONDS));
            out.append("Memory map at the end (Rss by group):\n");
            groups.forEach((g, kb) -> out.append(String.format("| %s | %.1f MB |%n", g, mb(kb))));
            System.out.println(out);
            Files.writeString(root.resolve("fleetwire-agent/target/agent-footprint.txt"), out);

            assertThat(samples).as("samples stored while measuring").isBetween((long) (elapsed / INTERVAL_SECONDS * 0.9) - 1,
                    (long) (elapsed / INTERVAL_SECONDS * 1.1) + 2);
        } finally {
            agent.destroy();
            if (!agent.waitFor(10, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
    }

    private static double mb(long kb) {
        return kb / 1024.0;
    }

    private static long stored(TestHub.DeviceHandle device) {
        return TestDatabase.queryLong(HUB.hub().dbUrl(), "SELECT count(*) FROM telemetry WHERE device_id = '" + device.id() + "'");
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("fleetwire")) && Files.isRegularFile(p.resolve("fleetwire-agent/agent.jvm-options"))) {
                return p;
            }
        }
        throw new IllegalStateException("no ./fleetwire launcher above " + Path.of("").toAbsolutePath());
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(String what, Duration limit, Process p, Check check) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!check.ok()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " (agent " + (p.isAlive() ? "still running" : "exited") + ")");
            }
            Thread.sleep(200);
        }
    }

    private static String cmdline(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** utime + stime of the process, in clock ticks ({@code /proc/<pid>/stat} fields 14 and 15). */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long[] status(long pid) throws IOException {
        return new long[]{kb(statusField(pid, "VmRSS:")), kb(statusField(pid, "RssAnon:")), kb(statusField(pid, "RssFile:"))};
    }

    private static String statusField(long pid, String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(name)) {
                return line.substring(name.length()).strip();
            }
        }
        throw new IllegalStateException(name + " missing in /proc/" + pid + "/status");
    }

    private static long kb(String value) {
        return Long.parseLong(value.replace("kB", "").strip());
    }

    private static long clockTicks() throws Exception {
        Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
        String s = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return s.isEmpty() ? 100 : Long.parseLong(s);
    }

    private static String jcmd(long pid, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
