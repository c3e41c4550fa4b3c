package io.fleetwire.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The command types every hub and agent know, each with the JSON schema of its params
 * ({@code command-types.json} beside this class). The hub validates params against it when a
 * command is created, and the agent again before it runs one.
 */
public final class CommandTypes {

    /** What a command type name looks like: lower-case letters, digits and {@code _}, starting with a letter. */
    public static final Pattern NAME = CommandTypeName.PATTERN;

    /** A built-in type. */
    public record BuiltIn(String name, String description, JsonNode schemaJson, ParamsSchema schema) {
    }

    private static final Map<String, BuiltIn> BUILT_IN = load();

    private CommandTypes() {
    }

    public static boolean isValidName(String name) {
        return CommandTypeName.isValid(name);
    }

    /** Every built-in type by name, in a stable order. */
    public static Map<String, BuiltIn> builtIn() {
        return BUILT_IN;
    }

    public static boolean isBuiltIn(String name) {
        return BUILT_IN.containsKey(name);
    }

    /**
     * The problems with {@code params} for built-in type {@code name}: its schema's findings, then
     * the rules a schema cannot say (a history range must run forwards). Empty when valid.
     */
    public static List<String> validateBuiltIn(String name, JsonNode params) {
        BuiltIn type = BUILT_IN.get(name);
        if (type == null) {
            throw new IllegalArgumentException("not a built-in command type: " + name);
        }
        List<String> problems = type.schema().validate(params);
        return problems.isEmpty() ? BuiltInParams.beyondSchema(name, params) : problems;
    }

    private static Map<String, BuiltIn> load() {
        try (InputStream in = CommandTypes.class.getResourceAsStream("command-types.json")) {
            if (in == null) {
                throw new IllegalStateException("command-types.json is missing from the protocol jar");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, BuiltIn> out = new LinkedHashMap<>();
            List<String> names = new ArrayList<>();
            root.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode entry = root.get(name);
                JsonNode schema = entry.get("schema");
                out.put(name, new BuiltIn(name, entry.path("description").asText(), schema, ParamsSchema.compile(schema)));
            }
            return Collections.unmodifiableMap(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
