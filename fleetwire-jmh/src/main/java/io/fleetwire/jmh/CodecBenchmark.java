package io.fleetwire.jmh;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fleetwire.protocol.CommandId;
import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.MessageCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@link MessageCodec} on the frames that travel most: a telemetry frame decoded (the hub, once per
 * message) and encoded (the agent, once per sample and again when it replays), a {@code command}
 * encoded by the hub and decoded by the agent, the hub's {@code ack} after commit and the agent's
 * {@code command_ack}. Telemetry cycles through {@link Inputs#DEVICES} devices' frames (~2.7 KB each).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CodecBenchmark {

    private final MessageCodec codec = new MessageCodec();
    private List<Message.Telemetry> telemetry;
    private List<String> telemetryFrames;
    private int next;
    private Message.Command command;
    private String commandFrame;
    private Message.Ack ack;
    private String ackFrame;
    private Message.CommandAck commandAck;
    private String commandAckFrame;

    @Setup
    public void setUp() {
        telemetry = Inputs.telemetry();
        telemetryFrames = telemetry.stream().map(codec::encode).toList();
        CommandId id = new CommandId(UUID.fromString("5b0c3f5e-8f0a-4c1e-9a57-0d6c2f7e9b11"));
        command = new Message.Command(id, "set_fan_speed",
                JsonNodeFactory.instance.objectNode().put("fanId", "cpu_fan").put("percent", 70),
                Instant.parse("2026-11-23T12:05:00Z"), 1);
        commandFrame = codec.encode(command);
        ack = new Message.Ack(1_234_567L);
        ackFrame = codec.encode(ack);
        commandAck = new Message.CommandAck(1_234_568L, id);
        commandAckFrame = codec.encode(commandAck);
    }

    private int nextDevice() {
        next = (next + 1) & (Inputs.DEVICES - 1);
        return next;
    }

    @Benchmark
    public Message decodeTelemetry() {
        return codec.decode(telemetryFrames.get(nextDevice()));
    }

    @Benchmark
    public String encodeTelemetry() {
        return codec.encode(telemetry.get(nextDevice()));
    }

    @Benchmark
    public String encodeCommand() {
        return codec.encode(command);
    }

    @Benchmark
    public Message decodeCommand() {
        return codec.decode(commandFrame);
    }

    @Benchmark
    public String encodeAck() {
        return codec.encode(ack);
    }

    @Benchmark
    public Message decodeAck() {
        return codec.decode(ackFrame);
    }

    @Benchmark
    public String encodeCommandAck() {
        return codec.encode(commandAck);
    }

    @Benchmark
    public Message decodeCommandAck() {
        return codec.decode(commandAckFrame);
    }
}
