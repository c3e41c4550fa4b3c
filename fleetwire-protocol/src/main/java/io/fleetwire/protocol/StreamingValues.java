package io.fleetwire.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.fleetwire.protocol.MessageCodec.DETAIL_KEYS;
import static io.fleetwire.protocol.MessageCodec.MAX_ENTRIES;
import static io.fleetwire.protocol.MessageCodec.MAX_EPOCH_MILLI;
import static io.fleetwire.protocol.MessageCodec.MAX_STRING;

/**
 * The values {@link StreamingDecoder} reads, each accepted only as the tree path would accept it; anything
 * else throws {@link #GIVE_UP}, and the frame goes the tree way.
 */
final class StreamingValues {

    /** Thrown to give up; carries no stack, costs no allocation. */
    private static final class GiveUp extends RuntimeException {
        GiveUp() {
            super(null, null, false, false);
        }
    }

    static final RuntimeException GIVE_UP = new GiveUp();

    private StreamingValues() {
    }

    /** {@code metrics} or {@code systemHealth}: valid metric names to finite numbers (booleans as 1 and 0). */
    static Map<String, Double> numbers(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        expect(t, JsonToken.START_OBJECT);
        Map<String, Double> out = new HashMap<>();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken v = p.nextToken();
            if (out.size() == MAX_ENTRIES || !MetricName.isValid(name)) {
                throw GIVE_UP;
            }
            Double value = switch (v) {
                case VALUE_TRUE -> 1.0;
                case VALUE_FALSE -> 0.0;
                default -> number(p, v);
            };
            if (value == null || out.put(name, value) != null) {
                throw GIVE_UP;
            }
        }
        return out;
    }

    /** A finite number, or null for JSON null. */
    static Double number(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw GIVE_UP;
        }
        double v = JsonTrees.doubleValue(p);
        if (!Double.isFinite(v)) {
            throw GIVE_UP;
        }
        return v;
    }

    /** The sequence number, or -1 when it is not one (which a {@code data} message may have). */
    static long seq(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER && p.getLongValue() >= 0) {
            return p.getLongValue();
        }
        skip(p, "seq", null);
        return -1;
    }

    /** Epoch milliseconds: an integer from 0 to {@link MessageCodec#MAX_EPOCH_MILLI}. */
    static long epochMilli(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw GIVE_UP;
        }
        long v = p.getLongValue();
        if (v < 0 || v > MAX_EPOCH_MILLI) {
            throw GIVE_UP;
        }
        return v;
    }

    /** A string of 1–{@link MessageCodec#MAX_STRING} characters without NUL, or null for JSON null. */
    static String string(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw GIVE_UP;
        }
        String s = p.getText();
        if (s.isEmpty() || s.length() > MAX_STRING || s.indexOf('\0') >= 0) {
            throw GIVE_UP;
        }
        return s;
    }

    static String required(String s) {
        if (s == null) {
            throw GIVE_UP;
        }
        return s;
    }

    /** A {@code details} value: an object or array kept as the tree path keeps it. */
    static JsonNode detail(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
            throw GIVE_UP;
        }
        JsonNode node = JsonTrees.read(p, true);
        if (MessageCodec.containsNul(node)) {
            throw GIVE_UP;
        }
        return node;
    }

    static ObjectNode details(JsonNode[] values) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (values != null) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null) {
                    out.set(DETAIL_KEYS.get(i), values[i]);
                }
            }
        }
        return out;
    }

    /**
     * A field no message reads: its value read as the tree path reads it (same limits), refused if it
     * holds NUL or repeats a field; returns the names of such fields met so far in the object.
     */
    static List<String> skip(JsonParser p, String name, List<String> others) throws IOException {
        if (name.indexOf('\0') >= 0 || MessageCodec.containsNul(JsonTrees.read(p, true))) {
            throw GIVE_UP;
        }
        if (others == null) {
            others = new ArrayList<>(2);
        } else if (others.contains(name)) {
            throw GIVE_UP;
        }
        others.add(name);
        return others;
    }

    /** {@code seen} with {@code field}'s bit set; gives up when it was set already (a repeated field). */
    static int once(int seen, int field) {
        if ((seen & field) != 0) {
            throw GIVE_UP;
        }
        return seen | field;
    }

    static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw GIVE_UP;
        }
    }
}
