package io.fleetwire.protocol;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The params check for built-in command types that the agent runs before a command: the same
 * schemas as {@link CommandTypes} ({@code command-types.json}) and the same rules beyond them, but
 * checked by {@link SchemaSubset} instead of the full JSON schema validator, so an agent that runs
 * commands does not load that validator (agent footprint, docs/benchmarks.md). Verdicts match
 * {@link CommandTypes#validateBuiltIn}; the wording of problems may differ.
 */
public final class BuiltInParams {

    private static final Map<String, SchemaSubset> SCHEMAS = load();

    private BuiltInParams() {
    }

    public static boolean isBuiltIn(String name) {
        return SCHEMAS.containsKey(name);
    }

    /** The problems with {@code params} for built-in type {@code name}; empty when valid. */
    public static List<String> validate(String name, JsonNode params) {
        SchemaSubset schema = SCHEMAS.get(name);
        if (schema == null) {
            throw new IllegalArgumentException("not a built-in command type: " + name);
        }
        List<String> problems = schema.validate(params);
        return problems.isEmpty() ? beyondSchema(name, params) : problems;
    }

    /** The rules a schema cannot say: a history range must run forwards. */
    static List<String> beyondSchema(String name, JsonNode params) {
        if (name.equals("history_request")) {
            try {
                Instant from = Instant.parse(params.path("from").asText());
                Instant to = Instant.parse(params.path("to").asText());
                if (!from.isBefore(to)) {
                    return List.of("'from' must be before 'to'");
                }
            } catch (DateTimeParseException e) {
                return List.of("'from' and 'to' must be instants such as 2026-01-01T00:00:00Z");
            }
        }
        return List.of();
    }

    private static Map<String, SchemaSubset> load() {
        try (InputStream in = BuiltInParams.class.getResourceAsStream("command-types.json")) {
            if (in == null) {
                throw new IllegalStateException("command-types.json is missing from the protocol jar");
            }
            JsonNode root = JsonTrees.parse(in.readAllBytes());
            Map<String, SchemaSubset> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : root.properties()) {
                out.put(e.getKey(), SchemaSubset.compile(e.getValue().get("schema")));
            }
            return Collections.unmodifiableMap(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
