package io.fleetwire.hub.command;

import io.fleetwire.hub.ops.HubMetrics;
import io.fleetwire.hub.presence.PresenceRegistry;
import io.fleetwire.hub.presence.Session;
import io.fleetwire.protocol.CommandId;
import io.fleetwire.protocol.CommandStatus;
import io.fleetwire.protocol.DeviceId;
import io.fleetwire.protocol.Message;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gets commands to devices. For a device with a socket on this hub, {@link #poke} picks what may be
 * sent now (see {@link #pick}), marks it sent in one transaction and, after the commit, writes the
 * frames in order. A frame lost with its socket is not lost: the command stays {@code sent} and is
 * sent again on the next connection, or after the acknowledgement timeout, with the same id.
 * Pokes for one device never overlap: a poke during a run makes the run go once more.
 */
public final class CommandDelivery {

    private static final Logger log = LoggerFactory.getLogger(CommandDelivery.class);

    private final CommandRepository repository;
    private final PresenceRegistry presence;
    private final CommandEvents events;
    private final Duration ackTimeout;
    private final HubMetrics metrics;
    private final Map<DeviceId, Run> runs = new ConcurrentHashMap<>();

    CommandDelivery(CommandRepository repository, PresenceRegistry presence, CommandEvents events,
                    Duration ackTimeout, HubMetrics metrics) {
        this.repository = repository;
        this.presence = presence;
        this.events = events;
        this.ackTimeout = ackTimeout;
        this.metrics = metrics;
        metrics.describe("fleetwire_command_frames_sent_total", "Command frames written to device sockets, resends included");
    }

    Duration ackTimeout() {
        return ackTimeout;
    }

    /** A run in progress, and what was asked of it meanwhile: go again, and whether to resend everything sent. */
    private static final class Run {
        boolean again;
        /** Sent commands last sent before this go again (a new socket has none of them); null: none. */
        Instant resendBefore;
    }

    /**
     * Something may be sendable for {@code device}: a new command, a new connection
     * ({@code resendAll}: the socket has none of the sent commands), a result in sequential mode, a
     * timeout. Does nothing unless the device has a socket on this hub.
     */
    public void poke(DeviceId device, boolean resendAll) {
        poke(device, resendAll ? Instant.MAX : null);
    }

    /**
     * A socket of the device registered at {@code since}: every command sent before it goes again
     * (one sent on this socket meanwhile, e.g. in its creating transaction, does not go twice).
     */
    public void connected(DeviceId device, Instant since) {
        poke(device, since);
    }

    private void poke(DeviceId device, Instant resendBefore) {
        if (!presence.isOnline(device)) {
            return;
        }
        boolean[] start = {false};
        runs.compute(device, (k, run) -> {
            if (run == null) {
                start[0] = true;
                return new Run();
            }
            run.again = true;
            run.resendBefore = later(run.resendBefore, resendBefore);
            return run;
        });
        if (start[0]) {
            run(device, resendBefore);
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : (a.isAfter(b) ? a : b);
    }

    private void run(DeviceId device, Instant resendBefore) {
        Session session = presence.session(device).orElse(null);
        Future<List<Command>> picked = session == null ? Future.succeededFuture(List.of())
                : repository.pool().withTransaction(tx -> select(tx, device, resendBefore, "socket"));
        picked.onComplete(ar -> {
            if (ar.succeeded()) {
                sent(device, ar.result());
            } else {
                log.warn("Could not deliver commands to device {}: {}", device, ar.cause().toString());
            }
            Instant[] resend = {null};
            Run next = runs.computeIfPresent(device, (k, run) -> {
                if (!run.again) {
                    return null;
                }
                resend[0] = run.resendBefore;
                run.again = false;
                run.resendBefore = null;
                return run;
            });
            if (next != null) {
                run(device, resend[0]);
            }
        });
    }

    private void write(DeviceId device, List<Command> commands) {
        if (commands.isEmpty()) {
            return;
        }
        Session session = presence.session(device).orElse(null);
        if (session == null) {
            return;
        }
        for (Command c : commands) {
            if (session.send(frame(c))) {
                metrics.increment("fleetwire_command_frames_sent_total", "");
            }
        }
    }

    static Message.Command frame(Command c) {
        return new Message.Command(c.id(), c.type(), CommandTypeRegistry.nodeObject(c.params()), c.expiresAt(), c.attempts());
    }

    /** For HTTP polling: everything the device may run now, marked sent. */
    Future<List<Command>> poll(DeviceId device) {
        return repository.pool().withTransaction(tx -> select(tx, device, Instant.MAX, "http"))
                .onSuccess(sent -> sent.forEach(events::published));
    }

    /** Picks, marks sent and audits, in the caller's transaction. */
    private Future<List<Command>> select(SqlClient tx, DeviceId device, Instant resendBefore, String via) {
        return repository.lockOpen(tx, device).compose(open -> markPicked(tx, open, resendBefore, via));
    }

    /** Marks sent (with the audit lines, one statement) what {@link #pick} chooses among the locked open commands. */
    private Future<List<Command>> markPicked(SqlClient tx, CommandRepository.Open open, Instant resendBefore, String via) {
        List<CommandId> ids = pick(open.commands(), open.sequential(), resendBefore, Instant.now(), ackTimeout);
        return ids.isEmpty() ? Future.succeededFuture(List.of()) : repository.markSent(tx, ids, via);
    }

    /**
     * Whether a command created now for {@code device} may go out in its creating transaction: the
     * device has a socket on this hub. A socket registered after this answer gets the command from
     * the poke that follows the commit.
     */
    boolean sendsWithin(DeviceId device) {
        return presence.isOnline(device);
    }

    /**
     * Within the transaction that creates a command for a device connected here: locks the device's
     * open commands. Sent at once, behind the creating statement; its answer goes to {@link #markWithin}.
     */
    Future<CommandRepository.Open> lockWithin(SqlClient tx, DeviceId device) {
        return repository.lockOpen(tx, device);
    }

    /**
     * Marks what may go now as sent, in the creating transaction, so creation and sending share one
     * commit. The caller {@link #sent}s the result after the commit.
     */
    Future<List<Command>> markWithin(SqlClient tx, CommandRepository.Open open) {
        return markPicked(tx, open, null, "socket");
    }

    /** After the commit: announces and writes commands marked sent. */
    void sent(DeviceId device, List<Command> commands) {
        commands.forEach(events::published);
        write(device, commands);
    }

    /**
     * Which of a device's open commands (oldest first) go out now. Burst: every due pending command
     * in order, stopping at the first one a rollout holds back, plus every sent one not acknowledged
     * within the timeout (all of them when {@code resendAll}). Sequential: nothing while one is
     * delivered and running; else the oldest open one, if it may go.
     */
    static List<CommandId> pick(List<Command> open, boolean sequential, boolean resendAll, Instant now, Duration ackTimeout) {
        return pick(open, sequential, resendAll ? Instant.MAX : null, now, ackTimeout);
    }

    /** As above; sent commands last sent before {@code resendBefore} (null: none) go again at once. */
    static List<CommandId> pick(List<Command> open, boolean sequential, Instant resendBefore, Instant now, Duration ackTimeout) {
        List<CommandId> out = new ArrayList<>();
        for (Command c : open) {
            if (c.status() == CommandStatus.DELIVERED) {
                if (sequential) {
                    return List.of();
                }
                continue;
            }
            if (!c.expiresAt().isAfter(now)) {
                continue; // expiry takes it
            }
            if (c.status() == CommandStatus.PENDING) {
                if (c.notBefore() != null && c.notBefore().isAfter(now)) {
                    break;
                }
                out.add(c.id());
            } else if (c.status() == CommandStatus.SENT
                    && (c.lastSentAt() == null || (resendBefore != null && c.lastSentAt().isBefore(resendBefore)) || !c.lastSentAt().plus(ackTimeout).isAfter(now))) {
                out.add(c.id());
            }
            if (sequential) {
                break;
            }
        }
        return out;
    }
}
