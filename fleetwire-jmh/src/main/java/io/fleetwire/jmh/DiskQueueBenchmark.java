package io.fleetwire.jmh;

import io.fleetwire.agent.internal.queue.DiskQueue;
import io.fleetwire.agent.internal.queue.DiskQueueConfig;
import io.fleetwire.agent.internal.queue.Kind;
import io.fleetwire.agent.internal.queue.Stats;
import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.MessageCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The agent's {@link DiskQueue} with its default settings (group commit: a 5 ms sync interval, which
 * a lone appender never waits for): append a telemetry-sized record (an encoded seed 003 frame,
 * ~2.7 KB) and ack it, as the hub's ack would. Every append returns only after its fsync, so fsync is
 * what is measured: {@link #appendAck} is the agent's case, one sampler thread and one fsync per
 * append; {@link #appendAckGrouped} has four threads appending at once (telemetry, command receipts
 * and results, config acks), which share fsyncs. The appends per fsync are printed at the end of each
 * trial. The queue lives in a new directory under {@code java.io.tmpdir} (set it to the disk to
 * measure), deleted after the trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DiskQueueBenchmark {

    private Path dir;
    private DiskQueue queue;
    private byte[] record;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("fleetwire-jmh-queue");
        queue = DiskQueue.open(DiskQueueConfig.defaults(dir));
        record = new MessageCodec().encode(Inputs.telemetry().getFirst()).getBytes(StandardCharsets.UTF_8);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        Stats stats = queue.stats();
        queue.close();
        System.out.printf("%n%d appends of %d bytes, %d fsyncs: %.2f appends per fsync; %s on %s%n",
                stats.lastSeq(), record.length, stats.syncs(), (double) stats.lastSeq() / Math.max(1, stats.syncs()),
                dir, Files.getFileStore(dir).type());
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    @Threads(1)
    public long appendAck() {
        return appendThenAck();
    }

    @Benchmark
    @Threads(4)
    public long appendAckGrouped() {
        return appendThenAck();
    }

    private long appendThenAck() {
        long seq = queue.append(Kind.TELEMETRY, record);
        queue.ack(seq);
        return seq;
    }
}
