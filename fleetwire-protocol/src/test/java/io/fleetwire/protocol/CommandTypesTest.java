package io.fleetwire.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.fleetwire.protocol.TestMessages.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandTypesTest {

    @Test
    void builtIn_holdsEverySeedCommandType() {
        assertThat(CommandTypes.builtIn().keySet()).containsExactly("lock", "unlock", "clear_cache", "buzz",
                "broadcast_message", "reboot", "set_fan_speed", "apply_fan_profile", "update_config", "software_update",
                "ssh_access", "history_request");
        CommandTypes.builtIn().values().forEach(t -> assertThat(t.description()).isNotBlank());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "lock|{}",
            "lock|{\"message\":\"Return the laptop to the office\"}",
            "unlock|{}",
            "clear_cache|{\"scope\":\"browser\"}",
            "buzz|{\"durationSeconds\":10}",
            "broadcast_message|{\"text\":\"Class ends in 5 min\",\"severity\":\"warning\",\"durationSeconds\":60}",
            "reboot|{\"delaySeconds\":30}",
            "set_fan_speed|{\"fanId\":\"cpu_fan\",\"percent\":0}",
            "set_fan_speed|{\"fanId\":\"cpu_fan\",\"percent\":100}",
            "apply_fan_profile|{\"name\":\"quiet\",\"points\":[{\"temperature\":40,\"percent\":20},{\"temperature\":80,\"percent\":100}]}",
            "update_config|{\"version\":3,\"settings\":{\"telemetryIntervalSeconds\":5}}",
            "software_update|{\"version\":\"1.2.0\",\"sha256\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\",\"url\":\"https://example.org/agent.jar\"}",
            "software_update|{\"version\":\"1.2.0\",\"sha256\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\",\"artifactId\":\"6b0f4c1e-2d3a-4b5c-8d7e-9f0a1b2c3d4e\"}",
            "ssh_access|{\"publicKey\":\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ops@lab\",\"durationSeconds\":3600}",
            "history_request|{\"from\":\"2026-11-01T00:00:00Z\",\"to\":\"2026-11-02T00:00:00Z\"}"})
    void validateBuiltIn_acceptsWellFormedParams(String type, String params) {
        assertThat(CommandTypes.validateBuiltIn(type, json(params))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "lock|{\"force\":true}|force",
            "set_fan_speed|{\"fanId\":\"cpu_fan\",\"percent\":101}|percent",
            "set_fan_speed|{\"fanId\":\"cpu_fan\",\"percent\":-1}|percent",
            "set_fan_speed|{\"fanId\":\"cpu_fan\",\"percent\":50.5}|percent",
            "set_fan_speed|{\"percent\":50}|fanId",
            "broadcast_message|{\"severity\":\"info\"}|text",
            "broadcast_message|{\"text\":\"hi\",\"severity\":\"panic\"}|severity",
            "reboot|{\"delaySeconds\":\"soon\"}|delaySeconds",
            "apply_fan_profile|{\"name\":\"quiet\",\"points\":[{\"temperature\":40,\"percent\":20}]}|points",
            "software_update|{\"version\":\"1.2.0\",\"sha256\":\"abc\",\"url\":\"https://example.org/a.jar\"}|sha256",
            "software_update|{\"version\":\"1.2.0\",\"sha256\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}|one and only one",
            "ssh_access|{\"publicKey\":\"ssh-ed25519 AAAA\",\"durationSeconds\":90000}|durationSeconds",
            "ssh_access|{\"publicKey\":\"not a key\",\"durationSeconds\":600}|publicKey",
            "history_request|{\"from\":\"yesterday\",\"to\":\"2026-11-02T00:00:00Z\"}|from",
            "history_request|{\"from\":\"2026-11-02T00:00:00Z\",\"to\":\"2026-11-01T00:00:00Z\"}|before"})
    void validateBuiltIn_refusesBadParamsNamingTheField(String type, String params, String named) {
        assertThat(CommandTypes.validateBuiltIn(type, json(params))).isNotEmpty()
                .anySatisfy(problem -> assertThat(problem).contains(named));
    }

    @Test
    void compile_refusesSomethingThatIsNotASchema() {
        assertThatThrownBy(() -> ParamsSchema.compile(json("{\"type\":\"bogus\"}")))
                .isInstanceOf(ParamsSchema.InvalidSchemaException.class).hasMessageContaining("draft 2020-12");
        assertThatThrownBy(() -> ParamsSchema.compile(json("{\"minLength\":-3}")))
                .isInstanceOf(ParamsSchema.InvalidSchemaException.class);
        assertThatThrownBy(() -> ParamsSchema.compile(TestMessages.emptyObject().arrayNode()))
                .isInstanceOf(ParamsSchema.InvalidSchemaException.class).hasMessageContaining("JSON object");
    }

    @Test
    void compile_neverFetchesARemoteReference() {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> {
            ParamsSchema s = ParamsSchema.compile(json("{\"$ref\":\"http://127.0.0.1:9/schema.json\"}"));
            assertThat(s.validate(json("{}"))).isNotEmpty();
        });
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(ParamsSchema.InvalidSchemaException.class);
        }
    }

    @Test
    void compiledOperatorSchema_validatesParams() {
        ParamsSchema s = ParamsSchema.compile(json("""
                {"type":"object","required":["url"],"additionalProperties":false,
                 "properties":{"url":{"type":"string","pattern":"^https://"}}}"""));
        assertThat(s.validate(json("{\"url\":\"https://x\"}"))).isEmpty();
        JsonNode bad = json("{\"url\":\"ftp://x\",\"extra\":1}");
        assertThat(s.validate(bad)).hasSize(2);
    }

    @Test
    void isValidName_acceptsSnakeCaseOnly() {
        assertThat(CommandTypes.isValidName("set_fan_speed")).isTrue();
        assertThat(CommandTypes.isValidName("x")).isTrue();
        assertThat(CommandTypes.isValidName("Set")).isFalse();
        assertThat(CommandTypes.isValidName("1st")).isFalse();
        assertThat(CommandTypes.isValidName("a-b")).isFalse();
        assertThat(CommandTypes.isValidName("a".repeat(65))).isFalse();
        assertThat(CommandTypes.isValidName(null)).isFalse();
    }
}
