package io.fleetwire.sim.internal;

import io.fleetwire.agent.CommandOutcome;
import io.fleetwire.agent.CommandRequest;
import io.fleetwire.protocol.Message;
import io.fleetwire.sim.CommandReceipt;
import io.fleetwire.sim.TelemetryGenerator;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A simulated device's commands, as a real agent handles them (docs/protocol.md §9.3): every {@code command}
 * frame, repeats included, is acknowledged at once with a seq'd {@code command_ack}; the command runs once the
 * hub has acknowledged that receipt (so a {@code command_cancel} sent in answer to it stops the command before
 * it starts), never after its {@code expiresAt} (hub time), at most once per id; its {@code command_result} is
 * kept until acked. Running means calling the agent library's {@link io.fleetwire.agent.CommandHandler} for
 * its type ({@link SimCommandHandlers}). Event-loop confined, like its {@link DeviceSession}.
 */
final class DeviceCommands {

    /** Command ids remembered for de-duplication, per device; the oldest are forgotten past this. */
    private static final int SEEN = 4_096;

    private enum State { RECEIVED, RUNNING, REPORTED }

    private static final class Pending {
        final Message.Command command;
        final CommandReceipt receipt;
        State state = State.RECEIVED;
        boolean cancelled;

        Pending(Message.Command command, CommandReceipt receipt) {
            this.command = command;
            this.receipt = receipt;
        }
    }

    private final DeviceSession session;
    private final TelemetryGenerator machine;
    private final FleetCounters counters;
    private final Map<String, Pending> open = new HashMap<>();
    private final LinkedHashSet<String> seen = new LinkedHashSet<>();

    DeviceCommands(DeviceSession session, TelemetryGenerator machine) {
        this.session = session;
        this.machine = machine;
        this.counters = session.fleet().counters;
    }

    void onCommand(Message.Command c) {
        long now = System.nanoTime();
        counters.commandFrames.increment();
        String id = c.id().toString();
        if (!open.containsKey(id) && seen.add(id)) {
            if (seen.size() > SEEN) {
                seen.remove(seen.iterator().next());
            }
            CommandReceipt receipt = DeviceSession.receipt(session.deviceId(), c, now);
            open.put(id, new Pending(c, receipt));
            counters.commandsReceived.increment();
            session.fleet().received(receipt);
        }
        session.sendCommandMessage(DeviceSession.Kind.COMMAND_ACK, id, seq -> new Message.CommandAck(seq, c.id()));
    }

    void onCancel(String id) {
        Pending p = open.get(id);
        if (p != null && p.state == State.RECEIVED) {
            p.cancelled = true;
        }
    }

    /** The hub stored our receipt: the command is {@code delivered}; run it unless cancelled meanwhile. */
    void receiptStored(String id, long now) {
        Pending p = open.get(id);
        if (p == null || p.state != State.RECEIVED) {
            return;
        }
        counters.receiptLatency.recordValue(Math.max(0, now - p.receipt.receivedAtNanos()));
        if (p.cancelled) {
            open.remove(id);
            counters.commandsCancelled.increment();
            return;
        }
        p.state = State.RUNNING;
        Duration runTime = session.fleet().options.commandRunTime();
        if (runTime.isZero()) {
            finish(id, p);
        } else {
            session.loop().schedule(() -> finish(id, p), runTime.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void finish(String id, Pending p) {
        if (open.get(id) != p) {
            return;
        }
        CommandOutcome outcome;
        if (session.hubNow().isAfter(p.command.expiresAt())) {
            outcome = CommandOutcome.failed("expired before it started (expiresAt " + p.command.expiresAt() + ")");
        } else {
            Message.Command c = p.command;
            outcome = DeviceSession.run(c.name(), machine, new CommandRequest(c.id(), c.name(), c.params(), c.expiresAt()));
        }
        p.state = State.REPORTED;
        counters.commandsAnswered.increment();
        session.sendCommandMessage(DeviceSession.Kind.COMMAND_RESULT, id, seq -> DeviceSession.result(seq, id, outcome));
    }

    /** The hub stored our result. */
    void resultStored(String id, long now) {
        Pending p = open.remove(id);
        if (p == null) {
            return;
        }
        counters.commandResultsStored.increment();
        counters.resultLatency.recordValue(Math.max(0, now - p.receipt.receivedAtNanos()));
        session.fleet().resultStored(p.receipt, now);
    }

    /** The hub refused a report for this command for good (e.g. {@code not_found}): stop tracking it. */
    void forget(String id) {
        open.remove(id);
    }
}
