package io.fleetwire.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@code ./fleetwire bench}: the benchmark suite (issue #5) against a hub it starts itself. Exit codes:
 * 0 every message accounted for, 1 a message not accounted for or the run failed, 2 bad arguments.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (BenchOptions.UsageException e) {
            err.println("fleetwire bench: " + e.getMessage() + " (see --help)");
            return 2;
        }
        if (o.help()) {
            out.println(BenchOptions.usage());
            return 0;
        }
        Path work;
        try {
            work = Files.createTempDirectory("fleetwire-bench");
        } catch (java.io.IOException e) {
            err.println("fleetwire bench: cannot make a work directory: " + e.getMessage());
            return 1;
        }
        String token = "fwa_bench_" + UUID.randomUUID().toString().replace("-", "");
        Map<String, String> env = Map.of(
                "FLEETWIRE_TELEMETRY_INTERVAL_SECONDS", Integer.toString(o.intervalSeconds()),
                "FLEETWIRE_WS_COMPRESSION", o.deflate() ? "on" : "off");
        Report report = new Report("./fleetwire bench " + String.join(" ", args));
        err.println("bench: starting a hub (" + (o.dbUrl() == null ? "embedded PostgreSQL" : "external PostgreSQL") + ")");
        try (HubChild hub = HubChild.start(work.resolve("hub"), token, o.dbUrl(), env)) {
            List<String> problems = new BenchRun(o, hub, token, err, report).run(work.resolve("devices.json"));
            if (o.peer() && MosquittoPeer.reachable()) {
                err.println("bench: the same through Mosquitto (" + MosquittoPeer.HOST + ":" + MosquittoPeer.PORT + ")");
                MosquittoPeer.Result peer = MosquittoPeer.run(o.devices(), o.telemetry(), o.intervalSeconds());
                report.peer(peer);
                if (peer.acked() != peer.published()) {
                    problems.add("Mosquitto acknowledged " + peer.acked() + " of " + peer.published() + " publishes");
                }
            } else if (o.peer()) {
                err.println("bench: no Mosquitto on " + MosquittoPeer.HOST + ":" + MosquittoPeer.PORT + "; the peer is left out");
            }
            String md = report.markdown(problems);
            if (o.out().toAbsolutePath().getParent() != null) {
                Files.createDirectories(o.out().toAbsolutePath().getParent());
            }
            Files.writeString(o.out(), md);
            if (!problems.isEmpty()) {
                Path hubLog = o.out().resolveSibling(o.out().getFileName() + ".hub.log");
                Files.writeString(hubLog, hub.output());
                err.println("bench: the hub's output is in " + hubLog.toAbsolutePath());
            }
            out.print(md);
            err.println("bench: report written to " + o.out().toAbsolutePath());
            return problems.isEmpty() ? 0 : 1;
        } catch (Exception e) {
            err.println("fleetwire bench: the run failed: " + e);
            return 1;
        } finally {
            deleteQuietly(work);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a temp directory left behind
        }
    }
}
