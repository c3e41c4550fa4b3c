package io.fleetwire.jmh;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fleetwire.protocol.CommandId;
import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.MessageCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@link MessageCodec} on the frames that travel most, each way ({@link #frame}): {@code telemetry}
 * (decoded by the hub once per message, encoded by the agent once per sample and again when it
 * replays; {@link Inputs#DEVICES} devices' frames of ~2.7 KB in turn), {@code command} (encoded by the
 * hub, decoded by the agent), {@code ack} (the hub's, after commit) and {@code command_ack} (the
 * agent's receipt).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CodecBenchmark {

    private static final CommandId COMMAND = new CommandId(UUID.fromString("5b0c3f5e-8f0a-4c1e-9a57-0d6c2f7e9b11"));

    @Param({"telemetry", "command", "ack", "command_ack"})
    public String frame;

    private final MessageCodec codec = new MessageCodec();
    private Inputs.Ring<Message> messages;
    private Inputs.Ring<String> texts;
    private Inputs.Ring<byte[]> utf8;

    @Setup
    public void setUp() {
        List<? extends Message> list = switch (frame) {
            case "telemetry" -> Inputs.telemetry();
            case "command" -> List.of(new Message.Command(COMMAND, "set_fan_speed",
                    JsonNodeFactory.instance.objectNode().put("fanId", "cpu_fan").put("percent", 70),
                    Instant.parse("2026-11-23T12:05:00Z"), 1));
            case "ack" -> List.of(new Message.Ack(1_234_567L));
            case "command_ack" -> List.of(new Message.CommandAck(1_234_568L, COMMAND));
            default -> throw new IllegalArgumentException("no such frame: " + frame);
        };
        messages = new Inputs.Ring<>(list);
        texts = new Inputs.Ring<>(list.stream().map(codec::encode).toList());
        utf8 = new Inputs.Ring<>(list.stream().map(m -> codec.encode(m).getBytes(StandardCharsets.UTF_8)).toList());
    }

    @Benchmark
    public Message decode() {
        return codec.decode(texts.next());
    }

    /** From the frame's UTF-8 bytes, as the hub's device sockets decode. */
    @Benchmark
    public Message decodeUtf8() {
        byte[] bytes = utf8.next();
        return codec.decode(bytes, 0, bytes.length);
    }

    @Benchmark
    public String encode() {
        return codec.encode(messages.next());
    }

    /** As UTF-8 bytes, as the simulator sends telemetry. */
    @Benchmark
    public byte[] encodeUtf8() {
        return codec.encodeUtf8(messages.next());
    }
}
