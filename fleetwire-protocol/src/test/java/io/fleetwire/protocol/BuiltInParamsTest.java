package io.fleetwire.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BuiltInParams} (the agent's light check) gives the same verdict as {@link CommandTypes}
 * (the full JSON schema validator) for every built-in type, on a valid example and on every
 * property of it replaced by each of many values, removed, or joined by an unknown one.
 */
class BuiltInParamsTest {

    private static final Map<String, String> VALID = Map.ofEntries(
            Map.entry("lock", "{}"), Map.entry("unlock", "{}"), Map.entry("clear_cache", "{}"), Map.entry("buzz", "{}"),
            Map.entry("broadcast_message", "{\"text\":\"hi\"}"), Map.entry("reboot", "{}"),
            Map.entry("set_fan_speed", "{\"fanId\":\"f\",\"percent\":50}"),
            Map.entry("apply_fan_profile", "{\"name\":\"p\",\"points\":[{\"temperature\":40,\"percent\":30},{\"temperature\":80,\"percent\":100}]}"),
            Map.entry("update_config", "{\"settings\":{\"a\":1}}"),
            Map.entry("software_update", "{\"version\":\"1.1.0\",\"sha256\":\"" + "a".repeat(64) + "\",\"url\":\"https://h.example/x.jar\"}"),
            Map.entry("ssh_access", "{\"publicKey\":\"ssh-ed25519 AAAAC3Nz\",\"durationSeconds\":3600}"),
            Map.entry("history_request", "{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-01-02T00:00:00Z\"}"));

    private static final List<String> VALUES = List.of(
            "null", "true", "false", "0", "-1", "1", "1.0", "1.5", "2", "5", "59", "60", "61", "64", "65", "100", "101",
            "86400", "86401", "-50", "-51", "150", "150.5", "151", "1e2", "3600.0",
            q(""), q("x"), q("a".repeat(128)), q("a".repeat(129)), q("é".repeat(128)), q("é".repeat(129)),
            q("😀".repeat(128)), q("a".repeat(256)), q("a".repeat(257)), q("a".repeat(2000)), q("a".repeat(2001)),
            q("all"), q("browser"), q("info"), q("critical"), q("nope"),
            q("a".repeat(64)), q("A".repeat(64)), q("a".repeat(63)), q("0b6f6a8e-1234-4abc-9def-0123456789ab"), q("0b6f6a8e-1234"),
            q("https://h.example/a.jar"), q("http://x"), q("ftp://x"), q("https://exa mple.com"), q("/relative"), q("https://"), q("https://h/a%2Fb?x=1#f"), q("https://h/a%zz"),
            q("https://[::1]:8080/x"), q("https://h/é"), q("https://h/a\\b"),
            q("2026-01-01T00:00:00Z"), q("2026-01-01T00:00:00.5+02:00"), q("2026-01-01T00:00Z"), q("2026-01-01 00:00:00Z"),
            q("2026-13-01T00:00:00Z"), q("2026-01-01T00:00:00"), q("2026-01-01t00:00:00z"), q("2026-02-30T00:00:00Z"),
            q("2026-01-01T24:00:00Z"),
            q("ssh-ed25519 AAAAC3Nz"), q("ssh-rsa AAAA== a comment"), q("ssh-dss AAAA"), q("ssh-ed25519 AAAA\nx"),
            q("root"), q("Root"), q("_x-1"), q("a".repeat(33)),
            "[]", "[\"a\"]", "[\"\",\"b\"]", "[{}]", "[1]",
            "[{\"temperature\":40,\"percent\":30}]", "[{\"temperature\":40,\"percent\":30},{\"temperature\":-51,\"percent\":30}]",
            "[{\"temperature\":40,\"percent\":30},{\"temperature\":40.5,\"percent\":30.0}]",
            "[{\"temperature\":40,\"percent\":30},{\"temperature\":40,\"percent\":30,\"x\":1}]",
            "[{\"temperature\":40,\"percent\":30},{\"percent\":30}]",
            "{}", "{\"a\":1}", "{\"a\":{\"b\":[]}}");

    private static String q(String s) {
        return JsonTrees.write(com.fasterxml.jackson.databind.node.TextNode.valueOf(s));
    }

    @Test
    void everyBuiltInType_isCovered() {
        assertThat(VALID.keySet()).containsExactlyInAnyOrderElementsOf(CommandTypes.builtIn().keySet());
        CommandTypes.builtIn().keySet().forEach(name -> assertThat(BuiltInParams.isBuiltIn(name)).isTrue());
        assertThat(BuiltInParams.isBuiltIn("open_door")).isFalse();
    }

    @Test
    void theValidExamples_areValidForBoth() throws Exception {
        for (var e : VALID.entrySet()) {
            JsonNode params = JsonTrees.parse(e.getValue());
            assertThat(CommandTypes.validateBuiltIn(e.getKey(), params)).as(e.getKey()).isEmpty();
            assertThat(BuiltInParams.validate(e.getKey(), params)).as(e.getKey()).isEmpty();
        }
    }

    @Test
    void bothGiveTheSameVerdict_onEveryVariant() throws Exception {
        List<String> disagreements = new ArrayList<>();
        int checked = 0;
        for (var e : VALID.entrySet()) {
            String type = e.getKey();
            for (ObjectNode variant : variants(type, (ObjectNode) JsonTrees.parse(e.getValue()))) {
                boolean full = CommandTypes.validateBuiltIn(type, variant).isEmpty();
                List<String> light = BuiltInParams.validate(type, variant);
                checked++;
                if (full != light.isEmpty()) {
                    disagreements.add(type + " " + JsonTrees.write(variant) + ": full=" + full + " light=" + light);
                }
            }
        }
        assertThat(disagreements).as("of " + checked + " variants").isEmpty();
        assertThat(checked).isGreaterThan(1_000);
    }

    @Test
    void problems_nameWhatIsWrong() throws Exception {
        assertThat(BuiltInParams.validate("set_fan_speed", JsonTrees.parse("{\"fanId\":\"f\",\"percent\":101}")))
                .containsExactly("params.percent: must have a maximum value of 100");
        assertThat(BuiltInParams.validate("set_fan_speed", JsonTrees.parse("{\"percent\":5,\"x\":1}")))
                .anyMatch(p -> p.contains("'fanId'")).anyMatch(p -> p.contains("'x'"));
        assertThat(BuiltInParams.validate("history_request",
                JsonTrees.parse("{\"from\":\"2026-01-02T00:00:00Z\",\"to\":\"2026-01-01T00:00:00Z\"}")))
                .containsExactly("'from' must be before 'to'");
    }

    /** The example; each property replaced by each value or removed; plus an unknown property; for the known property names too. */
    private static List<ObjectNode> variants(String type, ObjectNode valid) throws Exception {
        List<ObjectNode> out = new ArrayList<>();
        out.add(valid.deepCopy());
        List<String> names = new ArrayList<>();
        CommandTypes.builtIn().get(type).schemaJson().path("properties").fieldNames().forEachRemaining(names::add);
        names.add("unknown");
        for (String name : names) {
            ObjectNode removed = valid.deepCopy();
            removed.remove(name);
            out.add(removed);
            for (String v : VALUES) {
                ObjectNode changed = valid.deepCopy();
                changed.set(name, JsonTrees.parse(v));
                out.add(changed);
            }
        }
        for (String v : VALUES) {
            out.add((ObjectNode) JsonTrees.parse("{}").deepCopy());
            ObjectNode both = valid.deepCopy();
            both.put("artifactId", "0b6f6a8e-1234-4abc-9def-0123456789ab");
            both.set("url", JsonTrees.parse(v));
            out.add(both);
        }
        return out;
    }
}
