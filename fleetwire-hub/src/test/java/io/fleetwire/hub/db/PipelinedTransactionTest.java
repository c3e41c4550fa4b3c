package io.fleetwire.hub.db;

import io.fleetwire.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PipelinedTransaction} against a real PostgreSQL: statements sent together commit together,
 * one failure commits nothing, and the connection goes back to the pool outside any transaction
 * (the pool has one connection, so every test's next transaction runs on it).
 */
class PipelinedTransactionTest {

    private static Vertx vertx;
    private static Pool pool;
    private static String url;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(TestDatabase.reachable(), "no PostgreSQL for tests");
        url = TestDatabase.newDatabase();
        DbUrl db = DbUrl.parse(url);
        vertx = Vertx.vertx();
        PgConnectOptions connect = new PgConnectOptions().setHost(db.host()).setPort(db.port()).setDatabase(db.database())
                .setUser(db.user()).setPipeliningLimit(256).setCachePreparedStatements(true);
        if (db.password() != null) {
            connect.setPassword(db.password());
        }
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(connect).using(vertx).build();
        await(pool.query("CREATE TABLE t (id int PRIMARY KEY)").execute());
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) {
            await(pool.close());
            await(vertx.close());
        }
    }

    @Test
    void statementsSentTogether_areCommittedByOneCommit() throws Exception {
        int result = await(PipelinedTransaction.run(pool, tx -> {
            tx.add(insert(tx, 1));
            Future<?> second = tx.add(insert(tx, 2));
            return tx.commit().map(v -> second.succeeded() ? 2 : 0);
        }));

        assertThat(result).isEqualTo(2);
        assertThat(count("id IN (1, 2)")).isEqualTo(2);
    }

    @Test
    void aFailingStatement_failsTheCommit_andNothingSentWithItIsCommitted() throws Exception {
        await(PipelinedTransaction.run(pool, tx -> {
            tx.add(insert(tx, 10));
            return tx.commit();
        }));

        // 11 is sent before the duplicate, 12 after it: neither may be committed.
        assertThatThrownBy(() -> await(PipelinedTransaction.run(pool, tx -> {
            tx.add(insert(tx, 11));
            tx.add(insert(tx, 10));
            tx.add(insert(tx, 12));
            return tx.commit();
        }))).hasMessageContaining("duplicate key");

        assertThat(count("id IN (11, 12)")).isZero();
        assertThat(count("id = 10")).isEqualTo(1);
    }

    @Test
    void aBodyThatFailsBeforeCommitting_isRolledBack_andTheConnectionIsCleanAfterwards() throws Exception {
        assertThatThrownBy(() -> await(PipelinedTransaction.run(pool, tx -> {
            tx.add(insert(tx, 20));
            return Future.failedFuture(new IllegalStateException("changed my mind"));
        }))).hasMessageContaining("changed my mind");
        assertThatThrownBy(() -> await(PipelinedTransaction.run(pool, tx -> {
            tx.add(insert(tx, 21));
            return Future.succeededFuture("forgot to commit");
        }))).hasMessageContaining("not committed");

        assertThat(count("id IN (20, 21)")).isZero();
        // The one connection is outside a transaction: a plain statement on it is committed at once.
        await(pool.preparedQuery("INSERT INTO t (id) VALUES ($1)").execute(Tuple.of(22)));
        assertThat(count("id = 22")).isEqualTo(1);
    }

    private static Future<?> insert(PipelinedTransaction tx, int id) {
        return tx.connection().preparedQuery("INSERT INTO t (id) VALUES ($1)").execute(Tuple.of(id));
    }

    private static long count(String where) {
        return TestDatabase.queryLong(url, "SELECT count(*) FROM t WHERE " + where);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
