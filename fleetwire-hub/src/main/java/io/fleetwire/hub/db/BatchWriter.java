package io.fleetwire.hub.db;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Groups small writes from many devices into one transaction per batch, in the order they were
 * submitted: the first item after a quiet spell waits at most {@code linger} for company, a batch
 * holds at most {@code batch} items, and exactly one transaction runs at a time, so a later item
 * never commits before an earlier one. An item's future completes after its transaction commits,
 * with what {@link Flush} returned for it. A failed transaction is retried {@value #ATTEMPTS}
 * times, then its items fail.
 *
 * <p>Bounded: at most {@code capacity} items wait; beyond that {@link #submit} fails at once with
 * {@link Full} (the caller's policy decides what that means).
 *
 * <p>Threading: {@link #submit} from any thread; batches are taken and flushed on the writer's own
 * context.
 */
public final class BatchWriter<T, R> {

    static final int ATTEMPTS = 3;
    private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

    /**
     * Writes one batch in the given transaction; answers one result per item, in the items' order,
     * and what to do once the transaction has committed (e.g. publish events).
     */
    @FunctionalInterface
    public interface Flush<T, R> {
        Future<Written<R>> write(SqlClient tx, List<T> items);
    }

    /** A batch's results, one per item, and what runs after its commit, before the items complete. */
    public record Written<R>(List<R> results, Runnable afterCommit) {
    }

    /** Size and timing of batches. */
    public record Config(int capacity, int batch, Duration linger) {
        public Config {
            if (capacity < 1 || batch < 1 || linger.isNegative()) {
                throw new IllegalArgumentException("capacity and batch must be positive, linger not negative");
            }
        }
    }

    /** The queue was full: the item was not taken. */
    public static final class Full extends RuntimeException {
        Full(String name) {
            super(name + " queue is full", null, false, false);
        }
    }

    private record Item<T, R>(T value, Promise<R> done) {
    }

    private final String name;
    private final Vertx vertx;
    private final Context context;
    private final Pool pool;
    private final Config config;
    private final Flush<T, R> flush;
    private final ConcurrentLinkedQueue<Item<T, R>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private boolean flushing;
    private boolean lingering;
    private final List<Promise<Void>> drains = new ArrayList<>();

    public BatchWriter(String name, Vertx vertx, Pool pool, Config config, Flush<T, R> flush) {
        this.name = name;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.pool = pool;
        this.config = config;
        this.flush = flush;
    }

    /** Queues an item; the future completes after its batch commits, or fails ({@link Full} at once when full). */
    public Future<R> submit(T value) {
        if (size.incrementAndGet() > config.capacity()) {
            size.decrementAndGet();
            return Future.failedFuture(new Full(name));
        }
        Promise<R> done = Promise.promise();
        queue.add(new Item<>(value, done));
        if (scheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> {
                scheduled.set(false);
                pump();
            });
        }
        return done.future();
    }

    /** Items waiting or being written. */
    public int depth() {
        return size.get();
    }

    /** Completes when every item submitted so far is committed or failed. */
    public Future<Void> drain() {
        Promise<Void> p = Promise.promise();
        context.runOnContext(v -> {
            drains.add(p);
            pump();
            settleDrains();
        });
        return p.future();
    }

    private void pump() {
        if (flushing || queue.isEmpty()) {
            return;
        }
        if (lingering) {
            if (size.get() >= config.batch()) {
                take();
            }
            return;
        }
        long linger = config.linger().toMillis();
        if (linger > 0 && size.get() < config.batch() && drains.isEmpty()) {
            lingering = true;
            vertx.setTimer(linger, t -> {
                lingering = false;
                take();
            });
            return;
        }
        take();
    }

    private void take() {
        if (flushing || queue.isEmpty()) {
            return;
        }
        List<Item<T, R>> items = new ArrayList<>(Math.min(config.batch(), size.get()));
        Item<T, R> item;
        while (items.size() < config.batch() && (item = queue.poll()) != null) {
            items.add(item);
        }
        flushing = true;
        List<T> values = items.stream().map(Item::value).toList();
        // Completion may arrive on a connection's thread: state is only touched on our context.
        write(values, 1).onComplete(ar -> context.runOnContext(v -> {
            flushing = false;
            size.addAndGet(-items.size());
            if (ar.succeeded() && ar.result().results().size() == items.size()) {
                try {
                    ar.result().afterCommit().run();
                } catch (RuntimeException e) {
                    log.warn("{} batch committed; its follow-up failed: {}", name, e.toString());
                }
                for (int i = 0; i < items.size(); i++) {
                    items.get(i).done().tryComplete(ar.result().results().get(i));
                }
            } else {
                Throwable cause = ar.failed() ? ar.cause() : new IllegalStateException("a result per item was expected");
                items.forEach(i -> i.done().tryFail(cause));
            }
            // What arrived meanwhile has waited already: it goes at once.
            take();
            settleDrains();
        }));
    }

    private void settleDrains() {
        if (!drains.isEmpty() && size.get() == 0 && !flushing) {
            drains.forEach(Promise::tryComplete);
            drains.clear();
        }
    }

    private Future<Written<R>> write(List<T> values, int attempt) {
        return pool.withTransaction(tx -> flush.write(tx, values)).recover(e -> {
            if (attempt >= ATTEMPTS) {
                log.error("{} batch of {} items failed {} times: {}", name, values.size(), attempt, e.getMessage());
                return Future.failedFuture(e);
            }
            log.warn("{} batch failed (attempt {}), retrying: {}", name, attempt, e.getMessage());
            Promise<Written<R>> retry = Promise.promise();
            vertx.setTimer(100L * attempt, t -> write(values, attempt + 1).onComplete(retry));
            return retry.future();
        });
    }
}
