package io.fleetwire.hub.db;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The hub's one store: an external PostgreSQL when a URL is given, else an embedded one in the data
 * directory. Migrated on open; queries go through the reactive {@link #pool()} on the event loops.
 */
public final class Database implements AutoCloseable {

    private final EmbeddedDatabase embedded;
    private final DbUrl url;
    private final Pool pool;

    private Database(EmbeddedDatabase embedded, DbUrl url, Pool pool) {
        this.embedded = embedded;
        this.url = url;
        this.pool = pool;
    }

    /** Blocking: starts the embedded server if needed and migrates the schema. */
    public static Database open(Vertx vertx, Optional<String> externalUrl, Path dataDir, int poolSize) {
        EmbeddedDatabase embedded = null;
        DbUrl url;
        if (externalUrl.isPresent()) {
            url = DbUrl.parse(externalUrl.get());
        } else {
            embedded = EmbeddedDatabase.start(dataDir.resolve("pg"));
            url = embedded.url();
        }
        try {
            Migrations.apply(url);
            PgConnectOptions connect = new PgConnectOptions()
                    .setHost(url.host())
                    .setPort(url.port())
                    .setDatabase(url.database())
                    .setUser(url.user())
                    .setCachePreparedStatements(true)
                    .setPipeliningLimit(256);
            if (url.password() != null) {
                connect.setPassword(url.password());
            }
            Pool pool = PgBuilder.pool()
                    .with(new PoolOptions().setMaxSize(poolSize).setMaxWaitQueueSize(10_000))
                    .connectingTo(connect)
                    .using(vertx)
                    .build();
            return new Database(embedded, url, pool);
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    public Pool pool() {
        return pool;
    }

    public DbUrl url() {
        return url;
    }

    public boolean embedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        try {
            pool.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
        if (embedded != null) {
            embedded.close();
        }
    }
}
