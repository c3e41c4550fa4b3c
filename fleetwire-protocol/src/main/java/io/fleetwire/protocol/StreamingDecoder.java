package io.fleetwire.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.fleetwire.protocol.MessageCodec.DETAIL_KEYS;
import static io.fleetwire.protocol.MessageCodec.MAX_ENTRIES;
import static io.fleetwire.protocol.MessageCodec.MAX_SAMPLES;
import static io.fleetwire.protocol.StreamingValues.GIVE_UP;
import static io.fleetwire.protocol.StreamingValues.detail;
import static io.fleetwire.protocol.StreamingValues.details;
import static io.fleetwire.protocol.StreamingValues.epochMilli;
import static io.fleetwire.protocol.StreamingValues.expect;
import static io.fleetwire.protocol.StreamingValues.number;
import static io.fleetwire.protocol.StreamingValues.numbers;
import static io.fleetwire.protocol.StreamingValues.once;
import static io.fleetwire.protocol.StreamingValues.required;
import static io.fleetwire.protocol.StreamingValues.seq;
import static io.fleetwire.protocol.StreamingValues.skip;
import static io.fleetwire.protocol.StreamingValues.string;

/**
 * The hot device messages, {@code telemetry} and seed 003's {@code data}, read straight from the
 * parser's tokens into the message records, without a tree (the tree read was 42 % of the hub's CPU at
 * the ingest ceiling). It only ever accepts: it returns a message only for a frame that the tree path
 * ({@link MessageCodec}) decodes to an equal one, and gives up ({@link #decode} returns null) on
 * anything else (another type, any fault, anything irregular such as a null where a value was expected),
 * so that the codec decodes that frame the tree way and every refusal keeps the tree path's code, text
 * and ref. The parser it reads does not look for repeated fields (a set per object, 11 % of the hub's
 * CPU): each object here notes the fields it met, and gives up on a repeated one.
 * Thread-safe: all state lives on the stack of one call.
 */
final class StreamingDecoder {

    private StreamingDecoder() {
    }

    /** The message, or null when the frame is not a well-formed telemetry or data message. */
    static Message decode(JsonParser p) {
        try {
            return message(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Message message(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw GIVE_UP;
        }
        String type = null;
        long seq = -1;
        List<Message.Sample> samples = null;
        Message.LegacyData data = null;
        int seen = 0;
        List<String> others = null;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "type" -> {
                    seen = once(seen, 1);
                    type = type(p, t);
                }
                case "seq" -> {
                    seen = once(seen, 2);
                    seq = seq(p, t);
                }
                case "samples" -> {
                    seen = once(seen, 4);
                    samples = samples(p, t);
                }
                case "data" -> {
                    seen = once(seen, 8);
                    data = legacy(p, t);
                }
                default -> others = skip(p, name, others);
            }
        }
        if (p.nextToken() != null) {
            throw GIVE_UP;
        }
        if ("telemetry".equals(type) && seq >= 0 && samples != null) {
            return new Message.Telemetry(seq, samples);
        }
        if ("data".equals(type) && data != null) {
            return data;
        }
        throw GIVE_UP;
    }

    private static String type(JsonParser p, JsonToken t) throws IOException {
        String type = t == JsonToken.VALUE_STRING ? p.getText() : null;
        if (!"telemetry".equals(type) && !"data".equals(type)) {
            throw GIVE_UP;
        }
        return type;
    }

    private static List<Message.Sample> samples(JsonParser p, JsonToken t) throws IOException {
        expect(t, JsonToken.START_ARRAY);
        List<Message.Sample> out = new ArrayList<>(2);
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
            if (out.size() == MAX_SAMPLES) {
                throw GIVE_UP;
            }
            expect(e, JsonToken.START_OBJECT);
            out.add(sample(p, "ts", null));
        }
        if (out.isEmpty()) {
            throw GIVE_UP;
        }
        return out;
    }

    private static Message.LegacyData legacy(JsonParser p, JsonToken t) throws IOException {
        expect(t, JsonToken.START_OBJECT);
        String[] agentId = new String[1];
        Message.Sample sample = sample(p, "timestamp", agentId);
        return new Message.LegacyData(agentId[0], sample);
    }

    /** A sample object; {@code agentId}, when given, receives the legacy message's agent id. */
    private static Message.Sample sample(JsonParser p, String tsField, String[] agentId) throws IOException {
        long ts = -1;
        Map<String, Double> metrics = Map.of();
        Map<String, Double> health = Map.of();
        List<Message.Sensor> sensors = List.of();
        List<Message.Fan> fans = List.of();
        JsonNode[] details = null;
        int seen = 0;
        List<String> others = null;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            if (name.equals(tsField)) {
                seen = once(seen, 1);
                ts = epochMilli(p, t);
                continue;
            }
            switch (name) {
                case "metrics" -> {
                    seen = once(seen, 2);
                    metrics = numbers(p, t);
                }
                case "systemHealth" -> {
                    seen = once(seen, 4);
                    health = numbers(p, t);
                }
                case "sensors" -> {
                    seen = once(seen, 8);
                    sensors = entries(p, t, StreamingDecoder::sensor);
                }
                case "fans" -> {
                    seen = once(seen, 16);
                    fans = entries(p, t, StreamingDecoder::fan);
                }
                default -> {
                    int detail = DETAIL_KEYS.indexOf(name);
                    if (agentId != null && name.equals("agentId")) {
                        seen = once(seen, 32);
                        agentId[0] = string(p, t);
                    } else if (detail < 0) {
                        others = skip(p, name, others);
                    } else {
                        seen = once(seen, 64 << detail);
                        if (t != JsonToken.VALUE_NULL) {
                            details = details == null ? new JsonNode[DETAIL_KEYS.size()] : details;
                            details[detail] = detail(p, t);
                        }
                    }
                }
            }
        }
        if (ts < 0) {
            throw GIVE_UP;
        }
        return new Message.Sample(Instant.ofEpochMilli(ts), metrics, sensors, fans, health, details(details));
    }

    private static Message.Sensor sensor(JsonParser p) throws IOException {
        String id = null, type = null, name = null;
        Double temperature = null, maxTemp = null, maxTempAlias = null, critTemp = null, critTempAlias = null;
        int seen = 0;
        List<String> others = null;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (field) {
                case "id" -> {
                    seen = once(seen, 1);
                    id = string(p, t);
                }
                case "type" -> {
                    seen = once(seen, 2);
                    type = string(p, t);
                }
                case "name" -> {
                    seen = once(seen, 4);
                    name = string(p, t);
                }
                case "temperature" -> {
                    seen = once(seen, 8);
                    temperature = number(p, t);
                }
                case "maxTemp" -> {
                    seen = once(seen, 16);
                    maxTemp = number(p, t);
                }
                case "max_temp" -> {
                    seen = once(seen, 32);
                    maxTempAlias = number(p, t);
                }
                case "critTemp" -> {
                    seen = once(seen, 64);
                    critTemp = number(p, t);
                }
                case "crit_temp" -> {
                    seen = once(seen, 128);
                    critTempAlias = number(p, t);
                }
                default -> others = skip(p, field, others);
            }
        }
        return new Message.Sensor(required(id), type, name, temperature, maxTemp != null ? maxTemp : maxTempAlias,
                critTemp != null ? critTemp : critTempAlias);
    }

    private static Message.Fan fan(JsonParser p) throws IOException {
        String id = null, name = null, status = null;
        Double speed = null, rpm = null, target = null, targetAlias = null;
        int seen = 0;
        List<String> others = null;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (field) {
                case "id" -> {
                    seen = once(seen, 1);
                    id = string(p, t);
                }
                case "name" -> {
                    seen = once(seen, 2);
                    name = string(p, t);
                }
                case "speed" -> {
                    seen = once(seen, 4);
                    speed = number(p, t);
                }
                case "rpm" -> {
                    seen = once(seen, 8);
                    rpm = number(p, t);
                }
                case "targetSpeed" -> {
                    seen = once(seen, 16);
                    target = number(p, t);
                }
                case "target_speed" -> {
                    seen = once(seen, 32);
                    targetAlias = number(p, t);
                }
                case "status" -> {
                    seen = once(seen, 64);
                    status = string(p, t);
                }
                default -> others = skip(p, field, others);
            }
        }
        return new Message.Fan(required(id), name, speed, rpm, target != null ? target : targetAlias, status);
    }

    private interface EntryReader<T> {
        T read(JsonParser p) throws IOException;
    }

    /** An array of objects, or null for none. */
    private static <T> List<T> entries(JsonParser p, JsonToken t, EntryReader<T> reader) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return List.of();
        }
        expect(t, JsonToken.START_ARRAY);
        List<T> out = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
            if (out.size() == MAX_ENTRIES) {
                throw GIVE_UP;
            }
            expect(e, JsonToken.START_OBJECT);
            out.add(reader.read(p));
        }
        return out;
    }

}
