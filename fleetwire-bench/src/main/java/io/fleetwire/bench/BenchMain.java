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
                "FLEETWIRE_WS_COMPRESSION", o.deflate() ? "on" : "off",
                // The ingest run's devices send up to 100 messages/s each; the default per-device limit (20/s) would cap it.
                "FLEETWIRE_DEVICE_RATE", "200", "FLEETWIRE_DEVICE_BURST", "400");
        Report report = new Report("./fleetwire bench " + String.join(" ", args));
        err.println("bench: starting a hub (" + (o.dbUrl() == null ? "embedded PostgreSQL" : "external PostgreSQL") + ")");
        try (HubChild hub = HubChild.start(work.resolve("hub"), token, o.dbUrl(), env)) {
            List<String> problems = new BenchRun(o, hub, token, err, report, work).run();
            java.util.Optional<Path> mosquitto = o.peer() ? PrivateMosquitto.binary() : java.util.Optional.empty();
            if (mosquitto.isPresent()) {
                try (PrivateMosquitto broker = PrivateMosquitto.start(mosquitto.get())) {
                    err.println("bench: the same through a Mosquitto of its own (" + mosquitto.get() + ", "
                            + PrivateMosquitto.HOST + ":" + broker.port() + ")");
                    MosquittoPeer.Result peer = MosquittoPeer.run(broker, o.steps(), o.telemetry(), o.intervalSeconds());
                    report.peer(peer);
                    if (peer.acked() != peer.published()) {
                        problems.add("Mosquitto acknowledged " + peer.acked() + " of " + peer.published() + " publishes");
                    }
                }
            } else if (o.peer()) {
                err.println("bench: no mosquitto executable on the PATH or in /usr/sbin, /usr/local/sbin, /usr/bin, "
                        + "/usr/local/bin; the peer is left out (Debian: apt-get install mosquitto)");
            }
            hub.close();
            err.println("bench: bandwidth at " + BandwidthRun.INTERVAL_SECONDS + " s, plain and with permessage-deflate ("
                    + o.bandwidthDevices() + " devices each, a hub of its own)");
            report.bandwidth(new BandwidthRun(o.bandwidthDevices(), o.bandwidthWindow(), o.dbUrl(), token, work, err).run(problems),
                    o.bandwidthWindow().toSeconds());
            Path written = write(o, report, problems, out, err);
            if (!problems.isEmpty()) {
                Path hubLog = written.resolveSibling(written.getFileName() + ".hub.log");
                Files.writeString(hubLog, hub.output());
                err.println("bench: the hub's output is in " + hubLog.toAbsolutePath());
            }
            err.println("bench: report written to " + written.toAbsolutePath());
            return problems.isEmpty() ? 0 : 1;
        } catch (Exception e) {
            err.println("fleetwire bench: the run failed: " + e);
            return 1;
        } finally {
            deleteQuietly(work);
        }
    }

    /** The generated part of docs/benchmarks.md lies between these lines; the rest of that file is kept as it is. */
    static final String BEGIN = "<!-- bench:begin (written by ./fleetwire bench; edits here are overwritten) -->";
    static final String END = "<!-- bench:end -->";

    /**
     * With {@code --out}: the report there, plots beside it. Without: the generated part of
     * docs/benchmarks.md is replaced and the plots go to docs/bench/ (run from the repository's root).
     */
    private static Path write(BenchOptions o, Report report, List<String> problems, PrintStream out, PrintStream err)
            throws java.io.IOException {
        Path docs = Path.of("docs", "benchmarks.md").toAbsolutePath();
        Path file = o.out() != null ? o.out().toAbsolutePath() : docs;
        if (o.out() == null && !Files.isRegularFile(docs)) {
            file = Path.of("fleetwire-bench-results.md").toAbsolutePath();
            err.println("bench: no docs/benchmarks.md here (run from the repository's root to update it); writing " + file);
        }
        Files.createDirectories(file.getParent());
        boolean intoDocs = file.equals(docs);
        List<String> plots;
        try {
            plots = report.plots(intoDocs ? docs.getParent().resolve("bench") : file.getParent());
        } catch (RuntimeException | LinkageError e) {
            // A run's figures are worth more than its pictures: keep the report.
            err.println("bench: the plots could not be drawn: " + e);
            plots = List.of();
        }
        String md = report.markdown(problems, plots, intoDocs ? "bench/" : "");
        out.print(md);
        Files.writeString(file, intoDocs ? replaceGenerated(Files.readString(docs), md) : "# Fleetwire benchmark run\n\n" + md);
        return file;
    }

    /** {@code doc} with the text between {@link #BEGIN} and {@link #END} replaced (both added at the end if absent). */
    static String replaceGenerated(String doc, String generated) {
        int b = doc.indexOf(BEGIN);
        int e = doc.indexOf(END);
        String block = BEGIN + "\n\n" + generated.strip() + "\n\n" + END;
        if (b < 0 || e < b) {
            return doc.stripTrailing() + "\n\n" + block + "\n";
        }
        return doc.substring(0, b) + block + doc.substring(e + END.length());
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a temp directory left behind
        }
    }
}
