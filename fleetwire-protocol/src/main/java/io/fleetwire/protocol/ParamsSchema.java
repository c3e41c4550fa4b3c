package io.fleetwire.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled JSON schema (draft 2020-12) for one command type's params. Schemas never load
 * anything from the network: a {@code $ref} must point inside the schema itself.
 */
public final class ParamsSchema {

    /** Most problems reported for one document. */
    private static final int MAX_PROBLEMS = 10;
    /** Longest schema accepted, as JSON text. */
    public static final int MAX_SCHEMA_CHARS = 64 * 1024;

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())
                    .schemaLoader(l -> l.fetchRemoteResources(false)));
    private static final Schema META = REGISTRY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    private final Schema schema;

    private ParamsSchema(Schema schema) {
        this.schema = schema;
    }

    /**
     * Compiles a schema; throws {@link InvalidSchemaException} saying what is wrong when it is not
     * an object, is too large, breaks the draft 2020-12 meta-schema or refers outside itself.
     */
    public static ParamsSchema compile(JsonNode schemaJson) {
        if (schemaJson == null || !schemaJson.isObject()) {
            throw new InvalidSchemaException("a schema must be a JSON object");
        }
        String text = schemaJson.toString();
        if (text.length() > MAX_SCHEMA_CHARS) {
            throw new InvalidSchemaException("a schema may be at most " + MAX_SCHEMA_CHARS + " characters of JSON");
        }
        List<String> metaProblems = messages(META.validate(schemaJson));
        if (!metaProblems.isEmpty()) {
            throw new InvalidSchemaException("not a valid JSON schema (draft 2020-12): " + String.join("; ", metaProblems));
        }
        try {
            Schema schema = REGISTRY.getSchema(text, InputFormat.JSON);
            schema.initializeValidators();
            return new ParamsSchema(schema);
        } catch (SchemaException | IllegalArgumentException | IllegalStateException e) {
            throw new InvalidSchemaException("the schema cannot be used: " + MessageCodec.clip(String.valueOf(e.getMessage())));
        }
    }

    /** What is wrong with {@code params}, one line per problem (at most ten); empty when valid. */
    public List<String> validate(JsonNode params) {
        try {
            return messages(schema.validate(params));
        } catch (SchemaException | IllegalArgumentException | IllegalStateException e) {
            return List.of("params could not be checked: " + MessageCodec.clip(String.valueOf(e.getMessage())));
        }
    }

    private static List<String> messages(List<Error> errors) {
        List<String> out = new ArrayList<>();
        for (Error e : errors) {
            if (out.size() == MAX_PROBLEMS) {
                out.add("…and " + (errors.size() - MAX_PROBLEMS) + " more");
                break;
            }
            out.add("params" + e);
        }
        return out;
    }

    /** The schema itself is unusable. */
    public static final class InvalidSchemaException extends RuntimeException {
        public InvalidSchemaException(String message) {
            super(message);
        }
    }
}
