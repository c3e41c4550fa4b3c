package io.fleetwire.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.fleetwire.protocol.MessageCodec.MAX_ENTRIES;
import static io.fleetwire.protocol.MessageCodec.MAX_EPOCH_MILLI;
import static io.fleetwire.protocol.MessageCodec.MAX_STRING;
import static io.fleetwire.protocol.MessageCodec.clip;

/**
 * Reads the fields of one decoded frame; every problem becomes a {@link ProtocolException} naming
 * the message's type and sequence number.
 */
record FieldReader(String type, Long seq) {

    ProtocolException invalid(String what) {
        return new ProtocolException(ErrorCode.INVALID_MESSAGE, type + ": " + what, type, seq);
    }

    JsonNode object(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isObject()) {
            throw invalid("'" + field + "' must be an object");
        }
        return v;
    }

    ObjectNode objectOrEmpty(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!v.isObject()) {
            throw invalid("'" + field + "' must be an object");
        }
        return (ObjectNode) v;
    }

    Iterable<JsonNode> array(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw invalid("'" + field + "' must be an array");
        }
        if (v.size() > MAX_ENTRIES) {
            throw invalid("'" + field + "' holds more than " + MAX_ENTRIES + " entries");
        }
        for (JsonNode e : v) {
            if (!e.isObject()) {
                throw invalid("every entry of '" + field + "' must be an object");
            }
        }
        return v;
    }

    String string(JsonNode node, String label, String field, boolean required) {
        return string(node, label, field, required, MAX_STRING);
    }

    String string(JsonNode node, String label, String field, boolean required, int maxLength) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw invalid("'" + label + "' is required");
            }
            return null;
        }
        if (!v.isTextual() || v.textValue().isEmpty() || v.textValue().length() > maxLength) {
            throw invalid("'" + label + "' must be a string of 1–" + maxLength + " characters");
        }
        return v.textValue();
    }

    int integer(JsonNode node, String field, int min, int max) {
        return (int) longValue(node, field, min, max);
    }

    long longValue(JsonNode node, String field, long min, long max) {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw invalid("'" + field + "' must be an integer");
        }
        long value = v.longValue();
        if (value < min || value > max) {
            throw invalid("'" + field + "' must be between " + min + " and " + max);
        }
        return value;
    }

    Long optionalLong(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : longValue(node, field, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    Instant instant(JsonNode node, String field) {
        return Instant.ofEpochMilli(longValue(node, field, 0, MAX_EPOCH_MILLI));
    }

    DeviceId deviceId(JsonNode node, String field) {
        try {
            return DeviceId.parse(node.path(field).textValue());
        } catch (IllegalArgumentException e) {
            throw invalid("'" + field + "' must be a device id");
        }
    }

    CommandId commandId(JsonNode node, String field) {
        try {
            return CommandId.parse(node.path(field).textValue());
        } catch (IllegalArgumentException e) {
            throw invalid("'" + field + "' must be a command id (a UUID)");
        }
    }

    /** A command type name: {@link CommandTypeName}. */
    String commandName(JsonNode node, String field) {
        String name = string(node, field, field, true);
        if (!CommandTypeName.isValid(name)) {
            throw invalid("'" + field + "' must be a command type name (lower-case letters, digits and _, starting with a letter, at most 64)");
        }
        return name;
    }

    CommandStatus resultStatus(JsonNode node) {
        String status = node.path("status").asText();
        if (!status.equals(CommandStatus.SUCCEEDED.wireName()) && !status.equals(CommandStatus.FAILED.wireName())) {
            throw invalid("'status' must be succeeded or failed");
        }
        return CommandStatus.fromWire(status);
    }

    ErrorCode errorCode(JsonNode node) {
        try {
            return ErrorCode.fromWire(node.path("code").asText());
        } catch (IllegalArgumentException e) {
            throw invalid("'code' is not a known error code");
        }
    }

    Double number(JsonNode node, String... fields) {
        for (String field : fields) {
            JsonNode v = node.get(field);
            if (v != null && !v.isNull()) {
                if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
                    throw invalid("'" + field + "' must be a finite number");
                }
                return v.doubleValue();
            }
        }
        return null;
    }

    Map<String, Double> numberMap(JsonNode node, String field, boolean checkNames) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw invalid("'" + field + "' must be an object of numbers");
        }
        if (v.size() > MAX_ENTRIES) {
            throw invalid("'" + field + "' holds more than " + MAX_ENTRIES + " entries");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!MetricName.isValid(e.getKey())) {
                throw invalid("'" + field + "' has an invalid name '" + clip(e.getKey())
                        + "' (1–128 of letters, digits and . _ - : /)");
            }
            JsonNode n = e.getValue();
            if (n.isBoolean()) {
                out.put(e.getKey(), n.booleanValue() ? 1.0 : 0.0);
                continue;
            }
            if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
                throw invalid("'" + field + "." + e.getKey() + "' must be a finite number");
            }
            out.put(e.getKey(), n.doubleValue());
        }
        return out;
    }
}
