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

import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The hub's CPU work per telemetry message outside the database and the WebSocket framing:
 * {@link MetricFlattener#flatten} of one sample, the latest-state JSON text (written with a socket's
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
    private Inputs.Ring<String> frames;

    @Setup
    public void setUp() {
        List<Message.Telemetry> telemetry = Inputs.telemetry();
        samples = new Inputs.Ring<>(telemetry.stream().map(t -> t.samples().getFirst()).toList());
        frames = new Inputs.Ring<>(telemetry.stream().map(codec::encode).toList());
    }

    @Benchmark
    public TreeMap<String, Double> flatten() {
        return MetricFlattener.flatten(samples.next());
    }

    /** {@code latest.state} (the sample) as JSON text, as kept when a socket's state is due. */
    @Benchmark
    public String latestStateJson() {
        return codec.sampleText(samples.next());
    }

    /** Frame in, ack out: decode, flatten into a row's values, encode the ack (the state is not due). */
    @Benchmark
    public void perMessage(Blackhole bh) {
        Message.Telemetry t = (Message.Telemetry) codec.decode(frames.next());
        Message.Sample sample = t.samples().getFirst();
        TreeMap<String, Double> flat = MetricFlattener.flatten(sample);
        double[] values = new double[flat.size()];
        int i = 0;
        for (double v : flat.values()) {
            values[i++] = v;
        }
        bh.consume(List.copyOf(flat.keySet()));
        bh.consume(values);
        bh.consume(codec.encode(new Message.Ack(t.seq())));
    }
}
