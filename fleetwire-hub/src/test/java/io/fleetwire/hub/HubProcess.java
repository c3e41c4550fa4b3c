package io.fleetwire.hub;

import io.fleetwire.testkit.ApiClient;
import io.fleetwire.testkit.TestDatabase;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A hub in its own JVM ({@link HubMain}), so tests can send it real signals. It uses the embedded
 * PostgreSQL in its data directory, or a fresh database of the external test server when one is
 * configured.
 */
public final class HubProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final CopyOnWriteArrayList<String> output = new CopyOnWriteArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread reader;

    private HubProcess(Process process, int port) {
        this.process = process;
        this.port = port;
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    if (line.startsWith("Fleetwire hub ready")) {
                        ready.countDown();
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "hub-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a hub on the data directory; {@code dbUrl} null means embedded. Waits until it serves. */
    public static HubProcess start(Path dataDir, String dbUrl) {
        return start(dataDir, dbUrl, java.util.Map.of());
    }

    /** Starts a hub process with extra environment variables. */
    public static HubProcess start(Path dataDir, String dbUrl, java.util.Map<String, String> extraEnv) {
        // A port found free can be taken before the hub binds it (its own embedded PostgreSQL picks one
        // too): then the hub exits at once, and another port is tried.
        for (int attempt = 1; ; attempt++) {
            try {
                return start(dataDir, dbUrl, extraEnv, freePort());
            } catch (PortTaken e) {
                if (attempt == 3) {
                    throw new AssertionError("no free port for the hub after 3 attempts", e);
                }
            }
        }
    }

    /** The hub exited because its port was taken meanwhile. */
    private static final class PortTaken extends RuntimeException {
        PortTaken(String output) {
            super(output);
        }
    }

    /** A port free now, for a hub that must come back on the same port after a restart. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a hub process on the given port. */
    public static HubProcess start(Path dataDir, String dbUrl, java.util.Map<String, String> extraEnv, int port) {
        try {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = new ArrayList<>(List.of(java, "-Xmx256m"));
            // -Dbench.hubJavaOpts="-XX:StartFlightRecording=…" profiles the hub of a benchmark.
            String extra = System.getProperty("bench.hubJavaOpts", "").trim();
            if (!extra.isEmpty()) {
                command.addAll(List.of(extra.split("\\s+")));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), HubMain.class.getName()));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            var env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("FLEETWIRE_"));
            env.put("FLEETWIRE_PORT", Integer.toString(port));
            env.put("FLEETWIRE_HOST", "127.0.0.1");
            env.put("FLEETWIRE_DATA_DIR", dataDir.toString());
            env.put("FLEETWIRE_ADMIN_TOKEN", TestHub.ADMIN_TOKEN);
            env.put("FLEETWIRE_DEVICE_RATE", "10000");
            env.put("FLEETWIRE_DEVICE_BURST", "10000");
            if (dbUrl != null) {
                env.put("FLEETWIRE_DB_URL", dbUrl);
            }
            env.putAll(extraEnv);
            HubProcess hub = new HubProcess(pb.start(), port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!hub.ready.await(200, TimeUnit.MILLISECONDS)) {
                if (!hub.process.isAlive() || System.nanoTime() > deadline) {
                    hub.process.destroyForcibly();
                    hub.reader.join(5_000);
                    String out = String.join("\n", hub.output);
                    if (out.contains("Address already in use")) {
                        throw new PortTaken(out);
                    }
                    throw new AssertionError("hub process did not become ready:\n" + out);
                }
            }
            return hub;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** The database to use for a run: null (embedded) unless the tests target an external server. */
    public static String databaseForRun() {
        return TestDatabase.externalUrl() == null ? null : TestDatabase.newDatabase();
    }

    public long pid() {
        return process.pid();
    }

    public ApiClient api() {
        return new ApiClient("http://127.0.0.1:" + port, TestHub.ADMIN_TOKEN);
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String wsUrl() {
        return "ws://127.0.0.1:" + port;
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the exit; returns the exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("hub did not stop within 60 s of SIGTERM:\n" + String.join("\n", output));
        }
        reader.join(10_000);
        return process.exitValue();
    }

    public String output() {
        return String.join("\n", output);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
