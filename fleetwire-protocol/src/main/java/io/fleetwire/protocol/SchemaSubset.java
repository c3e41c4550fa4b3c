package io.fleetwire.protocol;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A JSON schema validator for just the keywords the built-in command schemas use ({@code
 * command-types.json}): {@code type}, {@code properties}, {@code additionalProperties: false},
 * {@code required}, {@code enum}, {@code minimum}/{@code maximum}, {@code minLength}/{@code
 * maxLength} (in code points), {@code pattern}, {@code format} ({@code uri}, {@code date-time}),
 * {@code items}, {@code minItems}/{@code maxItems}, {@code minProperties}/{@code maxProperties} and
 * {@code oneOf}. The agent checks built-in params with it instead of the full draft 2020-12
 * validator, whose classes and {@code ObjectMapper} cost an agent 8 MB for good after its first
 * command (agent footprint, docs/benchmarks.md); the hub keeps the full one, and a test holds the
 * two to the same verdicts. A schema with any other keyword is refused when it is compiled.
 */
final class SchemaSubset {

    private static final Set<String> KEYWORDS = Set.of("type", "properties", "additionalProperties", "required", "enum",
            "minimum", "maximum", "minLength", "maxLength", "pattern", "format", "items", "minItems", "maxItems",
            "minProperties", "maxProperties", "oneOf", "default", "description");

    private static final Pattern ABSOLUTE_URI =
            Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:([A-Za-z0-9._~!$&'()*+,;=:@/?#\\[\\]-]|%[0-9A-Fa-f]{2})*");

    private final JsonNode schema;
    private final Map<String, Pattern> patterns;

    private SchemaSubset(JsonNode schema, Map<String, Pattern> patterns) {
        this.schema = schema;
        this.patterns = patterns;
    }

    /** Checks that {@code schema} uses only the keywords above; compiles its patterns. */
    static SchemaSubset compile(JsonNode schema) {
        Map<String, Pattern> patterns = new java.util.HashMap<>();
        check(schema, patterns);
        return new SchemaSubset(schema, patterns);
    }

    private static void check(JsonNode s, Map<String, Pattern> patterns) {
        if (!s.isObject()) {
            throw new IllegalStateException("a schema must be an object: " + JsonTrees.write(s));
        }
        for (Map.Entry<String, JsonNode> e : s.properties()) {
            String k = e.getKey();
            if (!KEYWORDS.contains(k)) {
                throw new IllegalStateException("keyword '" + k + "' is not supported by SchemaSubset");
            }
            switch (k) {
                case "properties" -> e.getValue().properties().forEach(p -> check(p.getValue(), patterns));
                case "items" -> check(e.getValue(), patterns);
                case "oneOf" -> e.getValue().forEach(sub -> check(sub, patterns));
                case "additionalProperties" -> {
                    if (!e.getValue().isBoolean() || e.getValue().booleanValue()) {
                        throw new IllegalStateException("only 'additionalProperties: false' is supported");
                    }
                }
                case "format" -> {
                    if (!e.getValue().asText().equals("uri") && !e.getValue().asText().equals("date-time")) {
                        throw new IllegalStateException("format '" + e.getValue().asText() + "' is not supported");
                    }
                }
                case "pattern" -> patterns.put(e.getValue().asText(), Pattern.compile(e.getValue().asText()));
                default -> { }
            }
        }
    }

    /** The problems with {@code value}, each naming where it is; empty when valid. */
    List<String> validate(JsonNode value) {
        List<String> problems = new ArrayList<>();
        validate(schema, value, "params", problems);
        return problems;
    }

    private void validate(JsonNode s, JsonNode v, String at, List<String> out) {
        JsonNode type = s.get("type");
        if (type != null && !hasType(v, type.asText())) {
            out.add(at + ": " + kind(v) + " found, " + type.asText() + " expected");
            return;
        }
        JsonNode en = s.get("enum");
        if (en != null && !contains(en, v)) {
            out.add(at + ": does not have a value in the enumeration " + JsonTrees.write(en));
        }
        if (v.isNumber()) {
            number(s, v, at, out);
        } else if (v.isTextual()) {
            text(s, v.textValue(), at, out);
        } else if (v.isArray()) {
            array(s, v, at, out);
        } else if (v.isObject()) {
            object(s, v, at, out);
        }
        JsonNode oneOf = s.get("oneOf");
        if (oneOf != null) {
            int matching = 0;
            for (JsonNode sub : oneOf) {
                List<String> subProblems = new ArrayList<>();
                validate(sub, v, at, subProblems);
                matching += subProblems.isEmpty() ? 1 : 0;
            }
            if (matching != 1) {
                out.add(at + ": must be valid against exactly one of " + JsonTrees.write(oneOf) + " (" + matching + " are)");
            }
        }
    }

    private static boolean hasType(JsonNode v, String type) {
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "number" -> v.isNumber();
            case "integer" -> v.isIntegralNumber() || v.isNumber() && isWhole(v);
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> throw new IllegalStateException("unknown type '" + type + "'");
        };
    }

    private static boolean isWhole(JsonNode v) {
        try {
            return v.decimalValue().stripTrailingZeros().scale() <= 0;
        } catch (NumberFormatException e) {
            return false; // NaN or infinite
        }
    }

    private static String kind(JsonNode v) {
        return v.isIntegralNumber() ? "integer" : v.isNumber() ? "number" : v.isTextual() ? "string"
                : v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static boolean contains(JsonNode options, JsonNode v) {
        for (JsonNode o : options) {
            if (o.equals(v) || o.isNumber() && v.isNumber() && o.decimalValue().compareTo(v.decimalValue()) == 0) {
                return true;
            }
        }
        return false;
    }

    private static void number(JsonNode s, JsonNode v, String at, List<String> out) {
        if (s.has("minimum") && v.decimalValue().compareTo(s.get("minimum").decimalValue()) < 0) {
            out.add(at + ": must have a minimum value of " + s.get("minimum").asText());
        }
        if (s.has("maximum") && v.decimalValue().compareTo(s.get("maximum").decimalValue()) > 0) {
            out.add(at + ": must have a maximum value of " + s.get("maximum").asText());
        }
    }

    private void text(JsonNode s, String v, String at, List<String> out) {
        int length = v.codePointCount(0, v.length());
        if (s.has("minLength") && length < s.get("minLength").asInt()) {
            out.add(at + ": must be at least " + s.get("minLength").asInt() + " characters long");
        }
        if (s.has("maxLength") && length > s.get("maxLength").asInt()) {
            out.add(at + ": must be at most " + s.get("maxLength").asInt() + " characters long");
        }
        if (s.has("pattern") && !patterns.get(s.get("pattern").asText()).matcher(v).find()) {
            out.add(at + ": does not match the regex pattern " + s.get("pattern").asText());
        }
        if (s.has("format") && !hasFormat(s.get("format").asText(), v)) {
            out.add(at + ": does not match the " + s.get("format").asText() + " pattern");
        }
    }

    private static boolean hasFormat(String format, String v) {
        if (format.equals("uri")) {
            // RFC 3986 absolute URI: a scheme, then only characters a URI may hold (java.net.URI follows
            // RFC 2396 and refuses some that RFC 3986 allows, such as "https://").
            return ABSOLUTE_URI.matcher(v).matches();
        }
        // date-time (RFC 3339): full date, 'T', time with seconds, an offset.
        if (!v.matches("\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})")) {
            return false;
        }
        try {
            OffsetDateTime.parse(v.toUpperCase(java.util.Locale.ROOT));
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private void array(JsonNode s, JsonNode v, String at, List<String> out) {
        if (s.has("minItems") && v.size() < s.get("minItems").asInt()) {
            out.add(at + ": must have at least " + s.get("minItems").asInt() + " items");
        }
        if (s.has("maxItems") && v.size() > s.get("maxItems").asInt()) {
            out.add(at + ": must have at most " + s.get("maxItems").asInt() + " items");
        }
        JsonNode items = s.get("items");
        if (items != null) {
            for (int i = 0; i < v.size(); i++) {
                validate(items, v.get(i), at + "[" + i + "]", out);
            }
        }
    }

    private void object(JsonNode s, JsonNode v, String at, List<String> out) {
        if (s.has("minProperties") && v.size() < s.get("minProperties").asInt()) {
            out.add(at + ": must have at least " + s.get("minProperties").asInt() + " properties");
        }
        if (s.has("maxProperties") && v.size() > s.get("maxProperties").asInt()) {
            out.add(at + ": must have at most " + s.get("maxProperties").asInt() + " properties");
        }
        for (JsonNode r : s.path("required")) {
            if (!v.has(r.asText())) {
                out.add(at + ": required property '" + r.asText() + "' not found");
            }
        }
        JsonNode properties = s.path("properties");
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            JsonNode sub = properties.get(e.getKey());
            if (sub != null) {
                validate(sub, e.getValue(), at + "." + e.getKey(), out);
            } else if (s.has("additionalProperties")) {
                out.add(at + ": property '" + e.getKey() + "' is not defined in the schema and the schema does not allow additional properties");
            }
        }
    }
}
