package io.fleetwire.protocol;

import com.fasterxml.jackson.databind.JsonNode;
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
 * {@link MetricFlattener#flat} (sorted arrays, shared names) gives what the TreeMap flattener it replaced
 * gave (the oracle below), on random samples whose names collide, need sanitising or run past 128
 * characters, with null and non-finite values.
 */
class MetricFlattenerOracleTest {

    private static final String[] IDS = {"cpu", "cpu.temperature", "a b", "é", "x".repeat(125), "x".repeat(130), "fan.cpu", ""};

    @Test
    void flat_equalsTheTreeMapFlattening_onRandomSamples() {
        Random r = new Random(0xF1A7);
        for (int n = 0; n < 5_000; n++) {
            Message.Sample s = randomSample(r);
            TreeMap<String, Double> expected = oracle(s);
            MetricFlattener.Flat flat = MetricFlattener.flat(s);
            assertThat(flat.names()).as("%s", s).containsExactlyElementsOf(expected.keySet());
            assertThat(flat.values()).containsExactly(expected.values().stream().mapToDouble(Double::doubleValue).toArray());
            assertThat(MetricFlattener.flatten(s)).isEqualTo(expected);
        }
    }

    private static Message.Sample randomSample(Random r) {
        Map<String, Double> metrics = new HashMap<>();
        Map<String, Double> health = new HashMap<>();
        List<Message.Sensor> sensors = new ArrayList<>();
        List<Message.Fan> fans = new ArrayList<>();
        for (int i = r.nextInt(5); i > 0; i--) {
            metrics.put(pick(r, new String[] {"sensor.cpu.temperature", "fan.cpu.rpm", "systemHealth.load", "m1", "battery.level"}), value(r));
            health.put(pick(r, new String[] {"load", "a b", "cpuUsage"}), value(r));
            sensors.add(new Message.Sensor(pick(r, IDS), null, null, r.nextInt(4) == 0 ? null : value(r), null, null));
            fans.add(new Message.Fan(pick(r, IDS), null, nullable(r), nullable(r), nullable(r), null));
        }
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        if (r.nextBoolean()) {
            details.putObject("battery").put("level", r.nextInt(100)).put("charging", r.nextBoolean()).put("x", "s");
        }
        if (r.nextBoolean()) {
            details.putArray("network").addObject().put(r.nextBoolean() ? "name" : "id", pick(r, IDS)).put("rx", r.nextLong());
        }
        return new Message.Sample(Instant.EPOCH, metrics, sensors, fans, health, details);
    }

    private static String pick(Random r, String[] from) {
        return from[r.nextInt(from.length)];
    }

    private static Double nullable(Random r) {
        return r.nextInt(4) == 0 ? null : value(r);
    }

    private static double value(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> Double.NaN;
            case 1 -> Double.POSITIVE_INFINITY;
            default -> r.nextGaussian() * 100;
        };
    }

    /** The flattening MetricFlattener did with a TreeMap, before {@link MetricFlattener#flat}. */
    private static TreeMap<String, Double> oracle(Message.Sample s) {
        TreeMap<String, Double> out = new TreeMap<>(s.metrics());
        s.systemHealth().forEach((k, v) -> put(out, "systemHealth." + k, v));
        s.sensors().forEach(x -> put(out, "sensor." + x.id() + ".temperature", x.temperature()));
        for (Message.Fan fan : s.fans()) {
            put(out, "fan." + fan.id() + ".rpm", fan.rpm());
            put(out, "fan." + fan.id() + ".speed", fan.speed());
            put(out, "fan." + fan.id() + ".targetSpeed", fan.targetSpeed());
        }
        for (String key : new String[] {"battery", "system"}) {
            JsonNode node = s.details().get(key);
            if (node != null && node.isObject()) {
                node.properties().forEach(f -> numeric(out, key + "." + f.getKey(), f.getValue()));
            }
        }
        for (String key : new String[] {"network", "disks"}) {
            JsonNode node = s.details().get(key);
            if (node != null && node.isArray()) {
                for (JsonNode entry : node) {
                    JsonNode name = entry.has("name") ? entry.get("name") : entry.get("id");
                    if (entry.isObject() && name != null && name.isTextual()) {
                        entry.properties().forEach(f -> numeric(out, key + "." + name.textValue() + "." + f.getKey(), f.getValue()));
                    }
                }
            }
        }
        return out;
    }

    private static void numeric(TreeMap<String, Double> out, String name, JsonNode v) {
        if (v.isNumber()) {
            put(out, name, v.doubleValue());
        } else if (v.isBoolean()) {
            put(out, name, v.booleanValue() ? 1.0 : 0.0);
        }
    }

    private static void put(TreeMap<String, Double> out, String name, Double value) {
        if (value != null && Double.isFinite(value)) {
            out.put(MetricFlattener.sanitize(name), value);
        }
    }
}
