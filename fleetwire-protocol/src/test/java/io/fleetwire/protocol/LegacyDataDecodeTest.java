package io.fleetwire.protocol;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.fleetwire.protocol.TestMessages.SEED_003_DATA;
import static org.assertj.core.api.Assertions.assertThat;

/** Seed 003's {@code {"type":"data",...}} message must be accepted verbatim. */
class LegacyDataDecodeTest {

    private final MessageCodec codec = new MessageCodec();

    @Test
    void decode_ofSeed003Message_givesLegacyDataWithEveryValue() {
        Message decoded = codec.decode(SEED_003_DATA);

        assertThat(decoded).isEqualTo(new Message.LegacyData("linux-agent-id", new Message.Sample(
                Instant.ofEpochMilli(1_693_958_400_000L),
                Map.of(),
                List.of(new Message.Sensor("cpu_temp", "cpu", null, 45.2, 85.0, 95.0)),
                List.of(new Message.Fan("cpu_fan", null, 60.0, 1200.0, 60.0, "ok")),
                Map.of("cpuUsage", 25.3, "memoryUsage", 45.2, "agentUptime", 3600.0),
                TestMessages.emptyObject())));
    }

    @Test
    void decode_ofSeed003Message_mapsSnakeCaseMaxTempAndCritTempToTheSensor() {
        Message.LegacyData decoded = (Message.LegacyData) codec.decode(SEED_003_DATA);

        Message.Sensor sensor = decoded.sample().sensors().getFirst();
        assertThat(sensor.maxTemp()).isEqualTo(85.0);
        assertThat(sensor.critTemp()).isEqualTo(95.0);
        assertThat(sensor.temperature()).isEqualTo(45.2);
        assertThat(sensor.type()).isEqualTo("cpu");
        assertThat(decoded.type()).isEqualTo("data");
        assertThat(decoded.sample().ts()).isEqualTo(Instant.parse("2023-09-06T00:00:00Z"));
    }

    @Test
    void decode_ofSeed003MessageReEncoded_givesTheSameRecord() {
        Message decoded = codec.decode(SEED_003_DATA);

        assertThat(codec.decode(codec.encode(decoded))).isEqualTo(decoded);
    }

    @Test
    void decode_ofFanWithSnakeCaseTargetSpeed_readsIt() {
        Message.LegacyData decoded = (Message.LegacyData) codec.decode("""
                {"type":"data","data":{"timestamp":1,"fans":[{"id":"f","target_speed":40}]}}""");

        assertThat(decoded.sample().fans()).containsExactly(new Message.Fan("f", null, null, null, 40.0, null));
    }

    @Test
    void decode_ofDataWithoutAgentId_givesNullAgentId() {
        Message.LegacyData decoded = (Message.LegacyData) codec.decode("{\"type\":\"data\",\"data\":{\"timestamp\":1}}");

        assertThat(decoded.agentId()).isNull();
        assertThat(decoded.sample()).isEqualTo(TestMessages.minimalSample(Instant.ofEpochMilli(1)));
    }

    @Test
    void decode_ofDataWithBatteryAndNetwork_keepsThemAsDetails() {
        Message.LegacyData decoded = (Message.LegacyData) codec.decode("""
                {"type":"data","data":{"timestamp":1,"battery":{"level":50},"network":[{"iface":"eth0"}]}}""");

        assertThat(decoded.sample().details())
                .isEqualTo(TestMessages.json("{\"battery\":{\"level\":50},\"network\":[{\"iface\":\"eth0\"}]}"));
    }

    @Test
    void decode_whenDataTimestampIsMissing_reportsInvalidMessageNamingData() {
        ProtocolException e = TestMessages.decodeRejected(codec,
                "{\"type\":\"data\",\"data\":{\"agentId\":\"a\"}}");

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.refType()).isEqualTo("data");
        assertThat(e.refSeq()).isNull();
        assertThat(e.getMessage()).contains("timestamp");
    }

    @Test
    void decode_whenDataIsNotAnObject_reportsInvalidMessageNamingData() {
        ProtocolException e = TestMessages.decodeRejected(codec,
                "{\"type\":\"data\",\"data\":[]}");

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.refType()).isEqualTo("data");
        assertThat(e.getMessage()).contains("'data'");
    }
}
