package io.fleetwire.hub.command;

import io.fleetwire.hub.api.ApiException;
import io.fleetwire.hub.api.Idempotency;
import io.fleetwire.hub.audit.AuditLog;
import io.fleetwire.hub.presence.PresenceRegistry;
import io.fleetwire.protocol.CommandStatus;
import io.fleetwire.protocol.Message;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Jobs: one command for many devices (ids, labels or hostnames), one device command each, with
 * progress counts, an optional rollout rate (devices per minute) and an optional abort rule (stop
 * when more than N % of the finished commands failed, once at least M finished), as AWS IoT Jobs do.
 * Stopping a job (abort or cancel) cancels its undelivered commands; delivered ones finish.
 */
public final class JobService {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);
    /** Most devices one job may target. */
    public static final int MAX_DEVICES = 100_000;

    private final JobRepository repository;
    private final CommandTypeRegistry types;
    private final CommandDelivery delivery;
    private final AuditLog audit;
    private final CommandEvents events;
    private final PresenceRegistry presence;
    /** Jobs with commands that became final since the sweeper last looked at them. */
    private final Set<UUID> dirty = ConcurrentHashMap.newKeySet();

    JobService(JobRepository repository, CommandTypeRegistry types, CommandDelivery delivery, AuditLog audit,
               CommandEvents events, PresenceRegistry presence) {
        this.repository = repository;
        this.types = types;
        this.delivery = delivery;
        this.audit = audit;
        this.events = events;
        this.presence = presence;
        events.bus().subscribe(CommandEvents.TOPIC, e -> {
            String status = e.getString("status");
            if (e.getString("jobId") != null && CommandStatus.fromWire(status).isFinal()) {
                dirty.add(UUID.fromString(e.getString("jobId")));
            }
        });
    }

    /** What to run where. */
    public record Spec(String type, JsonObject params, int ttlSeconds, JobRepository.Target target, Integer rolloutPerMinute,
                       Double abortFailurePercent, Integer abortMinFinished) {
    }

    public record Created(Job job, boolean replayed) {
    }

    public Future<Created> create(Spec spec, String actor, Idempotency.Key key) {
        UUID id = UUID.randomUUID();
        var target = spec.target();
        Future<Created> creation = types.check(spec.type(), spec.params()).compose(checked -> repository.pool().withTransaction(tx -> Idempotency.claim(tx, key, id)
                        .compose(v -> target.deviceIds() == null ? Future.succeededFuture(List.<UUID>of())
                                : repository.missing(tx, target.deviceIds()))
                        .compose(missing -> missing.isEmpty() ? Future.<Void>succeededFuture()
                                : Future.failedFuture(new ApiException.BadRequest("target names " + missing.size()
                                + " devices that do not exist, e.g. " + missing.subList(0, Math.min(5, missing.size())))))
                        .compose(v -> repository.insertJob(tx, id, spec.type(), spec.params(), target, spec.ttlSeconds(),
                                spec.rolloutPerMinute(), spec.abortFailurePercent(), spec.abortMinFinished(), actor))
                        .compose(v -> repository.insertCommands(tx, id, spec.type(), spec.params(), target, spec.ttlSeconds(),
                                spec.rolloutPerMinute(), actor))
                        .compose(created -> {
                            if (created.total() == 0) {
                                return Future.failedFuture(new ApiException.BadRequest("the target matches no device"));
                            }
                            if (created.total() > MAX_DEVICES) {
                                return Future.failedFuture(new ApiException.BadRequest("the target matches " + created.total()
                                        + " devices; a job may target at most " + MAX_DEVICES));
                            }
                            return audit.record(tx, new AuditLog.Entry(actor, "job.created", null, null, id,
                                    new JsonObject().put("type", spec.type()).put("devices", created.total())
                                            .put("target", target.toJson()))).map(created);
                        })))
                .compose(created -> {
                    created.sendNow().forEach(d -> delivery.poke(d, false));
                    return get(id).map(job -> new Created(job, false));
                });
        return Idempotency.orReplay(creation, existing -> get(existing).map(job -> new Created(job, true)));
    }

    /** The job with its counts; an in-progress job whose commands are all final is completed here. */
    public Future<Job> get(UUID id) {
        return repository.find(repository.pool(), id).compose(found -> {
            Job job = found.orElseThrow(() -> new ApiException.NotFound("no job " + id));
            if (!job.status().equals("in_progress") || job.open() > 0) {
                return Future.succeededFuture(job);
            }
            return repository.pool().withTransaction(tx -> repository.end(tx, id, "completed", null)
                            .compose(ended -> ended ? audit.record(tx, new AuditLog.Entry(AuditLog.HUB, "job.completed", null,
                                    null, id, job.toJson().getJsonObject("counts"))) : Future.succeededFuture()))
                    .compose(v -> repository.find(repository.pool(), id)).map(j -> j.orElseThrow());
        });
    }

    public Future<List<Job>> list(int limit) {
        return repository.list(limit);
    }

    /** Stops a job: its undelivered commands are cancelled. */
    public Future<Job> cancel(UUID id, String actor) {
        return get(id).compose(job -> {
            if (!job.status().equals("in_progress")) {
                return Future.failedFuture(new ApiException.Conflict("job " + id + " is already " + job.status()));
            }
            return stop(id, "cancelled", "cancelled by " + actor, actor);
        });
    }

    /** Applies the abort rule of every job with newly final commands, and completes those with none open. Called by the sweeper. */
    Future<Void> checkAbortRules() {
        Future<Void> chain = Future.succeededFuture();
        for (UUID id : List.copyOf(dirty)) {
            dirty.remove(id);
            chain = chain.compose(v -> checkAbortRule(id).compose(x -> get(id).<Void>mapEmpty()).recover(e -> {
                log.warn("Could not check the abort rule of job {}: {}", id, e.toString());
                return Future.succeededFuture();
            }));
        }
        return chain;
    }

    private Future<Void> checkAbortRule(UUID id) {
        return repository.find(repository.pool(), id).compose(found -> {
            Job job = found.orElse(null);
            if (job == null || job.abortFailurePercent() == null || !job.status().equals("in_progress")) {
                return Future.succeededFuture();
            }
            long failed = job.count(CommandStatus.FAILED);
            long finished = failed + job.count(CommandStatus.SUCCEEDED);
            int min = job.abortMinFinished() == null ? 1 : job.abortMinFinished();
            if (finished < min || failed * 100.0 / finished <= job.abortFailurePercent()) {
                return Future.succeededFuture();
            }
            String reason = failed + " of " + finished + " finished commands failed, more than "
                    + job.abortFailurePercent() + " %";
            log.info("Aborting job {}: {}", id, reason);
            return stop(id, "aborted", reason, AuditLog.HUB).mapEmpty();
        });
    }

    private Future<Job> stop(UUID id, String status, String reason, String actor) {
        return repository.pool().withTransaction(tx -> repository.end(tx, id, status, reason).compose(ended -> {
                    if (!ended) {
                        return Future.succeededFuture(List.<CommandRepository.Moved>of());
                    }
                    return repository.cancelOpen(tx, id, actor, reason)
                            .compose(moved -> audit.record(tx, new AuditLog.Entry(actor, "job." + status, null, null, id,
                                    new JsonObject().put("reason", reason).put("cancelledCommands", moved.size()))).map(moved));
                }))
                .compose(moved -> {
                    for (CommandRepository.Moved m : moved) {
                        events.published(m);
                        if (m.from() == CommandStatus.SENT) {
                            presence.session(m.deviceId()).ifPresent(s -> s.send(new Message.CommandCancel(m.id())));
                        }
                    }
                    return repository.find(repository.pool(), id).map(j -> j.orElseThrow());
                });
    }
}
