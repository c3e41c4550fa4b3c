package io.fleetwire.hub.artifact;

import io.fleetwire.hub.api.ApiException;
import io.fleetwire.hub.audit.AuditLog;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/** Uploaded artifacts in PostgreSQL ({@code artifacts}), addressed by id and checked by SHA-256. */
public final class ArtifactStore {

    private static final String META = "id, name, sha256, size, created_by, created_at";

    private final Pool pool;
    private final AuditLog audit;

    public ArtifactStore(Pool pool, AuditLog audit) {
        this.pool = pool;
        this.audit = audit;
    }

    public Future<JsonObject> save(String name, Buffer content, String actor) {
        UUID id = UUID.randomUUID();
        String sha = sha256(content.getBytes());
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO artifacts (id, name, sha256, size, content, created_by) "
                                + "VALUES ($1, $2, $3, $4, $5, $6) RETURNING " + META)
                        .execute(Tuple.of(id, name, sha, (long) content.length(), content, actor))
                        .compose(rows -> audit.record(tx, new AuditLog.Entry(actor, "artifact.uploaded", null, null, null,
                                        new JsonObject().put("artifactId", id.toString()).put("name", name).put("sha256", sha)))
                                .map(v -> json(rows.iterator().next()))));
    }

    public Future<Optional<JsonObject>> find(UUID id) {
        return pool.preparedQuery("SELECT " + META + " FROM artifacts WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(json(rows.iterator().next())));
    }

    public Future<JsonArray> list() {
        return pool.query("SELECT " + META + " FROM artifacts ORDER BY created_at DESC").execute().map(rows -> {
            JsonArray out = new JsonArray();
            rows.forEach(r -> out.add(json(r)));
            return out;
        });
    }

    public Future<Optional<String>> sha256(UUID id) {
        return find(id).map(a -> a.map(o -> o.getString("sha256")));
    }

    public Future<Optional<Buffer>> content(UUID id) {
        return pool.preparedQuery("SELECT content FROM artifacts WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getBuffer(0)));
    }

    public Future<Void> delete(UUID id, String actor) {
        return pool.withTransaction(tx -> tx.preparedQuery("DELETE FROM artifacts WHERE id = $1").execute(Tuple.of(id))
                .compose(rows -> rows.rowCount() == 0 ? Future.failedFuture(new ApiException.NotFound("no artifact " + id))
                        : audit.record(tx, new AuditLog.Entry(actor, "artifact.deleted", null, null, null,
                        new JsonObject().put("artifactId", id.toString())))));
    }

    private static JsonObject json(Row r) {
        return new JsonObject()
                .put("id", r.getUUID("id").toString())
                .put("name", r.getString("name"))
                .put("sha256", r.getString("sha256"))
                .put("size", r.getLong("size"))
                .put("createdBy", r.getString("created_by"))
                .put("createdAt", r.getOffsetDateTime("created_at").toInstant().toString());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
