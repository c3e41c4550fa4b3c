package io.fleetwire.hub.device;

import io.fleetwire.hub.api.ApiException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/** SQL for {@code enrollment_tokens}: admin-made secrets with which agents register themselves. */
public final class EnrollmentRepository {

    private final Pool pool;

    public EnrollmentRepository(Pool pool) {
        this.pool = pool;
    }

    public Future<Void> insert(UUID id, String name, byte[] hash, Instant expiresAt, Integer maxUses) {
        return pool.preparedQuery("INSERT INTO enrollment_tokens (id, name, token_hash, expires_at, max_uses) VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.from(Arrays.asList(id, name, Buffer.buffer(hash),
                        expiresAt == null ? null : expiresAt.atOffset(ZoneOffset.UTC), maxUses)))
                .<Void>mapEmpty()
                .recover(e -> Future.failedFuture(DeviceRepository.isUnique(e, "enrollment_tokens_name_key")
                        ? new ApiException.Conflict("an enrollment token named '" + name + "' already exists") : e));
    }

    public Future<JsonArray> list() {
        return pool.query("SELECT * FROM enrollment_tokens ORDER BY created_at, id").execute().map(rows -> {
            JsonArray out = new JsonArray();
            rows.forEach(r -> out.add(toJson(r)));
            return out;
        });
    }

    public Future<Boolean> revoke(UUID id) {
        return pool.preparedQuery("UPDATE enrollment_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(id)).map(rows -> rows.rowCount() == 1);
    }

    /** The usable token with this hash, locked for the registration's transaction. */
    public Future<Optional<UUID>> findUsable(SqlClient tx, byte[] hash) {
        return tx.preparedQuery("""
                        SELECT id FROM enrollment_tokens WHERE token_hash = $1 AND revoked_at IS NULL
                          AND (expires_at IS NULL OR expires_at > now()) FOR UPDATE""")
                .execute(Tuple.of(Buffer.buffer(hash)))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID(0)));
    }

    /** Counts one use; fails with 401 when the token has no uses left. */
    public Future<Void> use(SqlClient tx, UUID id) {
        return tx.preparedQuery("UPDATE enrollment_tokens SET uses = uses + 1 WHERE id = $1 AND (max_uses IS NULL OR uses < max_uses)")
                .execute(Tuple.of(id))
                .compose(rows -> rows.rowCount() == 1 ? Future.<Void>succeededFuture()
                        : Future.failedFuture(new ApiException.Unauthorized("enrollment token has no uses left")));
    }

    static JsonObject toJson(Row r) {
        OffsetDateTime expires = r.getOffsetDateTime("expires_at");
        OffsetDateTime revoked = r.getOffsetDateTime("revoked_at");
        return new JsonObject()
                .put("id", r.getUUID("id").toString())
                .put("name", r.getString("name"))
                .put("createdAt", r.getOffsetDateTime("created_at").toInstant().toString())
                .put("expiresAt", expires == null ? null : expires.toInstant().toString())
                .put("maxUses", r.getInteger("max_uses"))
                .put("uses", r.getInteger("uses"))
                .put("revoked", revoked != null);
    }
}
