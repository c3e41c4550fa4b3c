package io.fleetwire.hub.telemetry;

import io.fleetwire.hub.ops.HubMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Batches telemetry from every device into few transactions. Messages wait in a bounded queue
 * ({@code FLEETWIRE_TELEMETRY_QUEUE}); when it is full {@link #submit} refuses at once (the caller
 * answers {@code overloaded}, counted in {@code fleetwire_telemetry_dropped_total}). Up to
 * {@value #MAX_IN_FLIGHT} transactions run at a time, each of at most {@code batch} messages; a
 * message's promise completes only after its transaction commits. A failed transaction is retried
 * {@value #ATTEMPTS} times, then its messages fail (the agent re-sends; storage is idempotent).
 *
 * <p>Threading: {@link #submit} is called from any event loop; flushing runs on the writer's own
 * context.
 */
public final class TelemetryWriter {

    static final int MAX_IN_FLIGHT = 2;
    static final int ATTEMPTS = 3;
    private static final Logger log = LoggerFactory.getLogger(TelemetryWriter.class);

    /** One message's rows and its device's newest state, with the promise its ack waits for. */
    record Pending(List<TelemetryRow> rows, TelemetryRepository.Latest latest, Promise<Void> committed) {
    }

    private final Vertx vertx;
    private final Context context;
    private final Pool pool;
    private final TelemetryRepository repository;
    private final MetricSetRegistry metricSets;
    private final HubMetrics metrics;
    private final int capacity;
    private final int batch;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** Written on the writer's context only; read by {@link #submit} from any thread. */
    private volatile int inFlight;
    private Promise<Void> drained;

    TelemetryWriter(Vertx vertx, Pool pool, TelemetryRepository repository, MetricSetRegistry metricSets,
                    HubMetrics metrics, int capacity, int batch) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.pool = pool;
        this.repository = repository;
        this.metricSets = metricSets;
        this.metrics = metrics;
        this.capacity = capacity;
        this.batch = batch;
        metrics.gauge("fleetwire_telemetry_queue_depth", "Telemetry messages waiting for commit", size::get);
        metrics.describe("fleetwire_telemetry_committed_total", "Telemetry messages committed");
        metrics.describe("fleetwire_telemetry_samples_total", "Telemetry samples committed (duplicates included)");
        metrics.describe("fleetwire_telemetry_commits_total", "Telemetry transactions committed");
        metrics.describe("fleetwire_telemetry_failed_total", "Telemetry messages that failed after retries");
    }

    /** Queues a message; false when the queue is full. */
    boolean submit(Pending pending) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        queue.add(pending);
        // With every transaction in flight there is nothing to start: the next completion pumps (it
        // lowers inFlight before it polls the queue, so a message added before this read is not missed).
        // Waking the writer's loop per message was 6.5 % of the hub's profile at the ingest ceiling.
        if (inFlight < MAX_IN_FLIGHT && scheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> {
                scheduled.set(false);
                pump();
            });
        }
        return true;
    }

    int depth() {
        return size.get();
    }

    /** Completes when every message queued so far is committed or failed. */
    Future<Void> drain() {
        Promise<Void> p = Promise.promise();
        context.runOnContext(v -> {
            if (size.get() == 0 && inFlight == 0) {
                p.complete();
            } else {
                drained = p;
                pump();
            }
        });
        return p.future();
    }

    private void pump() {
        while (inFlight < MAX_IN_FLIGHT && !queue.isEmpty()) {
            List<Pending> items = new ArrayList<>(Math.min(batch, size.get()));
            Pending p;
            while (items.size() < batch && (p = queue.poll()) != null) {
                items.add(p);
            }
            inFlight++;
            // Completion may arrive on a database connection's thread: state is only touched on our context.
            flush(items, 1).onComplete(ar -> context.runOnContext(v -> {
                inFlight--;
                size.addAndGet(-items.size());
                if (ar.succeeded()) {
                    items.forEach(i -> i.committed().tryComplete());
                } else {
                    metrics.add("fleetwire_telemetry_failed_total", null, items.size());
                    items.forEach(i -> i.committed().tryFail(ar.cause()));
                }
                pump();
                if (drained != null && size.get() == 0 && inFlight == 0) {
                    drained.tryComplete();
                    drained = null;
                }
            }));
        }
    }

    private Future<Void> flush(List<Pending> items, int attempt) {
        List<TelemetryRow> rows = new ArrayList<>();
        Map<io.fleetwire.protocol.DeviceId, TelemetryRepository.Latest> latest = new HashMap<>();
        for (Pending p : items) {
            rows.addAll(p.rows());
            if (p.latest() != null) {
                latest.merge(p.latest().device(), p.latest(), (a, b) -> b.ts().isBefore(a.ts()) ? a : b);
            }
        }
        rows.sort(Comparator.comparing((TelemetryRow r) -> r.device().value()).thenComparing(TelemetryRow::ts)
                .thenComparingLong(TelemetryRow::seq).thenComparingInt(TelemetryRow::idx));
        List<TelemetryRepository.Latest> latestRows = new ArrayList<>(latest.values());
        latestRows.sort(Comparator.comparing(l -> l.device().value()));
        Set<List<String>> nameLists = new LinkedHashSet<>();
        rows.forEach(r -> nameLists.add(r.names()));
        long start = System.nanoTime();
        return metricSets.resolve(nameLists)
                .compose(ids -> {
                    List<Integer> setIds = new ArrayList<>(rows.size());
                    rows.forEach(r -> setIds.add(ids.get(r.names())));
                    return pool.withTransaction(tx -> repository.write(tx, rows, setIds, latestRows));
                })
                .onSuccess(v -> {
                    metrics.add("fleetwire_telemetry_committed_total", null, items.size());
                    metrics.add("fleetwire_telemetry_samples_total", null, rows.size());
                    metrics.increment("fleetwire_telemetry_commits_total", null);
                    metrics.add("fleetwire_telemetry_commit_micros_total", null, (System.nanoTime() - start) / 1_000);
                })
                .recover(e -> {
                    if (attempt >= ATTEMPTS) {
                        log.error("Telemetry batch of {} messages failed {} times; agents will re-send: {}",
                                items.size(), attempt, e.getMessage());
                        return Future.failedFuture(e);
                    }
                    log.warn("Telemetry batch failed (attempt {}), retrying: {}", attempt, e.getMessage());
                    Promise<Void> retry = Promise.promise();
                    vertx.setTimer(100L * attempt, t -> flush(items, attempt + 1).onComplete(retry));
                    return retry.future();
                });
    }
}
