package io.fleetwire.hub.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A transaction whose statements do not wait for each other: {@code BEGIN}, the statements and
 * {@code COMMIT} are written to one connection back to back (the pg client pipelines them), so a
 * transaction whose statements do not depend on each other's answers costs one round trip instead of
 * one per statement. Under load each round trip waits for the event loop and for a PostgreSQL backend
 * to be scheduled (docs/benchmarks.md, "Command latency under telemetry load").
 *
 * <p>Statements are sent with {@link #add} on {@link #connection()}; {@link #commit} sends
 * {@code COMMIT} after everything sent so far and completes when it is done. PostgreSQL aborts the
 * transaction at the first failing statement and turns a later {@code COMMIT} into a rollback, so
 * {@link #commit} fails, and nothing is committed, when any statement sent before it failed. When the
 * body fails, or ends without committing, the transaction is rolled back. A commit is still a commit:
 * with {@code synchronous_commit} on, {@link #commit} completes after the WAL flush.
 *
 * <p>Threading: the body and the futures run on the caller's context, as any pg-client call.
 */
public final class PipelinedTransaction {

    private final SqlConnection connection;
    private final List<Future<?>> sent = new ArrayList<>();
    private Future<Void> commit;

    private PipelinedTransaction(SqlConnection connection) {
        this.connection = connection;
    }

    /**
     * Runs {@code body} in a transaction on a connection of {@code pool}. The body sends its statements
     * through {@link #add} and ends with {@link #commit} (a body that does not commit is rolled back).
     */
    public static <T> Future<T> run(Pool pool, Function<PipelinedTransaction, Future<T>> body) {
        return pool.withConnection(connection -> {
            PipelinedTransaction tx = new PipelinedTransaction(connection);
            tx.add(connection.query("BEGIN").execute());
            Future<T> result;
            try {
                result = body.apply(tx);
            } catch (RuntimeException e) {
                result = Future.failedFuture(e);
            }
            return result.transform(ar -> {
                if (tx.commit != null && tx.commit.succeeded()) {
                    return ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause());
                }
                // Not committed: end the transaction before the connection goes back to the pool.
                Future<Void> rollback = tx.commit == null ? connection.query("ROLLBACK").execute().mapEmpty()
                        : tx.commit.transform(c -> connection.query("ROLLBACK").execute().mapEmpty());
                return rollback.transform(r -> ar.succeeded()
                        ? Future.failedFuture(new IllegalStateException("the transaction was not committed"))
                        : Future.failedFuture(ar.cause()));
            });
        });
    }

    /** The transaction's connection: statements sent on it go in order, after those sent before. */
    public SqlConnection connection() {
        return connection;
    }

    /** Records a statement sent on {@link #connection()}, so {@link #commit} fails when it fails. */
    public <R> Future<R> add(Future<R> statement) {
        if (commit != null) {
            throw new IllegalStateException("the transaction is already committing");
        }
        sent.add(statement);
        return statement;
    }

    /**
     * Sends {@code COMMIT} now, behind every statement sent so far; completes when the transaction is
     * committed (and flushed), fails when any statement failed (then nothing was committed).
     */
    public Future<Void> commit() {
        if (commit != null) {
            throw new IllegalStateException("the transaction is already committing");
        }
        Future<Void> done = connection.query("COMMIT").execute().mapEmpty();
        List<Future<?>> all = new ArrayList<>(sent);
        all.add(done);
        commit = Future.join(all).transform(ar -> {
            for (Future<?> f : all) {
                if (f.failed()) {
                    return Future.failedFuture(f.cause());
                }
            }
            return Future.succeededFuture();
        });
        return commit;
    }
}
