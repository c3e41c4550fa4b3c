package io.fleetwire.protocol;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a sample into named numbers, the form telemetry is stored and queried in:
 * {@code metrics} as sent; {@code systemHealth.<k>}; {@code sensor.<id>.temperature};
 * {@code fan.<id>.rpm|speed|targetSpeed}; numeric fields of {@code battery} and {@code system} as
 * {@code battery.<k>}; of each {@code network} / {@code disks} entry as {@code network.<name>.<k>}.
 * Processes are kept only in the latest state. Characters not allowed in a name become {@code _}.
 */
public final class MetricFlattener {

    private MetricFlattener() {
    }

    /** Names in sorted order, so equal sets of names intern to one metric set. */
    public static TreeMap<String, Double> flatten(Message.Sample s) {
        TreeMap<String, Double> out = new TreeMap<>(s.metrics());
        s.systemHealth().forEach((k, v) -> put(out, "systemHealth." + k, v));
        for (Message.Sensor sensor : s.sensors()) {
            put(out, "sensor." + sensor.id() + ".temperature", sensor.temperature());
        }
        for (Message.Fan fan : s.fans()) {
            put(out, "fan." + fan.id() + ".rpm", fan.rpm());
            put(out, "fan." + fan.id() + ".speed", fan.speed());
            put(out, "fan." + fan.id() + ".targetSpeed", fan.targetSpeed());
        }
        for (String key : new String[] {"battery", "system"}) {
            JsonNode node = s.details().get(key);
            if (node != null && node.isObject()) {
                numericFields(out, key, node);
            }
        }
        for (String key : new String[] {"network", "disks"}) {
            JsonNode node = s.details().get(key);
            if (node != null && node.isArray()) {
                for (JsonNode entry : node) {
                    JsonNode name = entry.has("name") ? entry.get("name") : entry.get("id");
                    if (entry.isObject() && name != null && name.isTextual()) {
                        numericFields(out, key + "." + name.textValue(), entry);
                    }
                }
            }
        }
        return out;
    }

    private static void numericFields(Map<String, Double> out, String prefix, JsonNode node) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            JsonNode v = field.getValue();
            if (v.isNumber()) {
                put(out, prefix + "." + field.getKey(), v.doubleValue());
            } else if (v.isBoolean()) {
                put(out, prefix + "." + field.getKey(), v.booleanValue() ? 1.0 : 0.0);
            }
        }
    }

    private static void put(Map<String, Double> out, String name, Double value) {
        if (value == null || !Double.isFinite(value)) {
            return;
        }
        out.put(sanitize(name), value);
    }

    static String sanitize(String name) {
        if (MetricName.isValid(name)) {
            return name;
        }
        StringBuilder b = new StringBuilder(Math.min(name.length(), MetricName.MAX_LENGTH));
        for (int i = 0; i < name.length() && b.length() < MetricName.MAX_LENGTH; i++) {
            char c = name.charAt(i);
            b.append(MetricName.isAllowed(c) ? c : '_');
        }
        return b.isEmpty() ? "_" : b.toString();
    }
}
