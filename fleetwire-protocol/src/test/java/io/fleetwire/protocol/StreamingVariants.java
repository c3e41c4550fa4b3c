package io.fleetwire.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Frames for {@link StreamingDecoderTest}: valid telemetry and data frames, and thousands of variants of
 * them, valid and not, from a fixed seed.
 */
final class StreamingVariants {

    private static final long SEED = 0x57EA_D1E5L;
    private static final int RANDOM_MUTATIONS = 6_000;

    /** Values every field is replaced by: each type, the limits on each side, NUL, nesting. */
    static final List<String> VALUES = List.of(
            "null", "true", "false", "0", "-0", "-1", "1", "1.0", "1.5", "-0.0", "1e2", "1E400", "-1e400", "2147483648",
            "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
            "18446744073709551617", "1" + "0".repeat(63), "1" + "0".repeat(64), "0." + "1".repeat(62), "7258118400000",
            "7258118400001", "1693958400000",
            q(""), q("x"), q("a".repeat(128)), q("a".repeat(129)), q("é".repeat(128)), q("é".repeat(129)), q("😀".repeat(64)),
            q("\u0000"), q("a\u0000b"), q("telemetry"), q("data"), q("ok"), q("cpu_fan"),
            "[]", "[{}]", "[1]", "[null]", "[{\"id\":\"x\"}]", "[{\"id\":\"x\",\"temperature\":\"hot\"}]",
            "{}", "{\"a\":1}", "{\"\\u0000\":1}", "{\"a\":\"\\u0000\"}", "{\"bad name\":1}", "{\"cpu.usage\":true}",
            "{\"cpu.usage\":\"1\"}", "{\"cpu.usage\":null}", "{\"cpu.usage\":1e400}", "{\"" + "m".repeat(129) + "\":1}",
            "[" .repeat(30) + "]".repeat(30), "[".repeat(31) + "]".repeat(31), "[".repeat(33) + "]".repeat(33),
            "{\"a\":".repeat(31) + "1" + "}".repeat(31));

    private StreamingVariants() {
    }

    /** Valid frames: every kind of sample, seed 003's message, a simulator-shaped one. */
    static List<String> bases(MessageCodec codec) {
        List<String> out = new ArrayList<>();
        out.add(codec.encode(TestMessages.telemetryWithSeveralSamples()));
        out.add(codec.encode(new Message.Telemetry(0, List.of(TestMessages.minimalSample(Instant.EPOCH)))));
        out.add(codec.encode(TestMessages.legacyData()));
        out.add(codec.encode(new Message.LegacyData(null, TestMessages.minimalSample(TestMessages.T0))));
        out.add(TestMessages.SEED_003_DATA);
        out.add(simulatorShaped());
        out.add("{\"samples\":[{\"metrics\":{\"x\":1},\"ts\":5}],\"seq\":3,\"type\":\"telemetry\",\"extra\":[{\"y\":null}]}");
        out.add("{\"data\":{\"timestamp\":5,\"ts\":\"no\",\"sensors\":null,\"fans\":null,\"battery\":null},\"type\":\"data\",\"seq\":\"x\"}");
        return out;
    }

    /** Every base, and every variant of each. */
    static List<String> all(MessageCodec codec) {
        List<String> out = new ArrayList<>();
        for (String base : bases(codec)) {
            out.add(base);
            ObjectNode root = TestMessages.json(base);
            for (List<Object> path : paths(root, new ArrayList<>(), new ArrayList<>())) {
                out.add(JsonTrees.write(edit(root, path, null)));
                for (String v : VALUES) {
                    out.add(JsonTrees.write(edit(root, path, parse(v))));
                }
                out.addAll(duplicated(JsonTrees.write(edit(root, path, TextNode.valueOf("DUP"))), path));
            }
        }
        out.addAll(limits());
        Random random = new Random(SEED);
        List<String> bases = bases(codec);
        for (int i = 0; i < RANDOM_MUTATIONS; i++) {
            out.add(mutate(random, bases.get(random.nextInt(bases.size()))));
        }
        return out;
    }

    /** Paths (field names and array indexes) to every value, the first two entries of each array, and a new field in each object. */
    private static List<List<Object>> paths(JsonNode node, List<Object> at, List<List<Object>> out) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                List<Object> p = with(at, e.getKey());
                out.add(p);
                paths(e.getValue(), p, out);
            }
            for (String extra : List.of("unknown", "ts", "timestamp", "agentId", "max_temp", "crit_temp", "target_speed", "processes", "samples", "data", "seq")) {
                if (!node.has(extra)) {
                    out.add(with(at, extra));
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < Math.min(2, node.size()); i++) {
                List<Object> p = with(at, i);
                out.add(p);
                paths(node.get(i), p, out);
            }
        }
        return out;
    }

    private static List<Object> with(List<Object> path, Object step) {
        List<Object> p = new ArrayList<>(path);
        p.add(step);
        return p;
    }

    /** A copy of {@code root} with the value at {@code path} replaced (or added), or removed when {@code value} is null. */
    private static JsonNode edit(ObjectNode root, List<Object> path, JsonNode value) {
        ObjectNode copy = root.deepCopy();
        JsonNode parent = copy;
        for (Object step : path.subList(0, path.size() - 1)) {
            parent = step instanceof String s ? parent.get(s) : parent.get((Integer) step);
        }
        Object last = path.get(path.size() - 1);
        if (parent instanceof ObjectNode o) {
            if (value == null) {
                o.remove((String) last);
            } else {
                o.set((String) last, value);
            }
        } else if (parent instanceof ArrayNode a) {
            if (value == null) {
                a.remove((Integer) last);
            } else {
                a.set((Integer) last, value);
            }
        }
        return copy;
    }

    /** The field written twice (a duplicate key), the second time before and after the first. */
    private static List<String> duplicated(String text, List<Object> path) {
        if (!(path.get(path.size() - 1) instanceof String name)) {
            return List.of();
        }
        String field = JsonTrees.write(TextNode.valueOf(name)) + ":\"DUP\"";
        return List.of(text.replace(field, field + "," + field), text.replace(field, field + "," + field.replace("\"DUP\"", "1")));
    }

    /** Frames at and just past MAX_SAMPLES, MAX_ENTRIES and the nesting depth. */
    private static List<String> limits() {
        List<String> out = new ArrayList<>();
        for (int n : new int[] {MessageCodec.MAX_SAMPLES, MessageCodec.MAX_SAMPLES + 1}) {
            out.add("{\"type\":\"telemetry\",\"seq\":1,\"samples\":[" + String.join(",", java.util.Collections.nCopies(n, "{\"ts\":1}")) + "]}");
        }
        for (int n : new int[] {MessageCodec.MAX_ENTRIES, MessageCodec.MAX_ENTRIES + 1}) {
            StringBuilder metrics = new StringBuilder();
            StringBuilder sensors = new StringBuilder();
            for (int i = 0; i < n; i++) {
                metrics.append(i == 0 ? "" : ",").append("\"m").append(i).append("\":").append(i);
                sensors.append(i == 0 ? "" : ",").append("{\"id\":\"s").append(i).append("\"}");
            }
            out.add("{\"type\":\"telemetry\",\"seq\":1,\"samples\":[{\"ts\":1,\"metrics\":{" + metrics + "}}]}");
            out.add("{\"type\":\"telemetry\",\"seq\":1,\"samples\":[{\"ts\":1,\"systemHealth\":{" + metrics + "}}]}");
            out.add("{\"type\":\"telemetry\",\"seq\":1,\"samples\":[{\"ts\":1,\"sensors\":[" + sensors + "]}]}");
            out.add("{\"type\":\"data\",\"data\":{\"timestamp\":1,\"fans\":[" + sensors + "]}}");
        }
        for (int depth = 25; depth <= 34; depth++) {
            out.add("{\"type\":\"telemetry\",\"seq\":1,\"samples\":[{\"ts\":1,\"system\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}]}");
        }
        out.add(" {\"type\":\"telemetry\",\"seq\":1,\"samples\":[{\"ts\":1}]}");
        out.add("\uFEFF{\"type\":\"telemetry\",\"seq\":1,\"samples\":[{\"ts\":1}]}");
        out.add("{\"type\":\"telemetry\",\"seq\":1,\"samples\":[{\"ts\":1}]} ");
        out.add("{\"type\":\"telemetry\",\"seq\":1,\"samples\":[{\"ts\":1}]}{}");
        out.add("{\"type\":\"telemetry\",\"seq\":1,\"samples\":[{\"ts\":1}]}x");
        out.add("");
        return out;
    }

    private static String mutate(Random random, String s) {
        StringBuilder b = new StringBuilder(s);
        int edits = 1 + random.nextInt(3);
        String alphabet = "{}[]\":,0123456789-.eEnul \\u0000é";
        for (int i = 0; i < edits && !b.isEmpty(); i++) {
            int at = random.nextInt(b.length());
            switch (random.nextInt(3)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                default -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
            }
        }
        return b.toString();
    }

    private static String simulatorShaped() {
        StringBuilder b = new StringBuilder("{\"type\":\"telemetry\",\"seq\":77,\"samples\":[{\"ts\":1765000000000,");
        b.append("\"metrics\":{\"volt.12v\":12.01,\"volt.3v3\":3.301,\"volt.5v\":4.998,\"volt.vbat\":3.05,\"volt.vcore\":1.2},\"sensors\":[");
        for (int i = 0; i < 20; i++) {
            b.append(i == 0 ? "" : ",").append("{\"id\":\"cpu_core_").append(i).append("\",\"type\":\"cpu\",\"name\":\"Core ")
                    .append(i).append("\",\"temperature\":").append(40 + i * 0.3).append(",\"maxTemp\":85.0,\"critTemp\":100.0}");
        }
        b.append("],\"fans\":[");
        for (int i = 0; i < 4; i++) {
            b.append(i == 0 ? "" : ",").append("{\"id\":\"fan_").append(i).append("\",\"name\":\"Fan ").append(i)
                    .append("\",\"speed\":54.0,\"rpm\":1188.0,\"targetSpeed\":54.0,\"status\":\"ok\"}");
        }
        b.append("],\"systemHealth\":{\"agentUptime\":86400.0,\"cpuUsage\":23.4,\"diskUsage\":51.0,\"memoryUsage\":40.2}}]}");
        return b.toString();
    }

    private static JsonNode parse(String json) {
        try {
            return JsonTrees.parse(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static String q(String s) {
        return JsonTrees.write(TextNode.valueOf(s));
    }
}
