package io.fleetwire.hub.command;

import io.fleetwire.hub.api.ApiException;
import io.fleetwire.hub.api.Idempotency;
import io.fleetwire.hub.audit.AuditLog;
import io.fleetwire.hub.db.PipelinedTransaction;
import io.fleetwire.hub.presence.PresenceRegistry;
import io.fleetwire.protocol.CommandId;
import io.fleetwire.protocol.CommandStatus;
import io.fleetwire.protocol.DeviceId;
import io.fleetwire.protocol.Message;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The command lifecycle: creation, cancellation, and what devices report (receipt and result),
 * whether over their socket or over HTTP polling. Each change locks the command's row, checks the
 * move with {@link CommandStatus}, updates the row and writes the audit line in one transaction,
 * then announces it through {@link CommandEvents}.
 */
public final class CommandService {

    /** Longest command result output accepted, as JSON text. */
    public static final int MAX_OUTPUT_CHARS = 64 * 1024;

    private final CommandRepository repository;
    private final CommandTypeRegistry types;
    private final CommandDelivery delivery;
    private final AuditLog audit;
    private final CommandEvents events;
    private final PresenceRegistry presence;

    CommandService(CommandRepository repository, CommandTypeRegistry types, CommandDelivery delivery, AuditLog audit,
                   CommandEvents events, PresenceRegistry presence) {
        this.repository = repository;
        this.types = types;
        this.delivery = delivery;
        this.audit = audit;
        this.events = events;
        this.presence = presence;
    }

    /** A created command; {@code replayed} when an Idempotency-Key returned an earlier one. */
    public record Created(Command command, boolean replayed) {
    }

    /**
     * Creates a command for one device and, if it is connected here, sends it at once. One pipelined
     * transaction ({@link PipelinedTransaction}): BEGIN, the Idempotency-Key claim (if any), the
     * creating statement (device lock, insert, audit line) and, for a device connected here, the lock
     * of its open commands go out together; then marking what goes now and COMMIT go together. A
     * device not connected here and no key: one round trip in all.
     */
    public Future<Created> create(DeviceId device, String type, JsonObject params, int ttlSeconds, String actor,
                                  Idempotency.Key key) {
        CommandId id = CommandId.random();
        Instant expires = Instant.now().plusSeconds(ttlSeconds);
        JsonObject detail = new JsonObject().put("type", type).put("ttlSeconds", ttlSeconds);
        Future<Created> creation = types.check(type, params).compose(checked -> PipelinedTransaction.run(repository.pool(), tx -> {
                    SqlConnection c = tx.connection();
                    Future<Void> claimed = tx.add(Idempotency.claim(c, key, id.value()));
                    Future<Optional<Command>> inserted = tx.add(repository.create(c, id, device, type, params, expires, actor, detail));
                    if (!delivery.sendsWithin(device)) {
                        // Without a key nothing is written for a missing device, so COMMIT goes with the insert
                        // (one round trip); a key's claim must not commit for a missing device, so COMMIT waits
                        // for the insert's answer.
                        Future<Void> decided = key == null ? tx.commit() : claimed;
                        return decided.compose(v -> inserted).compose(found -> found
                                        .map(cmd -> (key == null ? Future.<Void>succeededFuture() : tx.commit())
                                                .map(v -> new CreatedAndSent(cmd, List.of())))
                                        .orElseGet(() -> noDevice(device)));
                    }
                    Future<CommandRepository.Open> open = tx.add(delivery.lockWithin(c, device));
                    return Future.all(claimed, inserted, open).compose(v -> inserted.result()
                            .map(cmd -> {
                                Future<List<Command>> sent = tx.add(delivery.markWithin(c, open.result()));
                                return tx.commit().map(committed -> new CreatedAndSent(cmd, sent.result()));
                            })
                            .orElseGet(() -> noDevice(device)));
                }))
                .map(done -> {
                    Command created = done.created();
                    List<Command> sent = done.sent();
                    events.published(created);
                    if (sent.isEmpty()) {
                        // Not connected here (or held back): a connect racing this commit still gets it.
                        delivery.poke(device, false);
                        return new Created(created, false);
                    }
                    delivery.sent(device, sent);
                    return new Created(sent.stream().filter(c -> c.id().equals(id)).findFirst().orElse(created), false);
                });
        return Idempotency.orReplay(creation, existing -> get(new CommandId(existing)).map(c -> new Created(c, true)));
    }

    private static <T> Future<T> noDevice(DeviceId device) {
        return Future.failedFuture(new ApiException.NotFound("no device " + device));
    }

    /** A new command and what went out with it in the same transaction. */
    private record CreatedAndSent(Command created, List<Command> sent) {
    }

    /** 404 unless the device exists. */
    private static Future<Void> requireDevice(SqlClient client, DeviceId device) {
        return client.preparedQuery("SELECT 1 FROM devices WHERE id = $1").execute(Tuple.of(device.value()))
                .compose(rows -> rows.size() == 1 ? Future.succeededFuture()
                        : Future.failedFuture(new ApiException.NotFound("no device " + device)));
    }

    public Future<Command> get(CommandId id) {
        return repository.find(repository.pool(), id)
                .map(c -> c.orElseThrow(() -> new ApiException.NotFound("no command " + id)));
    }

    /** A device's commands, newest first; 404 when there is no such device. */
    public Future<List<Command>> list(DeviceId device, Set<CommandStatus> statuses, Long beforeSeq, int limit) {
        return requireDevice(repository.pool(), device).compose(v -> repository.list(device, statuses, beforeSeq, limit));
    }

    /**
     * Cancels a command that is not yet delivered. A sent one may already be on the device: it gets
     * a {@code command_cancel} frame, and should its result come anyway, it is kept as the command's
     * {@code lateResult}.
     */
    public Future<Command> cancel(CommandId id, String actor) {
        return repository.pool().withTransaction(tx -> repository.lock(tx, id).compose(found -> {
            Command c = found.orElseThrow(() -> new ApiException.NotFound("no command " + id));
            if (!c.status().canMoveTo(CommandStatus.CANCELLED)) {
                return Future.failedFuture(new ApiException.Conflict(c.status() == CommandStatus.DELIVERED
                        ? "command " + id + " was delivered at " + c.deliveredAt() + " and can no longer be cancelled"
                        : "command " + id + " is already " + c.status().wireName()));
            }
            return repository.markCancelled(tx, id, actor)
                    .compose(done -> audit.record(tx, new AuditLog.Entry(actor, "command.cancelled", c.deviceId().value(), id.value(),
                            c.jobId(), new JsonObject().put("from", c.status().wireName()))).map(done))
                    .map(done -> new Command[]{c, done});
        })).map(pair -> {
            Command before = pair[0];
            Command after = pair[1];
            events.published(after);
            if (before.status() == CommandStatus.SENT) {
                presence.session(after.deviceId()).ifPresent(s -> s.send(new Message.CommandCancel(id)));
            }
            delivery.poke(after.deviceId(), false);
            return after;
        });
    }

    /** What became of a device's report. */
    public enum Outcome {
        /** Stored; the command moved on. */
        STORED,
        /** Already stored before: nothing changed. */
        DUPLICATE,
        /** The command was cancelled or expired: the device must not run it (a result is kept as late). */
        STOPPED,
        /** The command was never sent to this device. */
        NOT_SENT,
        /** No such command for this device. */
        NOT_FOUND
    }

    /** An outcome and the command as it stands after it (null for NOT_FOUND). */
    public record Report(Outcome outcome, Command command) {
    }

    /** The device received command {@code id}. */
    public Future<Report> acknowledge(DeviceId device, CommandId id, String via) {
        String actor = AuditLog.device(device);
        return repository.pool().withTransaction(tx -> repository.lock(tx, id).compose(found -> {
            if (found.isEmpty() || !found.get().deviceId().equals(device)) {
                return Future.succeededFuture(new Report(Outcome.NOT_FOUND, null));
            }
            Command c = found.get();
            return switch (c.status()) {
                case SENT -> {
                    c.status().moveTo(CommandStatus.DELIVERED);
                    yield repository.markDelivered(tx, id, via)
                            .compose(d -> audit.record(tx, new AuditLog.Entry(actor, "command.delivered", device.value(),
                                    id.value(), c.jobId(), new JsonObject().put("via", via).put("attempt", c.attempts()))).map(d))
                            .map(d -> new Report(Outcome.STORED, d));
                }
                case DELIVERED, SUCCEEDED, FAILED -> Future.succeededFuture(new Report(Outcome.DUPLICATE, c));
                case PENDING -> Future.succeededFuture(new Report(Outcome.NOT_SENT, c));
                case EXPIRED, CANCELLED -> audit.record(tx, new AuditLog.Entry(actor, "command.late_ack", device.value(), id.value(),
                                c.jobId(), new JsonObject().put("status", c.status().wireName()).put("via", via)))
                        .map(v -> new Report(Outcome.STOPPED, c));
            };
        })).onSuccess(r -> {
            if (r.outcome() == Outcome.STORED) {
                events.published(r.command());
            }
        });
    }

    /** The device ran command {@code id}: {@code outcome} is succeeded or failed. */
    public Future<Report> complete(DeviceId device, CommandId id, CommandStatus outcome, Object output, String error, String via) {
        if (outcome != CommandStatus.SUCCEEDED && outcome != CommandStatus.FAILED) {
            throw new IllegalArgumentException("a result is succeeded or failed");
        }
        if (io.fleetwire.hub.api.Json.containsNul(output) || (error != null && error.indexOf('\0') >= 0)) {
            throw new ApiException.BadRequest("a result must not contain the NUL character (U+0000)");
        }
        String outputJson = output == null ? null : Json.encode(output);
        if (outputJson != null && outputJson.length() > MAX_OUTPUT_CHARS) {
            throw new ApiException.BadRequest("'output' may be at most " + MAX_OUTPUT_CHARS + " characters of JSON");
        }
        String actor = AuditLog.device(device);
        return repository.pool().withTransaction(tx -> repository.lock(tx, id).compose(found -> {
            if (found.isEmpty() || !found.get().deviceId().equals(device)) {
                return Future.succeededFuture(new Report(Outcome.NOT_FOUND, null));
            }
            Command c = found.get();
            return switch (c.status()) {
                case SENT, DELIVERED -> {
                    // sent → delivered (implied by the result when the receipt was lost) → outcome
                    (c.status() == CommandStatus.SENT ? c.status().moveTo(CommandStatus.DELIVERED) : c.status()).moveTo(outcome);
                    Future<Void> delivered = c.status() == CommandStatus.DELIVERED ? Future.succeededFuture()
                            : audit.record(tx, new AuditLog.Entry(actor, "command.delivered", device.value(), id.value(), c.jobId(),
                            new JsonObject().put("via", via).put("implied", "by its result")));
                    yield delivered.compose(v -> repository.markFinished(tx, id, outcome, outputJson, error, via))
                            .compose(d -> audit.record(tx, new AuditLog.Entry(actor, "command." + outcome.wireName(),
                                    device.value(), id.value(), c.jobId(), new JsonObject().put("via", via))).map(d))
                            .map(d -> new Report(Outcome.STORED, d));
                }
                case SUCCEEDED -> Future.succeededFuture(new Report(Outcome.DUPLICATE, c));
                case FAILED -> c.timedOutAt() == null ? Future.succeededFuture(new Report(Outcome.DUPLICATE, c))
                        : late(tx, c, outcome, output, error, via, actor);
                case PENDING -> Future.succeededFuture(new Report(Outcome.NOT_SENT, c));
                case EXPIRED, CANCELLED -> late(tx, c, outcome, output, error, via, actor);
            };
        })).onSuccess(r -> {
            if (r.outcome() == Outcome.STORED) {
                events.published(r.command());
                delivery.poke(device, false);
            }
        });
    }

    /** A result for a command that ended without it (cancelled, expired, timed out): kept, never hidden. */
    private Future<Report> late(SqlClient tx, Command c, CommandStatus outcome, Object output, String error, String via,
                                String actor) {
        JsonObject late = new JsonObject().put("status", outcome.wireName()).put("at", Instant.now().toString())
                .put("output", output).put("error", error);
        return repository.markLateResult(tx, c.id(), late)
                .compose(d -> audit.record(tx, new AuditLog.Entry(actor, "command.late_result", c.deviceId().value(),
                        c.id().value(), c.jobId(), new JsonObject().put("status", outcome.wireName()).put("via", via))).map(d))
                .map(d -> new Report(Outcome.STOPPED, d));
    }

    /** HTTP polling: the device's commands that may run now, marked sent. */
    public Future<List<Command>> poll(DeviceId device) {
        return delivery.poll(device);
    }

}
