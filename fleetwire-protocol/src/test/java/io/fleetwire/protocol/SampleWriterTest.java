package io.fleetwire.protocol;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SampleWriter} writes telemetry and data frames as the tree encoding did (the oracle below is the
 * tree writer it replaced): byte for byte the same text, and the codec reads back the same message;
 * {@link MessageCodec#encodeUtf8} gives that text's UTF-8 bytes, for every kind of message.
 */
class SampleWriterTest {

    private final MessageCodec codec = new MessageCodec();

    @Test
    void encode_ofTelemetryAndData_isTheTextTheTreeWriterWrote() {
        Random random = new Random(0x5A3D1E);
        List<Message> messages = new ArrayList<>(List.of(TestMessages.telemetryWithSeveralSamples(), TestMessages.legacyData(),
                new Message.LegacyData(null, TestMessages.minimalSample(TestMessages.T0)),
                new Message.Telemetry(0, List.of(TestMessages.minimalSample(Instant.EPOCH)))));
        for (int i = 0; i < 2_000; i++) {
            Message.Sample s = randomSample(random);
            messages.add(i % 2 == 0 ? new Message.Telemetry(i, List.of(s, randomSample(random)))
                    : new Message.LegacyData(random.nextBoolean() ? "agent-" + i : null, s));
        }
        for (Message m : messages) {
            String text = codec.encode(m);
            assertThat(text).isEqualTo(JsonTrees.write(treeOf(m)));
            assertThat(codec.decode(text)).isEqualTo(m);
            assertThat(codec.encodeUtf8(m)).isEqualTo(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        for (Message m : TestMessages.oneOfEveryKind()) {
            assertThat(codec.encodeUtf8(m)).isEqualTo(codec.encode(m).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Message.Sample full = TestMessages.fullSample(TestMessages.T0);
        assertThat(codec.sampleText(full)).isEqualTo(JsonTrees.write(sampleTree(full, "ts")));
    }

    private static Message.Sample randomSample(Random r) {
        Map<String, Double> metrics = new HashMap<>();
        Map<String, Double> health = new HashMap<>();
        for (int i = r.nextInt(6); i > 0; i--) {
            metrics.put("m." + r.nextInt(100), r.nextGaussian() * 1e3);
            health.put("h" + r.nextInt(10), (double) r.nextInt(100));
        }
        List<Message.Sensor> sensors = new ArrayList<>();
        List<Message.Fan> fans = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            sensors.add(new Message.Sensor("s" + i, maybe(r, "cpu"), maybe(r, "Core \"é\" " + i), maybeNumber(r),
                    maybeNumber(r), maybeNumber(r)));
            fans.add(new Message.Fan("f" + i, maybe(r, "Fan " + i), maybeNumber(r), maybeNumber(r), maybeNumber(r), maybe(r, "ok")));
        }
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        if (r.nextBoolean()) {
            details.putObject("battery").put("level", r.nextInt(100)).put("charging", r.nextBoolean());
        }
        if (r.nextBoolean()) {
            details.putArray("network").addObject().put("name", "eth0").put("rx", r.nextLong());
        }
        return new Message.Sample(Instant.ofEpochMilli(r.nextLong(0, 4_000_000_000_000L)), metrics, sensors, fans, health, details);
    }

    private static String maybe(Random r, String s) {
        return r.nextBoolean() ? s : null;
    }

    private static Double maybeNumber(Random r) {
        return r.nextBoolean() ? Math.round(r.nextGaussian() * 1e4) / 100.0 : null;
    }

    /** The tree encoding of telemetry and data that SampleWriter replaced. */
    private static ObjectNode treeOf(Message m) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("type", m.type());
        if (m instanceof Message.Telemetry t) {
            root.put("seq", t.seq());
            var samples = root.putArray("samples");
            t.samples().forEach(s -> samples.add(sampleTree(s, "ts")));
        } else if (m instanceof Message.LegacyData d) {
            ObjectNode data = root.putObject("data");
            if (d.agentId() != null) {
                data.put("agentId", d.agentId());
            }
            data.setAll(sampleTree(d.sample(), "timestamp"));
        }
        return root;
    }

    private static ObjectNode sampleTree(Message.Sample s, String tsField) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put(tsField, s.ts().toEpochMilli());
        if (!s.metrics().isEmpty()) {
            new TreeMap<>(s.metrics()).forEach(out.putObject("metrics")::put);
        }
        if (!s.sensors().isEmpty()) {
            var arr = out.putArray("sensors");
            for (Message.Sensor sensor : s.sensors()) {
                ObjectNode o = arr.addObject().put("id", sensor.id());
                putIfPresent(o, "type", sensor.type());
                putIfPresent(o, "name", sensor.name());
                putIfPresent(o, "temperature", sensor.temperature());
                putIfPresent(o, "maxTemp", sensor.maxTemp());
                putIfPresent(o, "critTemp", sensor.critTemp());
            }
        }
        if (!s.fans().isEmpty()) {
            var arr = out.putArray("fans");
            for (Message.Fan fan : s.fans()) {
                ObjectNode o = arr.addObject().put("id", fan.id());
                putIfPresent(o, "name", fan.name());
                putIfPresent(o, "speed", fan.speed());
                putIfPresent(o, "rpm", fan.rpm());
                putIfPresent(o, "targetSpeed", fan.targetSpeed());
                putIfPresent(o, "status", fan.status());
            }
        }
        if (!s.systemHealth().isEmpty()) {
            new TreeMap<>(s.systemHealth()).forEach(out.putObject("systemHealth")::put);
        }
        s.details().properties().forEach(e -> out.set(e.getKey(), e.getValue()));
        return out;
    }

    private static void putIfPresent(ObjectNode o, String field, Object value) {
        if (value instanceof String v) {
            o.put(field, v);
        } else if (value instanceof Double v) {
            o.put(field, v);
        }
    }
}
