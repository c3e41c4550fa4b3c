package io.fleetwire.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MessageCodec#decode} promises never to throw anything but {@link ProtocolException}. Feeds it
 * random bytes, random token soup, random well-formed JSON of every type, and truncations and mutations
 * of valid frames of every type, all from a fixed seed so a failure reproduces.
 */
class MessageCodecFuzzTest {

    private static final long SEED = 0x5EED_F1EE7L;
    private static final int INPUTS = 30_000;

    private static final String INTERESTING = "{}[]\":,\\ 0123456789-+.eEntrufals/u\u0000\u001f\u007f\u00e9\u2028\ud800\udc00\uffff";
    private static final String[] TOKENS = {
            "{", "}", "[", "]", ":", ",", "\"type\"", "\"seq\"", "\"samples\"", "\"ts\"", "\"data\"", "\"timestamp\"",
            "\"metrics\"", "\"sensors\"", "\"fans\"", "\"systemHealth\"", "\"battery\"", "\"id\"", "\"code\"", "\"ref\"",
            "\"telemetry\"", "\"hello\"", "\"welcome\"", "\"ping\"", "\"pong\"", "\"ack\"", "\"error\"", "\"agent\"",
            "1", "-5", "0", "1.5", "1e400", "-1e400", "9223372036854775808", "18446744073709551617", "true", "false",
            "null", "\"\"", "\"x\"", "\"\\u0000\"", "\"\\ud800\"", " "};
    private static final String[] TYPES = {"hello", "welcome", "ping", "pong", "telemetry", "data", "ack", "error", "nope"};
    private static final String[] KEYS = {
            "type", "seq", "samples", "ts", "data", "timestamp", "agentId", "metrics", "sensors", "fans", "systemHealth",
            "battery", "network", "disks", "system", "processes", "id", "name", "type", "temperature", "max_temp",
            "maxTemp", "crit_temp", "speed", "rpm", "targetSpeed", "target_speed", "status", "protocol", "agent",
            "version", "capabilities", "deviceId", "serverTime", "settings", "heartbeatSeconds", "missedHeartbeats",
            "telemetryIntervalSeconds", "maxMessageBytes", "code", "message", "ref", "cpu.usage", "bad name"};

    private final MessageCodec codec = new MessageCodec();

    @Test
    @Timeout(30)
    void decode_ofRandomAndMutatedInput_returnsAMessageOrThrowsOnlyProtocolException() {
        Random random = new Random(SEED);
        List<String> corpus = validFrames();
        List<String> failures = new ArrayList<>();
        Map<ErrorCode, Integer> refusals = new EnumMap<>(ErrorCode.class);
        int accepted = 0;

        for (int i = 0; i < INPUTS; i++) {
            String input = switch (i % 8) {
                case 0 -> randomBytes(random);
                case 1 -> tokenSoup(random);
                case 2 -> randomMessageShapedJson(random);
                case 3 -> truncate(random, pick(random, corpus));
                case 4, 5 -> mutateOnce(random, pick(random, corpus));
                case 6 -> mutateOnce(random, randomMessageShapedJson(random));
                default -> mutateSeveral(random, pick(random, corpus));
            };
            try {
                Message decoded = codec.decode(input);
                assertThat(decoded).isNotNull();
                assertThat(codec.decode(codec.encode(decoded))).as("re-decoded %s", decoded).isEqualTo(decoded);
                accepted++;
            } catch (ProtocolException e) {
                assertThat(e.code()).isNotNull();
                Message.Error frame = e.toErrorFrame();
                assertThat(codec.decode(codec.encode(frame))).as("error frame for %s", escape(input)).isEqualTo(frame);
                refusals.merge(e.code(), 1, Integer::sum);
            } catch (Throwable t) {
                if (failures.size() < 10) {
                    failures.add("input #" + i + " " + escape(input) + "\n  threw " + t);
                }
            }
        }

        assertThat(failures).as("inputs that made decode throw something other than ProtocolException").isEmpty();
        // The fuzzing reaches past the JSON parser into every layer of validation, and some inputs survive.
        assertThat(accepted).isGreaterThan(INPUTS / 50);
        assertThat(refusals).containsKeys(ErrorCode.BAD_JSON, ErrorCode.UNKNOWN_TYPE, ErrorCode.INVALID_MESSAGE);
        assertThat(refusals.get(ErrorCode.INVALID_MESSAGE)).isGreaterThan(INPUTS / 50);
    }

    private static List<String> validFrames() {
        MessageCodec codec = new MessageCodec();
        List<String> frames = new ArrayList<>();
        for (Message m : TestMessages.oneOfEveryKind()) {
            frames.add(codec.encode(m));
        }
        for (ErrorCode code : ErrorCode.values()) {
            frames.add(codec.encode(new Message.Error(code, "because", "telemetry", 3L)));
        }
        frames.add(TestMessages.SEED_003_DATA);
        return frames;
    }

    private static <T> T pick(Random random, List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private static String randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(200)];
        random.nextBytes(bytes);
        if (bytes.length > 0 && random.nextBoolean()) {
            bytes[0] = '{';
        }
        return new String(bytes, random.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    private static String tokenSoup(Random random) {
        StringBuilder out = new StringBuilder("{");
        int n = 1 + random.nextInt(40);
        for (int i = 0; i < n; i++) {
            out.append(TOKENS[random.nextInt(TOKENS.length)]);
        }
        return out.toString();
    }

    /** Well-formed JSON, mostly objects with a known type and fields of random, often wrong, kinds. */
    private static String randomMessageShapedJson(Random random) {
        StringBuilder out = new StringBuilder("{\"type\":\"").append(TYPES[random.nextInt(TYPES.length)]).append('"');
        int fields = random.nextInt(6);
        for (int i = 0; i < fields; i++) {
            out.append(",\"").append(KEYS[random.nextInt(KEYS.length)]).append("\":");
            randomValue(random, out, 0);
        }
        return out.append('}').toString();
    }

    private static void randomValue(Random random, StringBuilder out, int depth) {
        int kind = random.nextInt(depth > 4 ? 6 : 9);
        switch (kind) {
            case 0 -> out.append(random.nextBoolean() ? random.nextInt(100) : random.nextLong());
            case 1 -> out.append(random.nextDouble() * 1000);
            case 2 -> out.append(pick(random, List.of("1e400", "-0", "0.0", "1693958400000", "7258118400001",
                    "-1", "9223372036854775807", "9223372036854775808", "2.0")));
            case 3 -> out.append('"').append(pick(random, List.of("", "x", "ok", "cpu", "internal", "telemetry",
                    "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "a".repeat(129), "\\ud800", "\\u0000"))).append('"');
            case 4 -> out.append(pick(random, List.of("true", "false", "null")));
            case 5 -> out.append("{}");
            case 6, 7 -> {
                out.append('{');
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    out.append(i == 0 ? "" : ",").append('"').append(KEYS[random.nextInt(KEYS.length)])
                            .append(random.nextInt(4) == 0 ? String.valueOf(i) : "").append("\":");
                    randomValue(random, out, depth + 1);
                }
                out.append('}');
            }
            default -> {
                out.append('[');
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    out.append(i == 0 ? "" : ",");
                    randomValue(random, out, depth + 1);
                }
                out.append(']');
            }
        }
    }

    private static String truncate(Random random, String valid) {
        return valid.substring(0, random.nextInt(valid.length()));
    }

    private static char randomChar(Random random) {
        return random.nextInt(3) == 0 ? (char) random.nextInt(0x10000) : INTERESTING.charAt(random.nextInt(INTERESTING.length()));
    }

    private static String mutateOnce(Random random, String valid) {
        StringBuilder s = new StringBuilder(valid);
        int at = random.nextInt(s.length());
        switch (random.nextInt(3)) {
            case 0 -> s.setCharAt(at, randomChar(random));
            case 1 -> s.deleteCharAt(at);
            default -> s.insert(at, randomChar(random));
        }
        return s.toString();
    }

    private static String mutateSeveral(Random random, String valid) {
        String s = valid;
        int n = 2 + random.nextInt(4);
        for (int i = 0; i < n && !s.isEmpty(); i++) {
            s = random.nextInt(4) == 0 ? duplicateSpan(random, s) : mutateOnce(random, s);
        }
        return s;
    }

    private static String duplicateSpan(Random random, String s) {
        int from = random.nextInt(s.length());
        int to = Math.min(s.length(), from + 1 + random.nextInt(30));
        return s.substring(0, to) + s.substring(from, to) + s.substring(to);
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < Math.min(s.length(), 300); i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return out.append(s.length() > 300 ? "\"…" : "\"").toString();
    }
}
