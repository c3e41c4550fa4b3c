package io.fleetwire.jmh;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fleetwire.protocol.CommandId;
import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.MessageCodec;
import io.fleetwire.protocol.MetricFlattener;
import io.fleetwire.sim.TelemetryGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The device protocol's codec on the hub's and the agent's hot paths, with a telemetry message shaped like
 * seed 003's (20 temperatures, 5 voltages, 4 fans, system health: what the simulator sends, ~2.7 KB of JSON).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBench {

    private final MessageCodec codec = new MessageCodec();
    private Message.Telemetry telemetry;
    private String telemetryFrame;
    private Message.Command command;
    private String commandFrame;
    private String ackFrame;

    @Setup
    public void setUp() {
        TelemetryGenerator generator = new TelemetryGenerator(1);
        generator.next(Instant.now());
        telemetry = new Message.Telemetry(42, List.of(generator.next(Instant.now())));
        telemetryFrame = codec.encode(telemetry);
        command = new Message.Command(CommandId.random(), "set_fan_speed",
                JsonNodeFactory.instance.objectNode().put("fanId", "cpu").put("percent", 55), Instant.now().plusSeconds(300), 1);
        commandFrame = codec.encode(command);
        ackFrame = codec.encode(new Message.Ack(42));
    }

    /** The hub, for every telemetry message a device sends. */
    @Benchmark
    public Message decodeTelemetry() {
        return codec.decode(telemetryFrame);
    }

    /** The agent (and the simulator), once per sample. */
    @Benchmark
    public String encodeTelemetry() {
        return codec.encode(telemetry);
    }

    /** The hub, after decoding: a sample's values under the names it stores them by. */
    @Benchmark
    public TreeMap<String, Double> flattenSample() {
        return MetricFlattener.flatten(telemetry.samples().getFirst());
    }

    @Benchmark
    public String encodeCommand() {
        return codec.encode(command);
    }

    @Benchmark
    public Message decodeCommand() {
        return codec.decode(commandFrame);
    }

    /** The agent, for every ack. */
    @Benchmark
    public Message decodeAck() {
        return codec.decode(ackFrame);
    }

    /** Bytes of the telemetry frame, for the record (not timed in any useful sense). */
    public static int telemetryFrameBytes() {
        CodecBench b = new CodecBench();
        b.setUp();
        return b.telemetryFrame.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
