package io.fleetwire.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.fleetwire.protocol.TestMessages.T0;
import static io.fleetwire.protocol.TestMessages.json;
import static io.fleetwire.protocol.TestMessages.minimalSample;
import static org.assertj.core.api.Assertions.assertThat;

class MessageCodecRoundTripTest {

    private final MessageCodec codec = new MessageCodec();

    static Stream<Arguments> everyKindOfMessage() {
        List<Message> all = new ArrayList<>(TestMessages.oneOfEveryKind());
        all.add(new Message.Ping(0L));
        all.add(new Message.Ping(Long.MIN_VALUE));
        all.add(new Message.Pong(Long.MAX_VALUE));
        all.add(new Message.Ack(0));
        all.add(new Message.Ack(Long.MAX_VALUE));
        all.add(new Message.Telemetry(Long.MAX_VALUE, List.of(minimalSample(T0))));
        all.add(new Message.Error(ErrorCode.UNKNOWN_TYPE, "unknown message type 'x'", "x", null));
        all.add(new Message.Error(ErrorCode.OVERLOADED, "queue full", null, 9L));
        all.add(new Message.Error(ErrorCode.INTERNAL, "m".repeat(MessageCodec.MAX_ERROR_MESSAGE), null, null));
        return all.stream().map(m -> Arguments.of(Named.of(describe(m), m)));
    }

    private static String describe(Message m) {
        return switch (m) {
            case Message.Telemetry t -> "telemetry seq=" + t.seq() + " with " + t.samples().size() + " sample(s)";
            case Message.Ping p -> "ping ts=" + p.ts();
            case Message.Pong p -> "pong ts=" + p.ts();
            case Message.Ack a -> "ack seq=" + a.seq();
            case Message.Error e -> "error " + e.code().wireName() + " ref=" + e.refType() + "/" + e.refSeq();
            case Message.LegacyData d -> "data agentId=" + d.agentId();
            default -> m.type();
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyKindOfMessage")
    void decode_ofEncodedMessage_givesAnEqualRecord(Message message) {
        String wire = codec.encode(message);

        assertThat(codec.decode(wire)).isEqualTo(message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyKindOfMessage")
    void encode_writesTheTypeFieldAndTheSameJsonAfterARoundTrip(Message message) {
        String wire = codec.encode(message);

        assertThat(json(wire).path("type").textValue()).isEqualTo(message.type());
        // same JSON tree; the order of detail keys may change, as decode reads them in DETAIL_KEYS order
        assertThat(json(codec.encode(codec.decode(wire)))).isEqualTo(json(wire));
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void decode_ofEncodedErrorWithEveryCode_givesAnEqualRecord(ErrorCode code) {
        Message.Error withRef = new Message.Error(code, "problem " + code, "telemetry", 5L);
        Message.Error withoutRef = new Message.Error(code, "problem " + code, null, null);

        assertThat(codec.decode(codec.encode(withRef))).isEqualTo(withRef);
        assertThat(codec.decode(codec.encode(withoutRef))).isEqualTo(withoutRef);
    }

    @Test
    void messageTypes_coveredByTheRoundTrip_includeEveryPermittedSubtype() {
        Set<Class<?>> covered = TestMessages.oneOfEveryKind().stream().map(Object::getClass).collect(Collectors.toSet());

        assertThat(covered).containsExactlyInAnyOrder(Message.class.getPermittedSubclasses());
    }

    @Test
    void encode_ofPingWithoutTs_omitsTheTsField() {
        assertThat(json(codec.encode(new Message.Ping(null))).has("ts")).isFalse();
        assertThat(json(codec.encode(new Message.Pong(null))).has("ts")).isFalse();
        assertThat(json(codec.encode(new Message.Ping(5L))).path("ts").longValue()).isEqualTo(5L);
    }

    @Test
    void encode_ofErrorWithoutRef_omitsTheRefObject() {
        JsonNode wire = json(codec.encode(new Message.Error(ErrorCode.INTERNAL, "boom", null, null)));

        assertThat(wire.has("ref")).isFalse();
        assertThat(wire.path("code").textValue()).isEqualTo("internal");
    }

    @Test
    void encode_ofErrorWithRef_writesRefTypeAndSeq() {
        JsonNode wire = json(codec.encode(new Message.Error(ErrorCode.RATE_LIMITED, "slow down", "telemetry", 12L)));

        assertThat(wire.path("ref").path("type").textValue()).isEqualTo("telemetry");
        assertThat(wire.path("ref").path("seq").longValue()).isEqualTo(12L);
    }

    @Test
    void encode_ofTelemetry_writesTimesAsEpochMillisAndDetailsAsSampleFields() {
        JsonNode wire = json(codec.encode(TestMessages.telemetryWithSeveralSamples()));

        assertThat(wire.path("seq").longValue()).isEqualTo(42L);
        JsonNode first = wire.path("samples").get(0);
        assertThat(first.path("ts").longValue()).isEqualTo(T0.toEpochMilli());
        assertThat(first.path("battery").path("level").intValue()).isEqualTo(87);
        assertThat(first.path("network").get(0).path("iface").textValue()).isEqualTo("eth0");
        assertThat(first.path("sensors").get(0).path("maxTemp").doubleValue()).isEqualTo(85.0);
        assertThat(first.path("fans").get(0).path("targetSpeed").doubleValue()).isEqualTo(60.0);
        assertThat(first.path("systemHealth").path("agentUptime").doubleValue()).isEqualTo(3600.0);
    }

    @Test
    void encode_ofLegacyData_writesTimestampInsideTheDataObject() {
        JsonNode wire = json(codec.encode(TestMessages.legacyData()));

        assertThat(wire.path("data").path("agentId").textValue()).isEqualTo("linux-agent-id");
        assertThat(wire.path("data").path("timestamp").longValue()).isEqualTo(T0.toEpochMilli());
        assertThat(wire.path("data").has("ts")).isFalse();
    }

    @Test
    void encode_ofWelcome_writesDeviceIdAsCanonicalUuidAndAllSettings() {
        JsonNode wire = json(codec.encode(TestMessages.welcome()));

        assertThat(wire.path("deviceId").textValue()).isEqualTo("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
        assertThat(wire.path("serverTime").longValue()).isEqualTo(Instant.parse("2025-01-02T03:04:05.678Z").toEpochMilli());
        assertThat(wire.path("settings").path("heartbeatSeconds").intValue()).isEqualTo(30);
        assertThat(wire.path("settings").path("maxMessageBytes").intValue()).isEqualTo(1_048_576);
    }

    @Test
    void decode_ofMetricGivenAsBoolean_storesOneOrZero() {
        Message decoded = codec.decode("""
                {"type":"telemetry","seq":1,"samples":[{"ts":1,"metrics":{"link.up":true,"link.down":false}}]}""");

        assertThat(((Message.Telemetry) decoded).samples().getFirst().metrics())
                .isEqualTo(Map.of("link.up", 1.0, "link.down", 0.0));
    }

    @Test
    void decode_ofHelloWithoutCapabilities_givesEmptyCapabilities() {
        Message decoded = codec.decode("{\"type\":\"hello\",\"protocol\":1,\"agent\":{\"name\":\"a\",\"version\":\"1\"}}");

        assertThat(decoded).isEqualTo(new Message.Hello(1, "a", "1", TestMessages.emptyObject()));
    }

    @Test
    void decode_ofSampleWithUnknownKeys_ignoresThem() {
        Message decoded = codec.decode("{\"type\":\"telemetry\",\"seq\":3,\"samples\":[{\"ts\":5,\"future\":{\"x\":1}}]}");

        assertThat(decoded).isEqualTo(new Message.Telemetry(3, List.of(minimalSample(Instant.ofEpochMilli(5)))));
    }

    @Test
    void decode_ofRandomDeviceIdsInWelcome_keepsEveryId() {
        for (int i = 0; i < 50; i++) {
            DeviceId id = new DeviceId(UUID.randomUUID());
            Message.Welcome w = new Message.Welcome(1, id, T0, new Message.Settings(0, 1, 1, 1, 1));

            assertThat(codec.decode(codec.encode(w))).isEqualTo(w);
        }
    }
}
