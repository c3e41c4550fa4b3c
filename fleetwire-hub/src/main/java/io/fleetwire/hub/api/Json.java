package io.fleetwire.hub.api;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reading and answering JSON in routes; every problem becomes an {@link ApiException.BadRequest}. */
public final class Json {

    private Json() {
    }

    /** The request body as a JSON object; an empty body is an empty object. */
    public static JsonObject body(RoutingContext ctx) {
        var body = ctx.body();
        if (body == null || body.buffer() == null || body.length() == 0) {
            return new JsonObject();
        }
        try {
            Object value = io.vertx.core.json.Json.decodeValue(body.buffer());
            if (value instanceof JsonObject o) {
                for (var e : o) {
                    String at = nulAt(e.getValue(), e.getKey());
                    if (at != null || e.getKey().indexOf('\0') >= 0) {
                        throw new ApiException.BadRequest("'" + e.getKey().replace('\0', '\uFFFD') + "' holds the NUL character"
                                + " (U+0000) at " + (at == null ? "its name" : at.replace('\0', '\uFFFD'))
                                + ", which cannot be stored");
                    }
                }
                return o;
            }
        } catch (DecodeException e) {
            throw new ApiException.BadRequest("body is not valid JSON");
        }
        throw new ApiException.BadRequest("body must be a JSON object");
    }

    /** Where in {@code value} (a dotted path from {@code path}) a string or key holds U+0000; null when nowhere. */
    private static String nulAt(Object value, String path) {
        switch (value) {
            case String s -> {
                return s.indexOf('\0') >= 0 ? path : null;
            }
            case JsonObject o -> {
                for (var e : o) {
                    String at = e.getKey().indexOf('\0') >= 0 ? path + "." + e.getKey() : nulAt(e.getValue(), path + "." + e.getKey());
                    if (at != null) {
                        return at;
                    }
                }
                return null;
            }
            case io.vertx.core.json.JsonArray a -> {
                for (int i = 0; i < a.size(); i++) {
                    String at = nulAt(a.getValue(i), path + "[" + i + "]");
                    if (at != null) {
                        return at;
                    }
                }
                return null;
            }
            case null, default -> {
                return null;
            }
        }
    }

    /** True when a string or key anywhere in the value holds U+0000, which PostgreSQL cannot store. */
    public static boolean containsNul(Object value) {
        return nulAt(value, "") != null;
    }

    /** Refuses a field that is not in {@code allowed}, naming it and the allowed ones: typos do not pass silently. */
    public static void onlyFields(JsonObject body, java.util.Set<String> allowed) {
        for (String field : body.fieldNames()) {
            if (!allowed.contains(field)) {
                String shown = field.length() <= 64 ? field : field.substring(0, 64) + "…";
                throw new ApiException.BadRequest("unknown field '" + shown + "'; allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
    }

    public static String string(JsonObject o, String field, int maxLength, boolean required) {
        Object v = o.getValue(field);
        if (v == null) {
            if (required) {
                throw new ApiException.BadRequest("'" + field + "' is required");
            }
            return null;
        }
        if (!(v instanceof String s) || s.isBlank() || s.length() > maxLength) {
            throw new ApiException.BadRequest("'" + field + "' must be a non-blank string of at most "
                    + maxLength + " characters");
        }
        return s;
    }

    public static Integer integer(JsonObject o, String field, int min, int max) {
        Object v = o.getValue(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                || n.longValue() < min || n.longValue() > max) {
            throw new ApiException.BadRequest("'" + field + "' must be an integer between " + min + " and " + max);
        }
        return n.intValue();
    }

    public static JsonObject object(JsonObject o, String field) {
        Object v = o.getValue(field);
        if (v == null) {
            return new JsonObject();
        }
        if (!(v instanceof JsonObject obj)) {
            throw new ApiException.BadRequest("'" + field + "' must be an object");
        }
        return obj;
    }

    /** Labels: at most 64 string → string pairs, keys 1–63 characters, values at most 256. */
    public static Map<String, String> labels(JsonObject o) {
        JsonObject labels = object(o, "labels");
        if (labels.size() > 64) {
            throw new ApiException.BadRequest("'labels' may hold at most 64 entries");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : labels) {
            if (e.getKey().isEmpty() || e.getKey().length() > 63
                    || !e.getKey().matches("[A-Za-z0-9_.\\-/]+")) {
                throw new ApiException.BadRequest("label key '" + e.getKey()
                        + "' must be 1–63 characters of letters, digits and _ . - /");
            }
            if (!(e.getValue() instanceof String s) || s.length() > 256) {
                throw new ApiException.BadRequest("label '" + e.getKey() + "' must have a string value of at most 256 characters");
            }
            out.put(e.getKey(), s);
        }
        return out;
    }
}
