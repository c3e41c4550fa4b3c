package io.fleetwire.hub.db;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlClient;

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
    private final Pool telemetryPool;
    private final SqlClient authClient;

    private Database(EmbeddedDatabase embedded, DbUrl url, Pool pool, Pool telemetryPool, SqlClient authClient) {
        this.embedded = embedded;
        this.url = url;
        this.pool = pool;
        this.telemetryPool = telemetryPool;
        this.authClient = authClient;
    }

    /** Connections kept for device token lookups at the socket upgrade (each carries many lookups at once). */
    public static final int AUTH_CONNECTIONS = 2;

    /** Connections kept for the telemetry writer's transactions (its in-flight limit). */
    public static final int TELEMETRY_CONNECTIONS = 2;

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
                    // A reconnect storm queues one presence write per socket that ends and per socket that
                    // opens: the queue must hold them all (memory only) rather than fail them.
                    .with(new PoolOptions().setMaxSize(poolSize).setMaxWaitQueueSize(200_000))
                    .connectingTo(connect)
                    .using(vertx)
                    .build();
            // Telemetry commits get connections of their own: a connect storm's presence writes queue
            // in the main pool and must not hold acknowledgements back (seen: 8 s for the first commit).
            Pool telemetryPool = PgBuilder.pool()
                    .with(new PoolOptions().setMaxSize(TELEMETRY_CONNECTIONS).setMaxWaitQueueSize(1_000))
                    .connectingTo(connect)
                    .using(vertx)
                    .build();
            // Token lookups at the upgrade get connections of their own too: behind a storm's presence
            // writes they timed out together, and the devices retried together (seen at 10,000 devices).
            // Pipelined (a client, not a pool): a lookup does not hold a connection to itself, so a storm's
            // lookups are all on the wire at once. Leased one at a time, each held its connection across
            // hops between the busy event loops of the HTTP servers, and the others queued for one of the
            // two connections: in a 6,000-device storm the round trip took p50 < 1 ms, the wait for a
            // connection up to p50 0.66 s per 2 s window, 1.2-4.8 s while the loops lagged (docs/benchmarks.md,
            // "Reconnect storm: where the upgrades waited").
            SqlClient authClient = PgBuilder.client()
                    .with(new PoolOptions().setMaxSize(AUTH_CONNECTIONS).setMaxWaitQueueSize(10_000))
                    .connectingTo(connect)
                    .using(vertx)
                    .build();
            return new Database(embedded, url, pool, telemetryPool, authClient);
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

    /** The device token lookups' own pipelined client ({@value #AUTH_CONNECTIONS} connections, up to 256 queries in flight on each). */
    public SqlClient authClient() {
        return authClient;
    }

    /** The telemetry writer's own pool ({@value #TELEMETRY_CONNECTIONS} connections). */
    public Pool telemetryPool() {
        return telemetryPool;
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
            telemetryPool.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
            authClient.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
        if (embedded != null) {
            embedded.close();
        }
    }
}
