package io.fleetwire.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON codec for {@link Message}. Thread-safe. {@link #decode} never throws anything but
 * {@link ProtocolException}, whatever the input. Trees are read and written with jackson-core's
 * streaming API ({@link JsonTrees}), no {@code ObjectMapper}, so the device agent does without one.
 */
public final class MessageCodec {

    /** Most samples one telemetry message may carry. */
    public static final int MAX_SAMPLES = 1_000;
    /** Most entries in one sample's metrics, sensors, fans or systemHealth. */
    public static final int MAX_ENTRIES = 1_000;
    /** Longest identifier, name or status string. */
    public static final int MAX_STRING = 128;
    /** Longest {@code message} of an error frame; every message this codec produces is shorter. */
    public static final int MAX_ERROR_MESSAGE = 1_024;
    /** Longest {@code error} text of a command result. */
    public static final int MAX_RESULT_ERROR = 4_096;
    /** Sample keys kept as free-form JSON in {@link Message.Sample#details()}. */
    public static final List<String> DETAIL_KEYS = List.of("battery", "system", "processes", "network", "disks");

    static final long MAX_EPOCH_MILLI = Instant.parse("2200-01-01T00:00:00Z").toEpochMilli();

    private final JsonFactory factory;
    /** The same limits without the parser's duplicate detection (a set per object): the streaming decoder does its own. */
    private final JsonFactory streamFactory;

    public MessageCodec() {
        this.factory = factory(true);
        this.streamFactory = factory(false);
    }

    private static JsonFactory factory(boolean refuseDuplicates) {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(32)
                        .maxNumberLength(64)
                        .maxStringLength(1 << 20)
                        .build())
                .configure(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION, refuseDuplicates)
                // Correctly rounded like Double.parseDouble, in a fraction of the time: telemetry is
                // mostly numbers (JDK FloatingDecimal was ~8 % of the hub's ingest CPU).
                .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .build();
    }

    /**
     * Decodes one text frame. {@code telemetry} and {@code data} are read by a streaming decoder without
     * a tree; every other frame, and every frame it does not accept, the tree way (same verdicts).
     */
    public Message decode(String text) {
        Message streamed = text == null ? null : streamed(() -> streamFactory.createParser(text));
        return streamed != null ? streamed : decodeTree(text);
    }

    /**
     * Decodes one text frame given as its UTF-8 bytes, as {@link #decode(String)} decodes the text they
     * hold (invalid UTF-8 as {@code new String(bytes, UTF_8)} replaces it). Pure ASCII, as telemetry is,
     * is parsed from the bytes without making a String.
     */
    public Message decode(byte[] utf8, int offset, int length) {
        // Starting with '{' then a non-zero byte, Jackson's encoding detection settles on UTF-8.
        Message streamed = length >= 2 && utf8[offset] == '{' && utf8[offset + 1] != 0 && Ascii.isAscii(utf8, offset, length)
                ? streamed(() -> streamFactory.createParser(utf8, offset, length)) : null;
        return streamed != null ? streamed : decodeTree(new String(utf8, offset, length, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A parser over a frame held in memory. */
    private interface ParserSource {
        JsonParser open() throws IOException;
    }

    /** The streaming decoder's message, or null: then the tree path gives the verdict. */
    private static Message streamed(ParserSource source) {
        try (JsonParser p = source.open()) {
            return StreamingDecoder.decode(p);
        } catch (IOException e) {
            return null; // a parser over memory does no I/O on open or close
        }
    }

    /** The tree path alone: every frame read into a tree first (package-private for the differential test). */
    Message decodeTree(String text) {
        JsonNode root;
        try (JsonParser p = factory.createParser(text)) {
            root = JsonTrees.readAll(p);
        } catch (IOException | RuntimeException e) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "frame is not valid JSON: " + firstLine(e), null, null);
        }
        if (!root.isObject()) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "frame must be a JSON object", null, null);
        }
        if (containsNul(root)) {
            JsonNode t = root.get("type");
            String refType = t != null && t.isTextual() && t.textValue().indexOf('\0') < 0 ? clip(t.textValue()) : null;
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, (refType == null ? "" : refType + ": ")
                    + "text in a frame must not contain the NUL character (U+0000)", refType, exactLong(root.path("seq")));
        }
        JsonNode typeNode = root.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "field 'type' is missing or not a string", null, null);
        }
        String type = typeNode.textValue();
        Long seq = exactLong(root.path("seq"));
        FieldReader f = new FieldReader(type, seq);
        return switch (type) {
            case "hello" -> new Message.Hello(
                    f.integer(root, "protocol", 1, Integer.MAX_VALUE),
                    f.string(root.path("agent"), "agent.name", "name", true),
                    f.string(root.path("agent"), "agent.version", "version", true),
                    f.objectOrEmpty(root, "capabilities"));
            case "welcome" -> new Message.Welcome(
                    f.integer(root, "protocol", 1, Integer.MAX_VALUE),
                    f.deviceId(root, "deviceId"),
                    f.instant(root, "serverTime"),
                    settings(f, f.object(root, "settings")));
            case "ping" -> new Message.Ping(f.optionalLong(root, "ts"));
            case "pong" -> new Message.Pong(f.optionalLong(root, "ts"));
            case "telemetry" -> telemetry(f, root);
            case "data" -> legacy(f, root);
            case "ack" -> new Message.Ack(f.longValue(root, "seq", 0, Long.MAX_VALUE));
            case "command" -> new Message.Command(
                    f.commandId(root, "id"),
                    f.commandName(root, "name"),
                    f.objectOrEmpty(root, "params"),
                    f.instant(root, "expiresAt"),
                    f.integer(root, "attempt", 1, Integer.MAX_VALUE));
            case "command_cancel" -> new Message.CommandCancel(f.commandId(root, "id"));
            case "config" -> new Message.Config(settings(f, f.object(root, "settings")));
            case "config_applied" -> new Message.ConfigApplied(optionalSeq(f, root),
                    f.longValue(root, "version", 0, Long.MAX_VALUE));
            case "command_ack" -> new Message.CommandAck(optionalSeq(f, root), f.commandId(root, "id"));
            case "command_result" -> new Message.CommandResult(
                    optionalSeq(f, root),
                    f.commandId(root, "id"),
                    f.resultStatus(root),
                    root.hasNonNull("output") ? root.get("output") : null,
                    f.string(root, "error", "error", false, MAX_RESULT_ERROR));
            case "error" -> new Message.Error(
                    f.errorCode(root),
                    f.string(root, "message", "message", true, MAX_ERROR_MESSAGE),
                    root.path("ref").path("type").isTextual() ? root.path("ref").path("type").textValue() : null,
                    exactLong(root.path("ref").path("seq")));
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "unknown message type '" + clip(type) + "'",
                    clip(type), seq);
        };
    }

    private static Long optionalSeq(FieldReader f, JsonNode root) {
        return root.hasNonNull("seq") ? f.longValue(root, "seq", 0, Long.MAX_VALUE) : null;
    }

    /**
     * True when a string or field name anywhere in the tree holds U+0000, which PostgreSQL can store
     * neither in text nor in jsonb: such a frame is refused up front, not failed in the database.
     */
    public static boolean containsNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\0') >= 0;
        }
        if (node.isObject()) {
            for (var e : node.properties()) {
                if (e.getKey().indexOf('\0') >= 0 || containsNul(e.getValue())) {
                    return true;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                if (containsNul(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The node's value when it is an integer within the range of long, else null. */
    private static Long exactLong(JsonNode node) {
        return node.canConvertToExactIntegral() && node.canConvertToLong() ? node.asLong() : null;
    }

    private Message.Telemetry telemetry(FieldReader f, JsonNode root) {
        long seq = f.longValue(root, "seq", 0, Long.MAX_VALUE);
        JsonNode samples = root.get("samples");
        if (samples == null || !samples.isArray() || samples.isEmpty()) {
            throw f.invalid("'samples' must be a non-empty array");
        }
        if (samples.size() > MAX_SAMPLES) {
            throw f.invalid("'samples' holds " + samples.size() + " entries; at most " + MAX_SAMPLES + " allowed");
        }
        List<Message.Sample> list = new ArrayList<>(samples.size());
        for (JsonNode sample : samples) {
            if (!sample.isObject()) {
                throw f.invalid("every entry of 'samples' must be an object");
            }
            list.add(sample(f, sample, "ts"));
        }
        return new Message.Telemetry(seq, list);
    }

    private Message.LegacyData legacy(FieldReader f, JsonNode root) {
        JsonNode data = f.object(root, "data");
        String agentId = f.string(data, "data.agentId", "agentId", false);
        return new Message.LegacyData(agentId, sample(f, data, "timestamp"));
    }

    private Message.Sample sample(FieldReader f, JsonNode node, String tsField) {
        Instant ts = f.instant(node, tsField);
        Map<String, Double> metrics = f.numberMap(node, "metrics", true);
        Map<String, Double> health = f.numberMap(node, "systemHealth", false);
        List<Message.Sensor> sensors = new ArrayList<>();
        for (JsonNode s : f.array(node, "sensors")) {
            sensors.add(new Message.Sensor(f.string(s, "sensors[].id", "id", true),
                    f.string(s, "sensors[].type", "type", false), f.string(s, "sensors[].name", "name", false),
                    f.number(s, "temperature"), f.number(s, "maxTemp", "max_temp"), f.number(s, "critTemp", "crit_temp")));
        }
        List<Message.Fan> fans = new ArrayList<>();
        for (JsonNode s : f.array(node, "fans")) {
            fans.add(new Message.Fan(f.string(s, "fans[].id", "id", true), f.string(s, "fans[].name", "name", false),
                    f.number(s, "speed"), f.number(s, "rpm"), f.number(s, "targetSpeed", "target_speed"),
                    f.string(s, "fans[].status", "status", false)));
        }
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        for (String key : DETAIL_KEYS) {
            JsonNode value = node.get(key);
            if (value != null && !value.isNull()) {
                if (!value.isObject() && !value.isArray()) {
                    throw f.invalid("'" + key + "' must be an object or an array");
                }
                details.set(key, value);
            }
        }
        return new Message.Sample(ts, metrics, sensors, fans, health, details);
    }

    private static Message.Settings settings(FieldReader f, JsonNode node) {
        return new Message.Settings(
                f.longValue(node, "version", 0, Long.MAX_VALUE),
                f.integer(node, "heartbeatSeconds", 1, 86_400),
                f.integer(node, "missedHeartbeats", 1, 100),
                f.integer(node, "telemetryIntervalSeconds", 1, 86_400),
                f.integer(node, "maxMessageBytes", 1, Integer.MAX_VALUE),
                node.has("pollIntervalSeconds") ? f.integer(node, "pollIntervalSeconds", 1, 86_400)
                        : Message.Settings.DEFAULT_POLL_INTERVAL_SECONDS,
                node.has("queueBudgetBytes") ? f.longValue(node, "queueBudgetBytes", 1, Long.MAX_VALUE)
                        : Message.Settings.DEFAULT_QUEUE_BUDGET_BYTES);
    }

    /** Settings from the JSON object they travel as (e.g. kept in a file), checked as a frame's are. */
    public static Message.Settings readSettings(JsonNode node) {
        return settings(new FieldReader("settings", null), node);
    }

    /** The settings as the JSON object they travel as in {@code welcome} and {@code config}. */
    public static ObjectNode settingsJson(Message.Settings s) {
        return JsonNodeFactory.instance.objectNode()
                .put("version", s.version())
                .put("heartbeatSeconds", s.heartbeatSeconds())
                .put("missedHeartbeats", s.missedHeartbeats())
                .put("telemetryIntervalSeconds", s.telemetryIntervalSeconds())
                .put("maxMessageBytes", s.maxMessageBytes())
                .put("pollIntervalSeconds", s.pollIntervalSeconds())
                .put("queueBudgetBytes", s.queueBudgetBytes());
    }

    /** Encodes a message as one JSON text frame; telemetry and data are written without a tree. */
    public String encode(Message message) {
        return JsonTrees.write(g -> write(message, g));
    }

    /** {@link #encode}'s text as UTF-8 bytes, written as bytes (what a socket sends, without a String). */
    public byte[] encodeUtf8(Message message) {
        return JsonTrees.writeUtf8(g -> write(message, g));
    }

    private static void write(Message message, JsonGenerator g) throws IOException {
        switch (message) {
            case Message.Telemetry m -> SampleWriter.telemetry(g, m);
            case Message.LegacyData m -> SampleWriter.legacy(g, m);
            default -> JsonTrees.write(tree(message), g);
        }
    }

    private static ObjectNode tree(Message message) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("type", message.type());
        switch (message) {
            case Message.Hello m -> {
                root.put("protocol", m.protocol());
                root.putObject("agent").put("name", m.agentName()).put("version", m.agentVersion());
                root.set("capabilities", m.capabilities());
            }
            case Message.Welcome m -> {
                root.put("protocol", m.protocol());
                root.put("deviceId", m.deviceId().toString());
                root.put("serverTime", m.serverTime().toEpochMilli());
                root.set("settings", settingsJson(m.settings()));
            }
            case Message.Config m -> root.set("settings", settingsJson(m.settings()));
            case Message.ConfigApplied m -> {
                if (m.seq() != null) {
                    root.put("seq", m.seq());
                }
                root.put("version", m.version());
            }
            case Message.Ping m -> {
                if (m.ts() != null) {
                    root.put("ts", m.ts());
                }
            }
            case Message.Pong m -> {
                if (m.ts() != null) {
                    root.put("ts", m.ts());
                }
            }
            case Message.Telemetry m -> throw new IllegalStateException("written by SampleWriter");
            case Message.LegacyData m -> throw new IllegalStateException("written by SampleWriter");
            case Message.Ack m -> root.put("seq", m.seq());
            case Message.Command m -> {
                root.put("id", m.id().toString());
                root.put("name", m.name());
                root.set("params", m.params());
                root.put("expiresAt", m.expiresAt().toEpochMilli());
                root.put("attempt", m.attempt());
            }
            case Message.CommandCancel m -> root.put("id", m.id().toString());
            case Message.CommandAck m -> {
                if (m.seq() != null) {
                    root.put("seq", m.seq());
                }
                root.put("id", m.id().toString());
            }
            case Message.CommandResult m -> {
                if (m.seq() != null) {
                    root.put("seq", m.seq());
                }
                root.put("id", m.id().toString());
                root.put("status", m.status().wireName());
                if (m.output() != null && !m.output().isNull()) {
                    root.set("output", m.output());
                }
                if (m.error() != null) {
                    root.put("error", m.error());
                }
            }
            case Message.Error m -> {
                root.put("code", m.code().wireName());
                root.put("message", m.message());
                if (m.refType() != null || m.refSeq() != null) {
                    ObjectNode ref = root.putObject("ref");
                    if (m.refType() != null) {
                        ref.put("type", m.refType());
                    }
                    if (m.refSeq() != null) {
                        ref.put("seq", m.refSeq());
                    }
                }
            }
        }
        return root;
    }

    /** A sample as the JSON text it travels as inside a telemetry message. */
    public String sampleText(Message.Sample sample) {
        return JsonTrees.write(g -> SampleWriter.sample(g, sample, "ts", null));
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return clip(nl < 0 ? m : m.substring(0, nl));
    }

    /** At most {@link #MAX_STRING} characters, NUL shown as U+FFFD, for echoing peer input in error frames. */
    static String clip(String s) {
        String safe = s.replace('\0', '\uFFFD');
        return safe.length() <= MAX_STRING ? safe : safe.substring(0, MAX_STRING) + "…";
    }
}
