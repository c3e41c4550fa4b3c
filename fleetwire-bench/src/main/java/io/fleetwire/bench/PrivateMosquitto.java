package io.fleetwire.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto broker of the bench's own, started for one run on a free loopback port from a generated
 * configuration in a temporary directory, and stopped with it: its memory is measured from a fresh
 * process, never one that earlier runs have grown (a long-lived broker reuses memory it freed, and
 * read 0.0 KB per connection). Nothing is persisted; anonymous clients are allowed on 127.0.0.1 only.
 */
final class PrivateMosquitto implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    private static final List<Path> KNOWN = List.of(Path.of("/usr/sbin/mosquitto"), Path.of("/usr/local/sbin/mosquitto"),
            Path.of("/usr/bin/mosquitto"), Path.of("/usr/local/bin/mosquitto"), Path.of("/opt/homebrew/sbin/mosquitto"));

    private final Process process;
    private final int port;
    private final Path dir;
    private final Thread hook;

    private PrivateMosquitto(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.hook = new Thread(process::destroyForcibly, "mosquitto-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The {@code mosquitto} executable: on the PATH, else in a known place. */
    static Optional<Path> binary() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                if (!d.isEmpty()) {
                    candidates.add(Path.of(d, "mosquitto"));
                }
            }
        }
        candidates.addAll(KNOWN);
        return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }

    /** The configuration file's text: one listener on 127.0.0.1, anonymous, no persistence, no connection limit. */
    static String config(int port, Path log) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return """
                # Written by ./fleetwire bench for one run; deleted with it.
                listener %d %s
                allow_anonymous true
                persistence false
                max_connections -1
                max_queued_messages 100000
                log_dest file %s
                log_type error
                log_type warning
                """.formatted(port, HOST, log);
    }

    /** Starts a broker with {@code binary}; it accepts connections when this returns. */
    static PrivateMosquitto start(Path binary) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("fleetwire-bench-mosquitto");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
            port = s.getLocalPort();
        }
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, config(port, dir.resolve("mosquitto.log")));
        Process p = new ProcessBuilder(binary.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.out").toFile()).start();
        PrivateMosquitto m = new PrivateMosquitto(p, port, dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!m.accepting()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                String out = Files.exists(dir.resolve("mosquitto.out")) ? Files.readString(dir.resolve("mosquitto.out")) : "";
                m.close();
                throw new IOException("mosquitto did not start on " + HOST + ":" + port + ": " + out.strip());
            }
            Thread.sleep(50);
        }
        return m;
    }

    private boolean accepting() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already: the hook runs anyway
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
