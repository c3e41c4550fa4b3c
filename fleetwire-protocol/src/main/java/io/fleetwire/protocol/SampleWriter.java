package io.fleetwire.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code telemetry} and {@code data} messages and samples straight to a generator, no tree:
 * every sample an agent or the simulator sends passes through here. Field order is fixed (metrics and
 * system health sorted by name), so equal samples give equal text.
 */
final class SampleWriter {

    private static final List<String> OWN_FIELDS = List.of("ts", "timestamp", "metrics", "sensors", "fans", "systemHealth");

    private SampleWriter() {
    }

    static void telemetry(JsonGenerator g, Message.Telemetry m) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", m.type());
        g.writeNumberField("seq", m.seq());
        g.writeArrayFieldStart("samples");
        for (Message.Sample s : m.samples()) {
            sample(g, s, "ts", null);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    static void legacy(JsonGenerator g, Message.LegacyData m) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", m.type());
        g.writeFieldName("data");
        sample(g, m.sample(), "timestamp", m.agentId());
        g.writeEndObject();
    }

    /** One sample object; {@code agentId}, when not null, first (seed 003's {@code data}). */
    static void sample(JsonGenerator g, Message.Sample s, String tsField, String agentId) throws IOException {
        g.writeStartObject();
        if (agentId != null) {
            g.writeStringField("agentId", agentId);
        }
        g.writeNumberField(tsField, s.ts().toEpochMilli());
        numbers(g, "metrics", s.metrics());
        if (!s.sensors().isEmpty()) {
            g.writeArrayFieldStart("sensors");
            for (Message.Sensor sensor : s.sensors()) {
                g.writeStartObject();
                g.writeStringField("id", sensor.id());
                string(g, "type", sensor.type());
                string(g, "name", sensor.name());
                number(g, "temperature", sensor.temperature());
                number(g, "maxTemp", sensor.maxTemp());
                number(g, "critTemp", sensor.critTemp());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (!s.fans().isEmpty()) {
            g.writeArrayFieldStart("fans");
            for (Message.Fan fan : s.fans()) {
                g.writeStartObject();
                g.writeStringField("id", fan.id());
                string(g, "name", fan.name());
                number(g, "speed", fan.speed());
                number(g, "rpm", fan.rpm());
                number(g, "targetSpeed", fan.targetSpeed());
                string(g, "status", fan.status());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        numbers(g, "systemHealth", s.systemHealth());
        for (Map.Entry<String, JsonNode> e : s.details().properties()) {
            // Details hold the free-form keys (MessageCodec.DETAIL_KEYS); a sample's own fields are not repeated.
            if (!OWN_FIELDS.contains(e.getKey()) && !e.getValue().isMissingNode()) {
                g.writeFieldName(e.getKey());
                JsonTrees.write(e.getValue(), g);
            }
        }
        g.writeEndObject();
    }

    private static void numbers(JsonGenerator g, String field, Map<String, Double> values) throws IOException {
        if (values.isEmpty()) {
            return;
        }
        String[] names = values.keySet().toArray(new String[0]);
        Arrays.sort(names);
        g.writeObjectFieldStart(field);
        for (String name : names) {
            Double v = values.get(name);
            g.writeFieldName(name);
            g.writeNumber(v);
        }
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    private static void number(JsonGenerator g, String field, Double value) throws IOException {
        if (value != null) {
            g.writeNumberField(field, value);
        }
    }
}
