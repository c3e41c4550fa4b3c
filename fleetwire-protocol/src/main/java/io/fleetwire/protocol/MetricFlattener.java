package io.fleetwire.protocol;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a sample into named numbers, the form telemetry is stored and queried in:
 * {@code metrics} as sent; {@code systemHealth.<k>}; {@code sensor.<id>.temperature};
 * {@code fan.<id>.rpm|speed|targetSpeed}; numeric fields of {@code battery} and {@code system} as
 * {@code battery.<k>}; of each {@code network} / {@code disks} entry as {@code network.<name>.<k>}.
 * Processes are kept only in the latest state. Characters not allowed in a name become {@code _}.
 * A name given twice keeps its last value.
 */
public final class MetricFlattener {

    private static final MetricNames HEALTH = new MetricNames("systemHealth.", "");
    private static final MetricNames SENSOR_TEMPERATURE = new MetricNames("sensor.", ".temperature");
    private static final MetricNames FAN_RPM = new MetricNames("fan.", ".rpm");
    private static final MetricNames FAN_SPEED = new MetricNames("fan.", ".speed");
    private static final MetricNames FAN_TARGET = new MetricNames("fan.", ".targetSpeed");

    private MetricFlattener() {
    }

    /** A sample's named numbers: names sorted and distinct, {@code values[i]} the value of {@code names.get(i)}. */
    public record Flat(List<String> names, double[] values) {
    }

    /** Names in sorted order, so equal sets of names intern to one metric set. */
    public static TreeMap<String, Double> flatten(Message.Sample s) {
        Flat flat = flat(s);
        TreeMap<String, Double> out = new TreeMap<>();
        for (int i = 0; i < flat.values().length; i++) {
            out.put(flat.names().get(i), flat.values()[i]);
        }
        return out;
    }

    /** As {@link #flatten}, as two arrays and without a map; the names of sensors, fans and system health are shared strings. */
    public static Flat flat(Message.Sample s) {
        Sorted out = new Sorted(s.metrics().size() + s.systemHealth().size() + s.sensors().size() + 3 * s.fans().size() + 8);
        s.metrics().forEach(out::set);
        s.systemHealth().forEach((k, v) -> put(out, HEALTH, k, v));
        for (Message.Sensor sensor : s.sensors()) {
            put(out, SENSOR_TEMPERATURE, sensor.id(), sensor.temperature());
        }
        for (Message.Fan fan : s.fans()) {
            put(out, FAN_RPM, fan.id(), fan.rpm());
            put(out, FAN_SPEED, fan.id(), fan.speed());
            put(out, FAN_TARGET, fan.id(), fan.targetSpeed());
        }
        if (!s.details().isEmpty()) {
            details(out, s.details());
        }
        return out.flat();
    }

    private static void details(Sorted out, JsonNode details) {
        for (String key : new String[] {"battery", "system"}) {
            JsonNode node = details.get(key);
            if (node != null && node.isObject()) {
                numericFields(out, key, node);
            }
        }
        for (String key : new String[] {"network", "disks"}) {
            JsonNode node = details.get(key);
            if (node != null && node.isArray()) {
                for (JsonNode entry : node) {
                    JsonNode name = entry.has("name") ? entry.get("name") : entry.get("id");
                    if (entry.isObject() && name != null && name.isTextual()) {
                        numericFields(out, key + "." + name.textValue(), entry);
                    }
                }
            }
        }
    }

    private static void numericFields(Sorted out, String prefix, JsonNode node) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            JsonNode v = field.getValue();
            if (v.isNumber()) {
                put(out, prefix + "." + field.getKey(), v.doubleValue());
            } else if (v.isBoolean()) {
                put(out, prefix + "." + field.getKey(), v.booleanValue() ? 1.0 : 0.0);
            }
        }
    }

    private static void put(Sorted out, MetricNames names, String key, Double value) {
        if (value != null && Double.isFinite(value)) {
            out.set(names.of(key), value);
        }
    }

    private static void put(Sorted out, String name, Double value) {
        if (value != null && Double.isFinite(value)) {
            out.set(sanitize(name), value);
        }
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

    /** Names kept sorted as they are set (binary search and insert, as a TreeMap would, without its nodes). */
    private static final class Sorted {
        private String[] names;
        private double[] values;
        private int size;

        Sorted(int capacity) {
            names = new String[Math.max(capacity, 4)];
            values = new double[names.length];
        }

        void set(String name, double value) {
            int at = Arrays.binarySearch(names, 0, size, name);
            if (at >= 0) {
                values[at] = value;
                return;
            }
            at = -at - 1;
            if (size == names.length) {
                names = Arrays.copyOf(names, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            System.arraycopy(names, at, names, at + 1, size - at);
            System.arraycopy(values, at, values, at + 1, size - at);
            names[at] = name;
            values[at] = value;
            size++;
        }

        Flat flat() {
            return new Flat(java.util.Collections.unmodifiableList(Arrays.asList(Arrays.copyOf(names, size))), Arrays.copyOf(values, size));
        }
    }
}
