package io.fleetwire.hub.command;

import io.fleetwire.hub.api.Idempotency;
import io.fleetwire.protocol.DeviceId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;

/**
 * The clock-driven part of the lifecycle, once a second: expires overdue commands, releases rollout
 * slots that came due, sends again what was not acknowledged in time, fails delivered commands
 * whose result never came, applies jobs' abort rules and completes finished jobs, and forgets old
 * idempotency keys. Ticks never overlap; each step handles a bounded batch.
 */
final class CommandSweeper {

    private static final Logger log = LoggerFactory.getLogger(CommandSweeper.class);
    private static final int BATCH = 5_000;
    private static final Duration KEY_CLEANUP_EVERY = Duration.ofHours(1);

    private final Vertx vertx;
    private final CommandRepository repository;
    private final CommandDelivery delivery;
    private final JobService jobs;
    private final CommandEvents events;
    private final Duration tick;
    private final Duration resultTimeout;
    private long timer = -1;
    private boolean running;
    private long lastKeyCleanup;

    CommandSweeper(Vertx vertx, CommandRepository repository, CommandDelivery delivery, JobService jobs,
                   CommandEvents events, Duration tick, Duration resultTimeout) {
        this.resultTimeout = resultTimeout;
        this.vertx = vertx;
        this.repository = repository;
        this.delivery = delivery;
        this.jobs = jobs;
        this.events = events;
        this.tick = tick;
    }

    void start() {
        timer = vertx.setPeriodic(tick.toMillis(), id -> {
            if (!running) {
                running = true;
                sweep().onComplete(ar -> {
                    running = false;
                    if (ar.failed()) {
                        log.warn("Command sweep failed: {}", ar.cause().toString());
                    }
                });
            }
        });
    }

    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** One pass; public to tests through {@link Commands}. */
    Future<Void> sweep() {
        return repository.expireDue(delivery.ackTimeout(), BATCH)
                .compose(expired -> {
                    expired.forEach(m -> {
                        events.published(m);
                        delivery.poke(m.deviceId(), false);
                    });
                    return repository.releaseDue(BATCH);
                })
                .compose(released -> {
                    pokeAll(released);
                    return repository.unacknowledged(delivery.ackTimeout(), BATCH);
                })
                .compose(unacked -> {
                    pokeAll(unacked);
                    return repository.timeOutDelivered(resultTimeout, BATCH);
                })
                .compose(timedOut -> {
                    timedOut.forEach(m -> {
                        events.published(m);
                        delivery.poke(m.deviceId(), false);
                    });
                    return jobs.checkAbortRules();
                })
                .compose(v -> {
                    long now = System.currentTimeMillis();
                    if (now - lastKeyCleanup < KEY_CLEANUP_EVERY.toMillis()) {
                        return Future.succeededFuture();
                    }
                    lastKeyCleanup = now;
                    return Idempotency.expire(repository.pool()).mapEmpty();
                });
    }

    private void pokeAll(Set<DeviceId> devices) {
        devices.forEach(d -> delivery.poke(d, false));
    }
}
