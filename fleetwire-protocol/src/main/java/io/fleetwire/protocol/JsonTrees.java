package io.fleetwire.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * JSON text to {@link JsonNode} trees and back with jackson-core's streaming parser and generator
 * only, as {@code ObjectMapper.readTree} and {@code JsonNode.toString()} do by default, but without
 * building an {@code ObjectMapper}: its static set-up loads some 300 classes and the JDK's locale
 * data, which the device agent would keep for its whole life (agent footprint, docs/benchmarks.md).
 * Numbers become what {@code readTree} makes of them (int, long, BigInteger, double); a repeated
 * field keeps its last value unless the parser refuses duplicates. Thread-safe.
 */
public final class JsonTrees {

    private static final JsonFactory DEFAULT = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {
    }

    /** Parses one JSON value; empty input gives a {@link MissingNode}; anything after the value is refused. */
    public static JsonNode parse(String text) throws IOException {
        try (JsonParser p = DEFAULT.createParser(text)) {
            return readAll(p);
        }
    }

    /** Parses one JSON value from {@code bytes} (UTF-8), as {@link #parse(String)}. */
    public static JsonNode parse(byte[] bytes) throws IOException {
        try (JsonParser p = DEFAULT.createParser(bytes)) {
            return readAll(p);
        }
    }

    /** Reads the one value {@code p} holds, refusing trailing tokens; empty input gives a {@link MissingNode}. */
    public static JsonNode readAll(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            return MissingNode.getInstance();
        }
        JsonNode value = read(p);
        JsonToken trailing = p.nextToken();
        if (trailing != null) {
            throw new com.fasterxml.jackson.core.JsonParseException(p,
                    "Trailing token (of type " + trailing + ") found after value: not allowed");
        }
        return value;
    }

    /** The value starting at {@code p}'s current token; leaves {@code p} on the value's last token. */
    public static JsonNode read(JsonParser p) throws IOException {
        return read(p, false);
    }

    /**
     * As {@link #read(JsonParser)}; with {@code refuseDuplicates}, a field repeated in an object fails as
     * {@code StreamReadFeature.STRICT_DUPLICATE_DETECTION} would, for a parser made without it.
     */
    public static JsonNode read(JsonParser p, boolean refuseDuplicates) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                    p.nextToken();
                    if (o.replace(name, read(p, refuseDuplicates)) != null && refuseDuplicates) {
                        throw new com.fasterxml.jackson.core.JsonParseException(p, "Duplicate field '" + name + "'");
                    }
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(read(p, refuseDuplicates));
                }
                return a;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return NODES.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return NODES.booleanNode(false);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new com.fasterxml.jackson.core.JsonParseException(p, "Unexpected token " + t);
        }
    }

    /**
     * The {@code double} of the number token at {@code p}, exactly as {@link #read} would give it via
     * {@link JsonNode#doubleValue()} (an int, long or BigInteger read first, then widened).
     */
    public static double doubleValue(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            return p.getDoubleValue();
        }
        return switch (p.getNumberType()) {
            case INT -> p.getIntValue();
            case LONG -> p.getLongValue();
            default -> p.getBigIntegerValue().doubleValue();
        };
    }

    /** Writes JSON to a generator. */
    @FunctionalInterface
    public interface Writing {
        void writeTo(JsonGenerator g) throws IOException;
    }

    /** The compact JSON text of {@code node}, as {@code node.toString()} writes it. */
    public static String write(JsonNode node) {
        return write(g -> write(node, g));
    }

    /** The compact JSON text that {@code writing} writes. */
    public static String write(Writing writing) {
        try (SegmentedStringWriter out = new SegmentedStringWriter(new BufferRecycler())) {
            try (JsonGenerator g = DEFAULT.createGenerator(out)) {
                writing.writeTo(g);
            }
            return out.getAndClear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The compact JSON text that {@code writing} writes, as UTF-8 bytes (no String in between). */
    public static byte[] writeUtf8(Writing writing) {
        try (com.fasterxml.jackson.core.util.ByteArrayBuilder out = new com.fasterxml.jackson.core.util.ByteArrayBuilder(512)) {
            try (JsonGenerator g = DEFAULT.createGenerator(out, com.fasterxml.jackson.core.JsonEncoding.UTF8)) {
                writing.writeTo(g);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code node} to {@code g}; a missing node writes nothing. */
    public static void write(JsonNode node, JsonGenerator g) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    if (!e.getValue().isMissingNode()) {
                        g.writeFieldName(e.getKey());
                        write(e.getValue(), g);
                    }
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode child : node) {
                    write(child, g);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(node.textValue());
            case NUMBER -> writeNumber(node, g);
            case BOOLEAN -> g.writeBoolean(node.booleanValue());
            case NULL -> g.writeNull();
            case BINARY -> g.writeBinary(node.binaryValue());
            case MISSING -> { }
            // POJO nodes are never made by the protocol; written as Jackson writes them.
            case POJO -> g.writeRawValue(node.toString());
        }
    }

    private static void writeNumber(JsonNode node, JsonGenerator g) throws IOException {
        switch (node.numberType()) {
            case INT -> g.writeNumber(node.intValue());
            case LONG -> g.writeNumber(node.longValue());
            case BIG_INTEGER -> g.writeNumber(node.bigIntegerValue());
            case FLOAT -> g.writeNumber(node.floatValue());
            case DOUBLE -> g.writeNumber(node.doubleValue());
            case BIG_DECIMAL -> g.writeNumber(node.decimalValue());
        }
    }
}
