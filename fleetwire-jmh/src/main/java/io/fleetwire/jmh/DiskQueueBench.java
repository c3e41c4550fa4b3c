package io.fleetwire.jmh;

import io.fleetwire.agent.internal.queue.DiskQueue;
import io.fleetwire.agent.internal.queue.DiskQueueConfig;
import io.fleetwire.agent.internal.queue.Kind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The agent's crash-safe outgoing queue as the agent uses it: append a telemetry-sized record (returns
 * once it is fsync'd, with the group commit of the product's defaults), then ack it (the hub's ack).
 * One thread is the agent's case (one append per interval); four show what the group commit does
 * when appends overlap.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DiskQueueBench {

    private Path dir;
    private DiskQueue queue;
    private final byte[] record = new byte[2_700];

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("fleetwire-jmh-queue");
        queue = DiskQueue.open(DiskQueueConfig.defaults(dir));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        queue.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    @Threads(1)
    public long appendThenAck_oneThread() {
        long seq = queue.append(Kind.TELEMETRY, record);
        queue.ack(seq);
        return seq;
    }

    @Benchmark
    @Threads(4)
    public long appendThenAck_fourThreads() {
        long seq = queue.append(Kind.TELEMETRY, record);
        queue.ack(seq);
        return seq;
    }
}
