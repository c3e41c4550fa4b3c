package io.fleetwire.jmh;

import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.MessageCodec;
import io.fleetwire.protocol.MetricFlattener;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The hub's CPU work per telemetry message outside the database and the WebSocket framing:
 * {@link MetricFlattener#flat} of one sample, the latest-state JSON text (written with a socket's
 * first message and then at most every {@code FLEETWIRE_LATEST_STATE_SECONDS}, so not per message), and
 * the whole chain from text frame to the {@code ack} frame. {@link #perMessage} mirrors
 * {@code io.fleetwire.hub.telemetry.TelemetryService#ingest} (the hub module is not on this classpath,
 * for its embedded PostgreSQL); change it with it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class IngestBenchmark {

    private final MessageCodec codec = new MessageCodec();
    private Inputs.Ring<Message.Sample> samples;
    private Inputs.Ring<byte[]> frames;

    @Setup
    public void setUp() {
        List<Message.Telemetry> telemetry = Inputs.telemetry();
        samples = new Inputs.Ring<>(telemetry.stream().map(t -> t.samples().getFirst()).toList());
        frames = new Inputs.Ring<>(telemetry.stream().map(t -> codec.encode(t).getBytes(StandardCharsets.UTF_8)).toList());
    }

    @Benchmark
    public MetricFlattener.Flat flatten() {
        return MetricFlattener.flat(samples.next());
    }

    /** {@code latest.state} (the sample) as JSON text, as kept when a socket's state is due. */
    @Benchmark
    public String latestStateJson() {
        return codec.sampleText(samples.next());
    }

    /** Frame in (its UTF-8 bytes), ack out: decode, flatten into a row's names and values, encode the ack (the state is not due). */
    @Benchmark
    public void perMessage(Blackhole bh) {
        byte[] frame = frames.next();
        Message.Telemetry t = (Message.Telemetry) codec.decode(frame, 0, frame.length);
        MetricFlattener.Flat flat = MetricFlattener.flat(t.samples().getFirst());
        bh.consume(flat.names());
        bh.consume(flat.values());
        bh.consume(codec.encode(new Message.Ack(t.seq())));
    }
}
