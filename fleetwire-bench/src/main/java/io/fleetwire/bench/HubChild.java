package io.fleetwire.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hub under test, in its own JVM ({@code io.fleetwire.hub.HubMain} from this classpath), so its heap,
 * RSS and CPU are measured apart from the simulator's. Stopped with SIGTERM.
 */
final class HubChild implements AutoCloseable {

    private static final Pattern DATABASE = Pattern.compile("(embedded|external) PostgreSQL at (\\S+?)\\)");

    private final Process process;
    private final int port;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile String databaseUrl;
    /** Stops the hub (SIGTERM: it stops its embedded PostgreSQL too) when the bench itself is stopped. */
    private final Thread stopOnExit;

    private HubChild(Process process, int port) {
        this.process = process;
        this.port = port;
        this.stopOnExit = new Thread(process::destroy, "bench-hub-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    Matcher m = DATABASE.matcher(line);
                    if (m.find()) {
                        databaseUrl = m.group(2);
                    }
                    if (line.startsWith("Fleetwire hub ready")) {
                        ready.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "bench-hub-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the hub on a free port; a port found free can be taken before the hub binds it (its own
     * embedded PostgreSQL picks one too), and then another is tried, up to three times.
     */
    static HubChild start(Path dataDir, String adminToken, String dbUrl, Map<String, String> env) throws Exception {
        for (int attempt = 1; ; attempt++) {
            HubChild hub = startOnce(dataDir, adminToken, dbUrl, env);
            if (hub != null) {
                return hub;
            }
            if (attempt == 3) {
                throw new IllegalStateException("no free port for the hub after 3 attempts");
            }
        }
    }

    /** The hub, or null when its port was taken meanwhile. */
    private static HubChild startOnce(Path dataDir, String adminToken, String dbUrl, Map<String, String> env) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-cp", System.getProperty("java.class.path"), "io.fleetwire.hub.HubMain"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("FLEETWIRE_"));
        e.put("FLEETWIRE_PORT", Integer.toString(port));
        e.put("FLEETWIRE_HOST", "127.0.0.1");
        e.put("FLEETWIRE_DATA_DIR", dataDir.toString());
        e.put("FLEETWIRE_ADMIN_TOKEN", adminToken);
        if (dbUrl != null) {
            e.put("FLEETWIRE_DB_URL", dbUrl);
        }
        e.putAll(env);
        HubChild hub = new HubChild(pb.start(), port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!hub.ready.await(200, TimeUnit.MILLISECONDS)) {
            if (!hub.process.isAlive() || System.nanoTime() > deadline) {
                hub.process.destroyForcibly();
                hub.process.waitFor(10, TimeUnit.SECONDS);
                Thread.sleep(200);
                String out = String.join("\n", hub.output);
                if (out.contains("Address already in use")) {
                    return null;
                }
                throw new IllegalStateException("the hub did not start:\n" + out);
            }
        }
        return hub;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** The hub's database as a JDBC URL (user from the URL's user info), for counting stored rows. */
    String jdbcUrl() {
        String url = databaseUrl;
        if (url == null) {
            throw new IllegalStateException("the hub did not say which database it uses");
        }
        Matcher m = Pattern.compile("^(?:jdbc:)?postgresql://(?:([^:@/]+)(?::([^@/]*))?@)?([^/]+)/([^?]+).*$").matcher(url);
        if (!m.matches()) {
            throw new IllegalStateException("cannot read the hub's database URL " + url);
        }
        String jdbc = "jdbc:postgresql://" + m.group(3) + "/" + m.group(4);
        String query = m.group(1) == null ? "" : "?user=" + m.group(1) + (m.group(2) == null ? "" : "&password=" + m.group(2));
        return jdbc + query;
    }

    /** Resident memory of the hub process (VmRSS), bytes. */
    long rssBytes() throws IOException {
        return ProcessStats.rssBytes(pid());
    }

    /** CPU time used by the hub process so far (utime + stime), in clock ticks (1/100 s on Linux). */
    long cpuTicks() throws IOException {
        return ProcessStats.cpuTicks(pid());
    }

    /** Live heap after a full GC: the total of {@code jcmd GC.class_histogram}, which collects first. */
    long liveHeapBytes() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()), "GC.class_histogram").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        for (String line : text.split("\n")) {
            if (line.startsWith("Total")) {
                String[] parts = line.trim().split("\\s+");
                return Long.parseLong(parts[2]);
            }
        }
        throw new IllegalStateException("no heap total from jcmd: " + text);
    }

    String output() {
        return String.join("\n", output);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs anyway
        }
    }
}
