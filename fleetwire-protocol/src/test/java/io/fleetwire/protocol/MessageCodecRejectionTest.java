package io.fleetwire.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.fleetwire.protocol.TestMessages.decodeRejected;
import static org.assertj.core.api.Assertions.assertThat;

/** Every refusal is a {@link ProtocolException} with the right code, ref type and ref seq. */
class MessageCodecRejectionTest {

    private static final String A_128 = "a".repeat(MessageCodec.MAX_STRING);
    private static final String A_129 = "a".repeat(MessageCodec.MAX_STRING + 1);

    private final MessageCodec codec = new MessageCodec();

    /** A telemetry frame with seq 7 and the given samples. */
    private static String telemetry(String samples) {
        return "{\"type\":\"telemetry\",\"seq\":7,\"samples\":" + samples + "}";
    }

    /** A telemetry frame with seq 7 and one sample of the given fields besides ts. */
    private static String telemetrySample(String fields) {
        return telemetry("[{\"ts\":1693958400000," + fields + "}]");
    }

    private static String samples(int count) {
        return IntStream.range(0, count).mapToObj(i -> "{\"ts\":" + (i + 1) + "}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    /** Nested arrays, {@code depth} levels deep. */
    private static String nestedArrays(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    /**
     * Asserts the refusal of {@code input}: code, ref type and ref seq on the exception and on its error
     * frame, and that the error frame itself survives encode and decode.
     */
    private ProtocolException assertRefused(String input, ErrorCode code, String refType, Long refSeq) {
        ProtocolException e = decodeRejected(codec, input);

        assertThat(e.code()).as("code").isEqualTo(code);
        assertThat(e.refType()).as("refType").isEqualTo(refType);
        assertThat(e.refSeq()).as("refSeq").isEqualTo(refSeq);
        assertThat(e.getMessage()).isNotBlank();
        Message.Error frame = e.toErrorFrame();
        assertThat(frame).isEqualTo(new Message.Error(code, e.getMessage(), refType, refSeq));
        assertThat(codec.decode(codec.encode(frame))).isEqualTo(frame);
        return e;
    }

    // ---------------------------------------------------------------- not JSON, not an object

    @ParameterizedTest
    @ValueSource(strings = {"hello", "{", "}", "{\"type\":\"ping\"", "{\"type\":\"ping\",}", "{'type':'ping'}",
            "{type:\"ping\"}", "{\"type\" \"ping\"}", "\u0000", "{\"type\":\"ping\"/*c*/}", "{\"type\":\"\\x\"}"})
    void decode_whenFrameIsNotJson_reportsBadJson(String input) {
        ProtocolException e = assertRefused(input, ErrorCode.BAD_JSON, null, null);

        assertThat(e.getMessage()).startsWith("frame is not valid JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t", "[]", "[{\"type\":\"ping\"}]", "42", "\"ping\"", "null", "true"})
    void decode_whenFrameIsNotAJsonObject_reportsBadJson(String input) {
        ProtocolException e = assertRefused(input, ErrorCode.BAD_JSON, null, null);

        assertThat(e.getMessage()).isEqualTo("frame must be a JSON object");
    }

    @Test
    void decode_whenFrameIsNull_reportsBadJson() {
        assertRefused(null, ErrorCode.BAD_JSON, null, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"ping\"}xyz", "{\"type\":\"ping\"}{\"type\":\"ping\"}", "{\"type\":\"ping\"}]",
            "{\"type\":\"ping\"} 1", "{\"type\":\"ack\",\"seq\":1}}"})
    void decode_whenObjectIsFollowedByMoreContent_reportsBadJson(String input) {
        assertRefused(input, ErrorCode.BAD_JSON, null, null);
    }

    @Test
    void decode_whenObjectIsFollowedOnlyByWhitespace_acceptsIt() {
        assertThat(codec.decode("  {\"type\":\"ping\",\"ts\":3} \r\n\t")).isEqualTo(new Message.Ping(3L));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"ping\",\"type\":\"pong\"}",
            "{\"type\":\"telemetry\",\"seq\":1,\"seq\":2,\"samples\":[{\"ts\":1}]}",
            "{\"type\":\"telemetry\",\"seq\":1,\"samples\":[{\"ts\":1,\"metrics\":{\"a\":1,\"a\":2}}]}",
            "{\"type\":\"telemetry\",\"seq\":1,\"samples\":[{\"ts\":1,\"ts\":2}]}",
            "{\"type\":\"data\",\"data\":{\"timestamp\":1,\"battery\":{\"x\":{\"y\":1,\"y\":1}}}}"})
    void decode_whenAKeyIsDuplicated_reportsBadJsonNamingTheKey(String input) {
        ProtocolException e = assertRefused(input, ErrorCode.BAD_JSON, null, null);

        assertThat(e.getMessage()).contains("Duplicate field");
    }

    @Test
    void decode_whenNestingIsDeeperThan32_reportsBadJson() {
        // root object (1) + samples array (2) + sample object (3) + battery object (4) + 29 arrays = 33
        String input = telemetrySample("\"battery\":{\"x\":" + nestedArrays(29) + "}");

        ProtocolException e = assertRefused(input, ErrorCode.BAD_JSON, null, null);

        assertThat(e.getMessage()).contains("nesting depth");
    }

    @Test
    void decode_whenNestingIsExactly32_acceptsIt() {
        String input = telemetrySample("\"battery\":{\"x\":" + nestedArrays(28) + "}");

        Message.Telemetry decoded = (Message.Telemetry) codec.decode(input);

        assertThat(decoded.samples().getFirst().details().has("battery")).isTrue();
    }

    @Test
    void decode_whenNestingIsVeryDeep_reportsBadJsonWithoutOverflowingTheStack() {
        assertRefused("{\"a\":" + nestedArrays(200_000) + "}", ErrorCode.BAD_JSON, null, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "+1", "01", ".5", "1.", "0x10"})
    void decode_whenANumberIsNotJson_reportsBadJson(String number) {
        assertRefused(telemetrySample("\"metrics\":{\"a\":" + number + "}"), ErrorCode.BAD_JSON, null, null);
    }

    @Test
    void decode_whenANumberHasMoreThan64Digits_reportsBadJson() {
        assertRefused(telemetrySample("\"metrics\":{\"a\":" + "9".repeat(65) + "}"), ErrorCode.BAD_JSON, null, null);
    }

    // ---------------------------------------------------------------- type

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"seq\":1}", "{\"type\":null}", "{\"type\":7}", "{\"type\":[\"ping\"]}",
            "{\"type\":{\"name\":\"ping\"}}", "{\"type\":true}"})
    void decode_whenTypeIsMissingOrNotAString_reportsUnknownTypeWithoutRef(String input) {
        ProtocolException e = assertRefused(input, ErrorCode.UNKNOWN_TYPE, null, null);

        assertThat(e.getMessage()).contains("'type'");
    }

    @Test
    void decode_whenTypeIsUnknown_reportsUnknownTypeNamingTheTypeAndSeq() {
        ProtocolException e = assertRefused("{\"type\":\"telemetree\",\"seq\":4}", ErrorCode.UNKNOWN_TYPE, "telemetree", 4L);

        assertThat(e.getMessage()).contains("'telemetree'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ping", "PING", "", " ping", "ping ", "legacy", "welcome!"})
    void decode_whenTypeDiffersFromAKnownTypeInAnyCharacter_reportsUnknownType(String type) {
        assertRefused("{\"type\":\"" + type + "\"}", ErrorCode.UNKNOWN_TYPE, type, null);
    }

    @Test
    void decode_whenUnknownTypeIsVeryLong_clipsItInRefTypeAndMessage() {
        String type = "x".repeat(5_000);

        ProtocolException e = assertRefused("{\"type\":\"" + type + "\"}", ErrorCode.UNKNOWN_TYPE,
                "x".repeat(MessageCodec.MAX_STRING) + "…", null);

        assertThat(e.getMessage()).hasSizeLessThan(200);
    }

    // ---------------------------------------------------------------- telemetry seq

    @Test
    void decode_whenSeqIsMissing_reportsInvalidMessageNamingTelemetry() {
        ProtocolException e = assertRefused("{\"type\":\"telemetry\",\"samples\":[{\"ts\":1}]}",
                ErrorCode.INVALID_MESSAGE, "telemetry", null);

        assertThat(e.getMessage()).isEqualTo("telemetry: 'seq' must be an integer");
    }

    @Test
    void decode_whenSeqIsNegative_reportsInvalidMessageWithThatSeq() {
        ProtocolException e = assertRefused("{\"type\":\"telemetry\",\"seq\":-5,\"samples\":[{\"ts\":1}]}",
                ErrorCode.INVALID_MESSAGE, "telemetry", -5L);

        assertThat(e.getMessage()).contains("'seq' must be between 0 and");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "\"7\"", "null", "true", "[7]", "{}", "1e300",
            "9223372036854775808", "18446744073709551617", "-9223372036854775809"})
    void decode_whenSeqIsNotALong_reportsInvalidMessageWithoutRefSeq(String seq) {
        assertRefused("{\"type\":\"telemetry\",\"seq\":" + seq + ",\"samples\":[{\"ts\":1}]}",
                ErrorCode.INVALID_MESSAGE, "telemetry", null);
    }

    @Test
    void decode_whenSeqIsAWholeNumberWrittenAsDecimal_reportsInvalidMessageWithThatSeq() {
        assertRefused("{\"type\":\"telemetry\",\"seq\":2.0,\"samples\":[{\"ts\":1}]}",
                ErrorCode.INVALID_MESSAGE, "telemetry", 2L);
    }

    @Test
    void decode_whenSeqIsLongMaxValue_acceptsIt() {
        Message decoded = codec.decode("{\"type\":\"telemetry\",\"seq\":9223372036854775807,\"samples\":[{\"ts\":1}]}");

        assertThat(((Message.Telemetry) decoded).seq()).isEqualTo(Long.MAX_VALUE);
    }

    // ---------------------------------------------------------------- telemetry samples

    @ParameterizedTest
    @ValueSource(strings = {"[]", "null", "{}", "{\"ts\":1}", "\"[]\""})
    void decode_whenSamplesIsNotANonEmptyArray_reportsInvalidMessageWithSeq(String samples) {
        ProtocolException e = assertRefused(telemetry(samples), ErrorCode.INVALID_MESSAGE, "telemetry", 7L);

        assertThat(e.getMessage()).contains("'samples' must be a non-empty array");
    }

    @Test
    void decode_whenSamplesIsMissing_reportsInvalidMessageWithSeq() {
        assertRefused("{\"type\":\"telemetry\",\"seq\":7}", ErrorCode.INVALID_MESSAGE, "telemetry", 7L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1]", "[null]", "[{\"ts\":1},[]]", "[\"x\"]"})
    void decode_whenASampleIsNotAnObject_reportsInvalidMessageWithSeq(String samples) {
        assertRefused(telemetry(samples), ErrorCode.INVALID_MESSAGE, "telemetry", 7L);
    }

    @Test
    void decode_whenThereAreMoreThan1000Samples_reportsInvalidMessageWithSeq() {
        ProtocolException e = assertRefused(telemetry(samples(MessageCodec.MAX_SAMPLES + 1)),
                ErrorCode.INVALID_MESSAGE, "telemetry", 7L);

        assertThat(e.getMessage()).contains("1001").contains("1000");
    }

    @Test
    void decode_whenThereAreExactly1000Samples_acceptsThemAll() {
        Message.Telemetry decoded = (Message.Telemetry) codec.decode(telemetry(samples(MessageCodec.MAX_SAMPLES)));

        assertThat(decoded.samples()).hasSize(MessageCodec.MAX_SAMPLES);
    }

    @Test
    void decode_whenASampleHasNoTs_reportsInvalidMessageWithSeq() {
        ProtocolException e = assertRefused(telemetry("[{\"ts\":1},{\"metrics\":{\"a\":1}}]"),
                ErrorCode.INVALID_MESSAGE, "telemetry", 7L);

        assertThat(e.getMessage()).contains("'ts'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.5", "\"1693958400000\"", "\"2023-09-06T00:00:00Z\"", "null",
            "7258118400001", "1e300", "9223372036854775807"})
    void decode_whenSampleTsIsNotAnEpochMilliBefore2200_reportsInvalidMessageWithSeq(String ts) {
        ProtocolException e = assertRefused(telemetry("[{\"ts\":" + ts + "}]"), ErrorCode.INVALID_MESSAGE, "telemetry", 7L);

        assertThat(e.getMessage()).contains("'ts'");
    }

    @Test
    void decode_whenSampleTsIsTheFirstMilliOf2200_acceptsIt() {
        Message.Telemetry decoded = (Message.Telemetry) codec.decode(telemetry("[{\"ts\":7258118400000}]"));

        assertThat(decoded.samples().getFirst().ts()).isEqualTo(java.time.Instant.parse("2200-01-01T00:00:00Z"));
    }

    // ---------------------------------------------------------------- values

    static Stream<String> nonFiniteValues() {
        return Stream.of(
                "\"metrics\":{\"cpu.usage\":1e400}",
                "\"metrics\":{\"cpu.usage\":-1e400}",
                "\"metrics\":{\"cpu.usage\":1E+999}",
                "\"systemHealth\":{\"cpuUsage\":1e400}",
                "\"sensors\":[{\"id\":\"s\",\"temperature\":1e400}]",
                "\"sensors\":[{\"id\":\"s\",\"max_temp\":-1e309}]",
                "\"sensors\":[{\"id\":\"s\",\"critTemp\":1e999}]",
                "\"fans\":[{\"id\":\"f\",\"rpm\":1e400}]",
                "\"fans\":[{\"id\":\"f\",\"target_speed\":1e400}]");
    }

    @ParameterizedTest
    @MethodSource("nonFiniteValues")
    void decode_whenAValueOverflowsToInfinity_reportsInvalidMessageWithSeq(String fields) {
        ProtocolException e = assertRefused(telemetrySample(fields), ErrorCode.INVALID_MESSAGE, "telemetry", 7L);

        assertThat(e.getMessage()).contains("must be a finite number");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\"metrics\":{\"a\":\"1\"}", "\"metrics\":{\"a\":null}", "\"metrics\":{\"a\":[1]}", "\"metrics\":{\"a\":{}}",
            "\"metrics\":[1]", "\"metrics\":5", "\"systemHealth\":\"ok\"",
            "\"sensors\":[{\"id\":\"s\",\"temperature\":\"45\"}]", "\"fans\":[{\"id\":\"f\",\"speed\":true}]"})
    void decode_whenAValueIsNotANumber_reportsInvalidMessageWithSeq(String fields) {
        assertRefused(telemetrySample(fields), ErrorCode.INVALID_MESSAGE, "telemetry", 7L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"metrics\":{\"\\u0000\":1}", "\"details\":{\"x\":\"a\\u0000b\"}",
            "\"sensors\":[{\"id\":\"s\\u0000\",\"temperature\":1}]"})
    void decode_whenAnyTextHoldsNul_reportsInvalidMessageWithTypeAndSeq(String fields) {
        ProtocolException e = assertRefused(telemetrySample(fields), ErrorCode.INVALID_MESSAGE, "telemetry", 7L);

        assertThat(e.getMessage()).contains("NUL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "cpu usage", "cpu\\nusage", "cpü", "a*b", "a,b", "temp°C", "a\\\"b", "√"})
    void decode_whenAMetricNameIsInvalid_reportsInvalidMessageWithSeq(String name) {
        ProtocolException e = assertRefused(telemetrySample("\"metrics\":{\"" + name + "\":1}"),
                ErrorCode.INVALID_MESSAGE, "telemetry", 7L);

        assertThat(e.getMessage()).contains("invalid name");
    }

    @Test
    void decode_whenAMetricNameIsLongerThan128_reportsInvalidMessageWithSeq() {
        assertRefused(telemetrySample("\"metrics\":{\"" + A_129 + "\":1}"), ErrorCode.INVALID_MESSAGE, "telemetry", 7L);
    }

    @Test
    void decode_whenAMetricNameIsHuge_keepsTheErrorFrameDecodable() {
        ProtocolException e = assertRefused(telemetrySample("\"metrics\":{\"" + "x y".repeat(10_000) + "\":1}"),
                ErrorCode.INVALID_MESSAGE, "telemetry", 7L);

        assertThat(e.getMessage().length()).isLessThanOrEqualTo(MessageCodec.MAX_ERROR_MESSAGE);
    }

    @Test
    void decode_whenAMetricNameIs128Long_acceptsIt() {
        Message.Telemetry decoded = (Message.Telemetry) codec.decode(telemetrySample("\"metrics\":{\"" + A_128 + "\":1}"));

        assertThat(decoded.samples().getFirst().metrics()).containsKey(A_128);
    }

    @Test
    void decode_whenASampleHasMoreThan1000Metrics_reportsInvalidMessageWithSeq() {
        String metrics = IntStream.rangeClosed(0, MessageCodec.MAX_ENTRIES).mapToObj(i -> "\"m" + i + "\":1")
                .collect(Collectors.joining(",", "{", "}"));

        assertRefused(telemetrySample("\"metrics\":" + metrics), ErrorCode.INVALID_MESSAGE, "telemetry", 7L);
    }

    @Test
    void decode_whenASampleHasMoreThan1000Sensors_reportsInvalidMessageWithSeq() {
        String sensors = IntStream.rangeClosed(0, MessageCodec.MAX_ENTRIES).mapToObj(i -> "{\"id\":\"s" + i + "\"}")
                .collect(Collectors.joining(",", "[", "]"));

        assertRefused(telemetrySample("\"sensors\":" + sensors), ErrorCode.INVALID_MESSAGE, "telemetry", 7L);
    }

    // ---------------------------------------------------------------- identifiers and strings

    static Stream<String> badIdentifierFields() {
        return Stream.of(
                "\"sensors\":[{\"id\":\"" + A_129 + "\"}]",
                "\"sensors\":[{\"id\":\"\"}]",
                "\"sensors\":[{\"id\":42}]",
                "\"sensors\":[{\"temperature\":40}]",
                "\"sensors\":[{\"id\":null}]",
                "\"sensors\":[{\"id\":\"s\",\"name\":\"" + A_129 + "\"}]",
                "\"sensors\":[{\"id\":\"s\",\"type\":\"" + A_129 + "\"}]",
                "\"fans\":[{\"id\":\"" + A_129 + "\"}]",
                "\"fans\":[{\"id\":\"f\",\"status\":\"" + A_129 + "\"}]",
                "\"fans\":[{\"id\":\"f\",\"name\":[]}]",
                "\"sensors\":{\"id\":\"s\"}",
                "\"sensors\":[\"cpu_temp\"]",
                "\"fans\":[null]");
    }

    @ParameterizedTest
    @MethodSource("badIdentifierFields")
    void decode_whenASensorOrFanIsMalformedOrHasAStringLongerThan128_reportsInvalidMessageWithSeq(String fields) {
        assertRefused(telemetrySample(fields), ErrorCode.INVALID_MESSAGE, "telemetry", 7L);
    }

    @Test
    void decode_whenIdsAreExactly128Long_acceptsThem() {
        Message.Telemetry decoded = (Message.Telemetry) codec.decode(telemetrySample(
                "\"sensors\":[{\"id\":\"" + A_128 + "\"}],\"fans\":[{\"id\":\"" + A_128 + "\",\"status\":\"" + A_128 + "\"}]"));

        assertThat(decoded.samples().getFirst().sensors().getFirst().id()).isEqualTo(A_128);
        assertThat(decoded.samples().getFirst().fans().getFirst().status()).isEqualTo(A_128);
    }

    @Test
    void decode_whenLegacyAgentIdIsLongerThan128_reportsInvalidMessageNamingData() {
        ProtocolException e = assertRefused("{\"type\":\"data\",\"data\":{\"agentId\":\"" + A_129 + "\",\"timestamp\":1}}",
                ErrorCode.INVALID_MESSAGE, "data", null);

        assertThat(e.getMessage()).contains("data.agentId");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"battery\":5", "\"network\":\"eth0\"", "\"disks\":true", "\"system\":1.5", "\"processes\":\"x\""})
    void decode_whenADetailIsNeitherObjectNorArray_reportsInvalidMessageWithSeq(String fields) {
        assertRefused(telemetrySample(fields), ErrorCode.INVALID_MESSAGE, "telemetry", 7L);
    }

    // ---------------------------------------------------------------- other message types

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"hello\",\"protocol\":1}",
            "{\"type\":\"hello\",\"protocol\":1,\"agent\":\"fleetwire-agent\"}",
            "{\"type\":\"hello\",\"protocol\":1,\"agent\":{\"name\":\"a\"}}",
            "{\"type\":\"hello\",\"protocol\":0,\"agent\":{\"name\":\"a\",\"version\":\"1\"}}",
            "{\"type\":\"hello\",\"protocol\":\"1\",\"agent\":{\"name\":\"a\",\"version\":\"1\"}}",
            "{\"type\":\"hello\",\"protocol\":2147483648,\"agent\":{\"name\":\"a\",\"version\":\"1\"}}",
            "{\"type\":\"hello\",\"protocol\":1,\"agent\":{\"name\":\"a\",\"version\":\"1\"},\"capabilities\":[]}"})
    void decode_whenHelloIsMalformed_reportsInvalidMessageNamingHello(String input) {
        assertRefused(input, ErrorCode.INVALID_MESSAGE, "hello", null);
    }

    @Test
    void decode_whenHelloAgentNameIsLongerThan128_reportsInvalidMessageNamingTheField() {
        ProtocolException e = assertRefused(
                "{\"type\":\"hello\",\"protocol\":1,\"agent\":{\"name\":\"" + A_129 + "\",\"version\":\"1\"}}",
                ErrorCode.INVALID_MESSAGE, "hello", null);

        assertThat(e.getMessage()).contains("agent.name");
    }

    private static final String SETTINGS =
            "{\"version\":1,\"heartbeatSeconds\":30,\"missedHeartbeats\":3,\"telemetryIntervalSeconds\":60,\"maxMessageBytes\":65536}";

    @ParameterizedTest
    @ValueSource(strings = {"\"not-a-uuid\"", "\"3f2504e0-4f89-41d3-9a0c-0305e82c330\"", "\"3f2504e04f8941d39a0c0305e82c3301\"",
            "\"3f2504e0-4f89-41d3-9a0c-0305e82c330g\"", "42", "null"})
    void decode_whenWelcomeDeviceIdIsNotAUuid_reportsInvalidMessageNamingWelcome(String deviceId) {
        ProtocolException e = assertRefused("{\"type\":\"welcome\",\"protocol\":1,\"deviceId\":" + deviceId
                        + ",\"serverTime\":1,\"settings\":" + SETTINGS + "}",
                ErrorCode.INVALID_MESSAGE, "welcome", null);

        assertThat(e.getMessage()).contains("deviceId");
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "[]", "{}", "{\"version\":1,\"heartbeatSeconds\":0,\"missedHeartbeats\":3,"
            + "\"telemetryIntervalSeconds\":60,\"maxMessageBytes\":65536}",
            "{\"version\":1,\"heartbeatSeconds\":30,\"missedHeartbeats\":101,\"telemetryIntervalSeconds\":60,\"maxMessageBytes\":65536}",
            "{\"version\":-1,\"heartbeatSeconds\":30,\"missedHeartbeats\":3,\"telemetryIntervalSeconds\":60,\"maxMessageBytes\":65536}"})
    void decode_whenWelcomeSettingsAreMissingOrOutOfRange_reportsInvalidMessageNamingWelcome(String settings) {
        assertRefused("{\"type\":\"welcome\",\"protocol\":1,\"deviceId\":\"3f2504e0-4f89-41d3-9a0c-0305e82c3301\","
                + "\"serverTime\":1,\"settings\":" + settings + "}", ErrorCode.INVALID_MESSAGE, "welcome", null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "\"1\"", "[]", "9223372036854775808"})
    void decode_whenPingOrPongTsIsNotALong_reportsInvalidMessageNamingTheType(String ts) {
        assertRefused("{\"type\":\"ping\",\"ts\":" + ts + "}", ErrorCode.INVALID_MESSAGE, "ping", null);
        assertRefused("{\"type\":\"pong\",\"ts\":" + ts + "}", ErrorCode.INVALID_MESSAGE, "pong", null);
    }

    @Test
    void decode_whenPingTsIsNull_givesPingWithoutTs() {
        assertThat(codec.decode("{\"type\":\"ping\",\"ts\":null}")).isEqualTo(new Message.Ping(null));
    }

    @Test
    void decode_whenAckSeqIsNegative_reportsInvalidMessageWithThatSeq() {
        assertRefused("{\"type\":\"ack\",\"seq\":-1}", ErrorCode.INVALID_MESSAGE, "ack", -1L);
    }

    @Test
    void decode_whenAckSeqIsMissing_reportsInvalidMessageWithoutRefSeq() {
        assertRefused("{\"type\":\"ack\"}", ErrorCode.INVALID_MESSAGE, "ack", null);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"error\",\"code\":\"teapot\",\"message\":\"m\"}",
            "{\"type\":\"error\",\"code\":\"BAD_JSON\",\"message\":\"m\"}",
            "{\"type\":\"error\",\"message\":\"m\"}",
            "{\"type\":\"error\",\"code\":{},\"message\":\"m\"}",
            "{\"type\":\"error\",\"code\":\"internal\"}",
            "{\"type\":\"error\",\"code\":\"internal\",\"message\":\"\"}",
            "{\"type\":\"error\",\"code\":\"internal\",\"message\":7}"})
    void decode_whenErrorCodeOrMessageIsMissingOrUnknown_reportsInvalidMessageNamingError(String input) {
        assertRefused(input, ErrorCode.INVALID_MESSAGE, "error", null);
    }

    @Test
    void decode_whenErrorMessageIsLongerThanTheLimit_reportsInvalidMessageNamingError() {
        String message = "m".repeat(MessageCodec.MAX_ERROR_MESSAGE + 1);

        assertRefused("{\"type\":\"error\",\"code\":\"internal\",\"message\":\"" + message + "\"}",
                ErrorCode.INVALID_MESSAGE, "error", null);
    }

    @Test
    void decode_whenErrorRefSeqIsOutOfRange_givesErrorWithoutRefSeq() {
        Message decoded = codec.decode("{\"type\":\"error\",\"code\":\"internal\",\"message\":\"m\","
                + "\"ref\":{\"type\":\"telemetry\",\"seq\":18446744073709551617}}");

        assertThat(decoded).isEqualTo(new Message.Error(ErrorCode.INTERNAL, "m", "telemetry", null));
    }
}
