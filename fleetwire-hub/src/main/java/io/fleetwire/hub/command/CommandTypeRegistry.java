package io.fleetwire.hub.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetwire.hub.api.ApiException;
import io.fleetwire.hub.audit.AuditLog;
import io.fleetwire.hub.bus.Bus;
import io.fleetwire.protocol.CommandTypes;
import io.fleetwire.protocol.ParamsSchema;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The command types a hub accepts: the built-in ones from the protocol module and those operators
 * register ({@code command_types}), each with the JSON schema its params must satisfy. Registered
 * types are cached here; a change is announced on the bus so every hub reloads.
 */
public final class CommandTypeRegistry {

    static final String CHANGED_TOPIC = "command-types.changed";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A registered type. */
    record Custom(String name, String description, JsonObject schema, ParamsSchema compiled, String createdBy,
                  String createdAt) {
        JsonObject toJson() {
            return new JsonObject().put("name", name).put("description", description).put("builtIn", false)
                    .put("schema", schema).put("createdBy", createdBy).put("createdAt", createdAt);
        }
    }

    private final Pool pool;
    private final AuditLog audit;
    private final Bus bus;
    private final Map<String, Custom> custom = new ConcurrentHashMap<>();
    private final ArtifactLookup artifacts;
    /** Tells this hub's own announcements from other hubs'. */
    private final String origin = java.util.UUID.randomUUID().toString();

    /** The SHA-256 of an uploaded artifact, if there is one with that id. */
    @FunctionalInterface
    public interface ArtifactLookup {
        Future<Optional<String>> sha256(java.util.UUID id);
    }

    public CommandTypeRegistry(Pool pool, AuditLog audit, Bus bus, ArtifactLookup artifacts) {
        this.pool = pool;
        this.audit = audit;
        this.bus = bus;
        this.artifacts = artifacts;
        bus.subscribe(CHANGED_TOPIC, e -> {
            if (!origin.equals(e.getString("origin"))) {
                reload();
            }
        });
    }

    /** Loads the registered types; called at start and when another hub changed them. */
    public Future<Void> reload() {
        return pool.query("SELECT name, description, schema, created_by, created_at FROM command_types").execute()
                .map(rows -> {
                    Map<String, Custom> fresh = new ConcurrentHashMap<>();
                    rows.forEach(r -> {
                        JsonObject schema = r.getJsonObject("schema");
                        fresh.put(r.getString("name"), new Custom(r.getString("name"), r.getString("description"), schema,
                                ParamsSchema.compile(node(schema)), r.getString("created_by"),
                                r.getOffsetDateTime("created_at").toInstant().toString()));
                    });
                    custom.keySet().retainAll(fresh.keySet());
                    custom.putAll(fresh);
                    return null;
                });
    }

    /** Throws {@link ApiException.BadRequest} saying why, unless {@code params} suit type {@code type}. */
    public void validate(String type, JsonObject params) {
        JsonNode node = node(params);
        java.util.List<String> problems;
        if (CommandTypes.isBuiltIn(type)) {
            problems = CommandTypes.validateBuiltIn(type, node);
        } else {
            Custom c = custom.get(type);
            if (c == null) {
                throw new ApiException.BadRequest("unknown command type '" + clip(type)
                        + "'; GET /api/v1/command-types lists the known ones");
            }
            problems = c.compiled().validate(node);
        }
        if (!problems.isEmpty()) {
            throw new ApiException.BadRequest("params do not match the schema of '" + type + "': "
                    + String.join("; ", problems));
        }
    }

    /**
     * {@link #validate}, then what needs the database: a {@code software_update} naming an uploaded
     * artifact must name one that exists, with the same SHA-256.
     */
    public Future<Void> check(String type, JsonObject params) {
        validate(type, params);
        if (!"software_update".equals(type) || params.getString("artifactId") == null) {
            return Future.succeededFuture();
        }
        java.util.UUID id;
        try {
            id = io.fleetwire.protocol.DeviceId.parse(params.getString("artifactId")).value();
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new ApiException.BadRequest("'params.artifactId' must be the id of an uploaded artifact"));
        }
        return artifacts.sha256(id).compose(sha -> {
            if (sha.isEmpty()) {
                return Future.failedFuture(new ApiException.BadRequest("no artifact " + id + "; upload it to /api/v1/artifacts first"));
            }
            if (!sha.get().equals(params.getString("sha256"))) {
                return Future.failedFuture(new ApiException.BadRequest("'params.sha256' is not the SHA-256 of artifact " + id
                        + " (" + sha.get() + ")"));
            }
            return Future.succeededFuture();
        });
    }

    public JsonArray list() {
        JsonArray out = new JsonArray();
        CommandTypes.builtIn().values().forEach(t -> out.add(builtInJson(t)));
        custom.values().stream().sorted(java.util.Comparator.comparing(Custom::name)).forEach(c -> out.add(c.toJson()));
        return out;
    }

    public Optional<JsonObject> get(String name) {
        CommandTypes.BuiltIn b = CommandTypes.builtIn().get(name);
        if (b != null) {
            return Optional.of(builtInJson(b));
        }
        return Optional.ofNullable(custom.get(name)).map(Custom::toJson);
    }

    /** Registers or replaces an operator type; true when it was new. */
    public Future<Boolean> put(String name, String description, JsonObject schema, String actor) {
        if (!CommandTypes.isValidName(name)) {
            throw new ApiException.BadRequest("a command type name is 1–64 lower-case letters, digits and _, starting with a letter");
        }
        if (CommandTypes.isBuiltIn(name)) {
            throw new ApiException.Conflict("'" + name + "' is a built-in command type and cannot be replaced");
        }
        try {
            ParamsSchema.compile(node(schema));
        } catch (ParamsSchema.InvalidSchemaException e) {
            throw new ApiException.BadRequest("'schema': " + e.getMessage());
        }
        return pool.withTransaction(tx -> tx.preparedQuery("""
                                INSERT INTO command_types (name, description, schema, created_by) VALUES ($1, $2, $3, $4)
                                ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description, schema = EXCLUDED.schema
                                RETURNING (xmax = 0) AS inserted""")
                        .execute(Tuple.of(name, description, schema, actor))
                        .compose(rows -> {
                            boolean inserted = rows.iterator().next().getBoolean(0);
                            return audit.record(tx, new AuditLog.Entry(actor, inserted ? "command_type.registered"
                                            : "command_type.updated", null, null, null, new JsonObject().put("name", name)))
                                    .map(inserted);
                        }))
                .compose(inserted -> reload().map(inserted))
                .onSuccess(v -> bus.publish(CHANGED_TOPIC, new JsonObject().put("name", name).put("origin", origin)));
    }

    public Future<Void> delete(String name, String actor) {
        if (CommandTypes.isBuiltIn(name)) {
            throw new ApiException.Conflict("'" + name + "' is a built-in command type and cannot be deleted");
        }
        return pool.withTransaction(tx -> tx.preparedQuery("DELETE FROM command_types WHERE name = $1").execute(Tuple.of(name))
                        .compose(rows -> {
                            if (rows.rowCount() == 0) {
                                return Future.failedFuture(new ApiException.NotFound("no command type " + clip(name)));
                            }
                            return audit.record(tx, new AuditLog.Entry(actor, "command_type.deleted", null, null, null,
                                    new JsonObject().put("name", name)));
                        }))
                .compose(v -> reload())
                .onSuccess(v -> bus.publish(CHANGED_TOPIC, new JsonObject().put("name", name).put("origin", origin)));
    }

    private static JsonObject builtInJson(CommandTypes.BuiltIn b) {
        return new JsonObject().put("name", b.name()).put("description", b.description()).put("builtIn", true)
                .put("schema", new JsonObject(b.schemaJson().toString()));
    }

    static JsonNode node(JsonObject o) {
        try {
            return MAPPER.readTree(o.encode());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static com.fasterxml.jackson.databind.node.ObjectNode nodeObject(JsonObject o) {
        return (com.fasterxml.jackson.databind.node.ObjectNode) node(o);
    }

    static String clip(String s) {
        return s == null || s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
