package io.fleetwire.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static io.fleetwire.protocol.TestMessages.decodeRejected;
import static io.fleetwire.protocol.TestMessages.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The settings push ({@code config}) and its answer ({@code config_applied}). */
class ConfigMessagesTest {

    private final MessageCodec codec = new MessageCodec();

    @Test
    void encode_ofConfig_writesEverySetting() {
        JsonNode wire = json(codec.encode(new Message.Config(new Message.Settings(7, 30, 3, 10, 262_144, 60, 2L << 20))));
        assertThat(wire.path("type").asText()).isEqualTo("config");
        JsonNode s = wire.path("settings");
        assertThat(s.path("version").asLong()).isEqualTo(7);
        assertThat(s.path("telemetryIntervalSeconds").asInt()).isEqualTo(10);
        assertThat(s.path("pollIntervalSeconds").asInt()).isEqualTo(60);
        assertThat(s.path("queueBudgetBytes").asLong()).isEqualTo(2L << 20);
    }

    @Test
    void decode_ofSettingsFromAnOlderHub_givesTheDefaultsForWhatItDoesNotName() {
        Message m = codec.decode("""
                {"type":"config","settings":{"version":2,"heartbeatSeconds":30,"missedHeartbeats":3,
                 "telemetryIntervalSeconds":5,"maxMessageBytes":1000}}""");
        Message.Settings s = ((Message.Config) m).settings();
        assertThat(s.telemetryIntervalSeconds()).isEqualTo(5);
        assertThat(s.pollIntervalSeconds()).isEqualTo(Message.Settings.DEFAULT_POLL_INTERVAL_SECONDS);
        assertThat(s.queueBudgetBytes()).isEqualTo(Message.Settings.DEFAULT_QUEUE_BUDGET_BYTES);
    }

    @Test
    void decode_ofBadConfig_isRefusedNamingTheField() {
        String base = "\"version\":2,\"heartbeatSeconds\":30,\"missedHeartbeats\":3,\"telemetryIntervalSeconds\":5,\"maxMessageBytes\":1000";
        assertThat(decodeRejected(codec, "{\"type\":\"config\"}").getMessage()).contains("settings");
        assertThat(decodeRejected(codec, "{\"type\":\"config\",\"settings\":{" + base + ",\"pollIntervalSeconds\":0}}").getMessage())
                .contains("pollIntervalSeconds");
        assertThat(decodeRejected(codec, "{\"type\":\"config\",\"settings\":{" + base + ",\"queueBudgetBytes\":\"big\"}}").getMessage())
                .contains("queueBudgetBytes");
        assertThat(decodeRejected(codec, "{\"type\":\"config\",\"settings\":{\"version\":2}}").getMessage()).contains("heartbeatSeconds");
    }

    @Test
    void decode_ofConfigApplied_keepsSeqAndVersion_andRefusesABadVersion() {
        assertThat(codec.decode("{\"type\":\"config_applied\",\"seq\":4,\"version\":12}"))
                .isEqualTo(new Message.ConfigApplied(4L, 12));
        assertThat(codec.decode("{\"type\":\"config_applied\",\"version\":1}")).isEqualTo(new Message.ConfigApplied(null, 1));
        ProtocolException e = decodeRejected(codec, "{\"type\":\"config_applied\",\"seq\":4,\"version\":-1}");
        assertThat(e.getMessage()).contains("version");
        assertThat(e.refSeq()).isEqualTo(4L);
        assertThat(decodeRejected(codec, "{\"type\":\"config_applied\"}").getMessage()).contains("version");
    }
}
