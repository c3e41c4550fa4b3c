package io.fleetwire.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Well-formed messages of every type, shared by the codec tests. */
final class TestMessages {

    /** Seed 003's agent message, exactly as the Linux agent sends it. */
    static final String SEED_003_DATA = """
            {"type":"data","data":{"agentId":"linux-agent-id","timestamp":1693958400000,\
            "sensors":[{"id":"cpu_temp","temperature":45.2,"type":"cpu","max_temp":85,"crit_temp":95}],\
            "fans":[{"id":"cpu_fan","speed":60,"rpm":1200,"targetSpeed":60,"status":"ok"}],\
            "systemHealth":{"cpuUsage":25.3,"memoryUsage":45.2,"agentUptime":3600}}}""";

    static final Instant T0 = Instant.ofEpochMilli(1_693_958_400_000L);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestMessages() {
    }

    /** Decodes {@code text}, asserting that the codec refuses it, and returns the refusal. */
    static ProtocolException decodeRejected(MessageCodec codec, String text) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> codec.decode(text));
        org.assertj.core.api.Assertions.assertThat(thrown)
                .as("decoding %s", text == null ? null : MessageCodec.clip(text))
                .isInstanceOf(ProtocolException.class);
        return (ProtocolException) thrown;
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ObjectNode emptyObject() {
        return JsonNodeFactory.instance.objectNode();
    }

    static Message.Sample minimalSample(Instant ts) {
        return new Message.Sample(ts, Map.of(), List.of(), List.of(), Map.of(), emptyObject());
    }

    /** A sample using every part: metrics, sensors, fans, system health and free-form details. */
    static Message.Sample fullSample(Instant ts) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("cpu.usage", 25.3);
        metrics.put("sensor.cpu_temp.temperature", 45.2);
        metrics.put("disk:/dev/sda1.used", 0.75);
        metrics.put("net-eth0_rx", 1.5e9);
        metrics.put("load/1m", -0.0001);
        return new Message.Sample(ts, metrics,
                List.of(new Message.Sensor("cpu_temp", "cpu", "CPU package", 45.2, 85.0, 95.0),
                        new Message.Sensor("nvme0", null, null, 38.0, null, null)),
                List.of(new Message.Fan("cpu_fan", "CPU fan", 60.0, 1200.0, 60.0, "ok"),
                        new Message.Fan("case_fan", null, null, 800.0, null, null)),
                Map.of("cpuUsage", 25.3, "memoryUsage", 45.2, "agentUptime", 3600.0),
                json("""
                        {"battery":{"level":87,"charging":true,"health":"good","cycles":412},
                         "network":[{"iface":"eth0","rxBytes":12345678901,"up":true,"ipv4":["10.0.0.7"]},
                                    {"iface":"wlan0","rxBytes":0,"up":false,"ipv4":[]}],
                         "disks":[{"mount":"/","usedPercent":71.25}],
                         "system":{"os":"Linux","kernel":"6.8.0","uptime":3600}}"""));
    }

    static Message.Telemetry telemetryWithSeveralSamples() {
        return new Message.Telemetry(42, List.of(
                fullSample(T0),
                minimalSample(T0.plusSeconds(10)),
                new Message.Sample(T0.plusSeconds(20), Map.of("cpu.usage", 99.5), List.of(), List.of(),
                        Map.of(), json("{\"processes\":[{\"pid\":1,\"name\":\"init\"}]}"))));
    }

    static Message.Hello hello() {
        return new Message.Hello(1, "fleetwire-agent", "1.4.2",
                json("{\"legacyData\":true,\"maxSamples\":1000,\"sensors\":[\"cpu\",\"gpu\"],\"compression\":null}"));
    }

    static Message.Welcome welcome() {
        return new Message.Welcome(1, new DeviceId(UUID.fromString("3f2504e0-4f89-41d3-9a0c-0305e82c3301")),
                Instant.parse("2025-01-02T03:04:05.678Z"), new Message.Settings(7, 30, 3, 60, 1_048_576));
    }

    static Message.LegacyData legacyData() {
        return new Message.LegacyData("linux-agent-id", fullSample(T0));
    }

    /** At least one message of every type, in every optional-field variant. */
    static List<Message> oneOfEveryKind() {
        return List.of(
                hello(),
                new Message.Hello(1, "a", "0", emptyObject()),
                welcome(),
                new Message.Ping(1_700_000_000_123L),
                new Message.Ping(null),
                new Message.Pong(1_700_000_000_123L),
                new Message.Pong(null),
                telemetryWithSeveralSamples(),
                new Message.Telemetry(0, List.of(minimalSample(Instant.EPOCH))),
                legacyData(),
                new Message.LegacyData(null, minimalSample(T0)),
                new Message.Ack(42),
                new Message.Error(ErrorCode.INVALID_MESSAGE, "telemetry: 'seq' must be an integer", "telemetry", 42L),
                new Message.Error(ErrorCode.BAD_JSON, "frame is not valid JSON", null, null),
                command(),
                new Message.Command(new CommandId(UUID.fromString("00000000-0000-4000-8000-000000000001")), "lock", emptyObject(), T0, 7),
                new Message.CommandCancel(COMMAND_ID),
                new Message.Config(new Message.Settings(7, 30, 3, 10, 262_144, 60, 2L << 20)),
                new Message.ConfigApplied(9L, 7),
                new Message.ConfigApplied(null, 1),
                new Message.CommandAck(5L, COMMAND_ID),
                new Message.CommandAck(null, COMMAND_ID),
                new Message.CommandResult(6L, COMMAND_ID, CommandStatus.SUCCEEDED, json("{\"rpm\":1800,\"log\":[\"ok\"]}"), null),
                new Message.CommandResult(null, COMMAND_ID, CommandStatus.FAILED, null, "pwm1 is not writable"));
    }

    static final CommandId COMMAND_ID = CommandId.parse("6b0f4c1e-2d3a-4b5c-8d7e-9f0a1b2c3d4e");

    static Message.Command command() {
        return new Message.Command(COMMAND_ID, "set_fan_speed", json("{\"fanId\":\"cpu_fan\",\"percent\":70}"),
                T0.plusSeconds(300), 1);
    }
}
