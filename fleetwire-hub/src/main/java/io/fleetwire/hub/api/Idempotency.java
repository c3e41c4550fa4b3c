package io.fleetwire.hub.api;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;

/**
 * {@code Idempotency-Key} on creating POSTs: the first request with a key creates the resource; a
 * retry with the same key and the same body gets that resource back (header
 * {@code Idempotent-Replayed: true}) instead of a second one; the same key with another body is a
 * 409. Keys are kept for {@link #RETENTION}.
 */
public final class Idempotency {

    public static final String HEADER = "Idempotency-Key";
    public static final Duration RETENTION = Duration.ofHours(24);

    private Idempotency() {
    }

    /** A key and what it was sent with. */
    public record Key(String scope, String key, byte[] requestHash) {
    }

    /** The retried request's resource; thrown inside the transaction to roll it back. */
    public static final class Replay extends RuntimeException {
        private final UUID resourceId;

        Replay(UUID resourceId) {
            super("replay of " + resourceId, null, false, false);
            this.resourceId = resourceId;
        }

        public UUID resourceId() {
            return resourceId;
        }
    }

    /** The request's key, or null without the header; a malformed key is a 400. */
    public static Key of(RoutingContext ctx, String scope) {
        String key = ctx.request().getHeader(HEADER);
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new ApiException.BadRequest("'" + HEADER + "' must be 1–255 visible ASCII characters");
        }
        Buffer body = ctx.body() == null ? null : ctx.body().buffer();
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(scope.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            if (body != null && body.length() > 0) {
                sha.update(canonical(body));
            }
            return new Key(scope, key, sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper CANONICAL = new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** The body with keys sorted and no spacing, so the same JSON written differently is the same request. */
    private static byte[] canonical(Buffer body) {
        try {
            return CANONICAL.writeValueAsBytes(CANONICAL.readValue(body.getBytes(), Object.class));
        } catch (java.io.IOException e) {
            return body.getBytes();
        }
    }

    /**
     * Claims {@code key} for {@code resourceId} inside the creating transaction. Fails with
     * {@link Replay} when an earlier request with the same body holds it, and with a 409 when it
     * was used for a different request. Blocks behind a concurrent first request until it ends.
     */
    public static Future<Void> claim(SqlClient tx, Key key, UUID resourceId) {
        if (key == null) {
            return Future.succeededFuture();
        }
        return tx.preparedQuery("""
                        INSERT INTO idempotency_keys (scope, key, request_hash, resource_id) VALUES ($1, $2, $3, $4)
                        ON CONFLICT (scope, key) DO NOTHING RETURNING resource_id""")
                .execute(Tuple.of(key.scope(), key.key(), Buffer.buffer(key.requestHash()), resourceId))
                .compose(rows -> rows.size() == 1 ? Future.succeededFuture()
                        : tx.preparedQuery("SELECT request_hash, resource_id FROM idempotency_keys WHERE scope = $1 AND key = $2")
                        .execute(Tuple.of(key.scope(), key.key()))
                        .compose(existing -> {
                            var row = existing.iterator().next();
                            if (!Arrays.equals(row.getBuffer(0).getBytes(), key.requestHash())) {
                                return Future.failedFuture(new ApiException.Conflict("'" + HEADER + "' " + key.key()
                                        + " was already used for a different request"));
                            }
                            return Future.failedFuture(new Replay(row.getUUID(1)));
                        }));
    }

    /** Forgets keys older than {@link #RETENTION}. */
    public static Future<Integer> expire(Pool pool) {
        return pool.preparedQuery("DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) RETENTION.toSeconds()))
                .map(rows -> rows.rowCount());
    }

    /** {@code creation}, or, when it failed as a {@link Replay}, the first request's resource from {@code first}. */
    public static <T> Future<T> orReplay(Future<T> creation, java.util.function.Function<UUID, Future<T>> first) {
        return creation.recover(e -> e instanceof Replay r ? first.apply(r.resourceId()) : Future.failedFuture(e));
    }
}
