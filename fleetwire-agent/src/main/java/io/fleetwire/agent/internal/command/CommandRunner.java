package io.fleetwire.agent.internal.command;

import io.fleetwire.agent.CommandHandler;
import io.fleetwire.agent.CommandOutcome;
import io.fleetwire.agent.CommandRequest;
import io.fleetwire.protocol.CommandId;
import io.fleetwire.protocol.BuiltInParams;
import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.ParamsSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Runs the commands the hub sends, each id at most once. {@link #accept} is called on the socket
 * thread and decides at once: a repeat is ignored (its result is already on its way); an expired,
 * refused (local allow-list), unknown or invalid command is claimed and answered with a failed
 * result without running; anything else is claimed in the {@link SeenCommands} journal (durably)
 * and queued for the single worker thread, which runs handlers one at a time and interrupts one
 * that overruns the timeout. Outcomes go to {@code results}, which must deliver them reliably.
 * The queue holds at most {@link #QUEUE} commands; beyond that a command fails with "agent busy".
 */
public final class CommandRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);
    static final int QUEUE = 1_000;

    private final Map<String, CommandHandler> handlers;
    private final Map<String, ParamsSchema> customSchemas;
    private final Set<String> allowed;
    private final SeenCommands seen;
    private final Duration timeout;
    private final Clock clock;
    private final Supplier<Duration> hubOffset;
    private final BiConsumer<CommandId, CommandOutcome> results;
    /** Commands whose result another part reports (a software_update held by its update marker). */
    private final java.util.function.Predicate<CommandId> reportedElsewhere;
    private final BlockingQueue<CommandRequest> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Set<CommandId> cancelled = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Thread worker;
    private volatile boolean closed;

    /**
     * @param allowed   command types this device accepts (the local allow-list); null accepts every type with a handler
     * @param hubOffset hub time minus local time, to judge expiry in hub time
     */
    public CommandRunner(Map<String, CommandHandler> handlers, Map<String, ParamsSchema> customSchemas, Set<String> allowed,
                         SeenCommands seen, Duration timeout, Clock clock, Supplier<Duration> hubOffset,
                         BiConsumer<CommandId, CommandOutcome> results) {
        this(handlers, customSchemas, allowed, seen, timeout, clock, hubOffset, results, id -> false);
    }

    /**
     * @param reportedElsewhere true for a command whose outcome this runner must neither report nor
     *                          mark done, whatever happens to it here (the next agent run reports it)
     */
    public CommandRunner(Map<String, CommandHandler> handlers, Map<String, ParamsSchema> customSchemas, Set<String> allowed,
                         SeenCommands seen, Duration timeout, Clock clock, Supplier<Duration> hubOffset,
                         BiConsumer<CommandId, CommandOutcome> results, java.util.function.Predicate<CommandId> reportedElsewhere) {
        this.reportedElsewhere = reportedElsewhere;
        this.handlers = Map.copyOf(handlers);
        this.customSchemas = Map.copyOf(customSchemas);
        this.allowed = allowed == null ? null : Set.copyOf(allowed);
        this.seen = seen;
        this.timeout = timeout;
        this.clock = clock;
        this.hubOffset = hubOffset;
        this.results = results;
        this.worker = Thread.ofPlatform().name("fleetwire-commands").daemon().start(this::work);
    }

    /** Decides about a command frame; never blocks on a handler. */
    public void accept(Message.Command command) {
        CommandId id = command.id();
        if (seen.contains(id)) {
            log.debug("Command {} delivered again (attempt {}); it runs once", id, command.attempt());
            return;
        }
        String refusal = refusal(command);
        if (!seen.claim(id, command.expiresAt())) {
            return;
        }
        if (refusal != null) {
            log.info("Command {} ({}) not run: {}", id, command.name(), refusal);
            finish(id, CommandOutcome.failed(refusal));
            return;
        }
        CommandRequest request = new CommandRequest(id, command.name(), command.params(), command.expiresAt());
        if (!queue.offer(request)) {
            finish(id, CommandOutcome.failed("agent busy: " + QUEUE + " commands already waiting"));
        }
    }

    /** The hub cancelled a command: if it has not started, it never will. */
    public void cancel(CommandId id) {
        cancelled.add(id);
    }

    /** Why the command must not run, or null when it may. */
    private String refusal(Message.Command command) {
        if (!clock.instant().plus(hubOffset.get()).isBefore(command.expiresAt())) {
            return "expired before it could run";
        }
        if (allowed != null && !allowed.contains(command.name())) {
            return "command type '" + command.name() + "' is not allowed on this device";
        }
        if (!handlers.containsKey(command.name())) {
            return "this agent has no handler for '" + command.name() + "'";
        }
        List<String> problems;
        if (BuiltInParams.isBuiltIn(command.name())) {
            // Not CommandTypes: its full JSON schema validator would stay loaded (8 MB) after the first command.
            problems = BuiltInParams.validate(command.name(), command.params());
        } else {
            ParamsSchema schema = customSchemas.get(command.name());
            problems = schema == null ? List.of() : schema.validate(command.params());
        }
        return problems.isEmpty() ? null : "invalid params: " + String.join("; ", problems);
    }

    private void work() {
        while (!closed) {
            CommandRequest request;
            try {
                request = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (cancelled.remove(request.id())) {
                    log.info("Command {} cancelled before it started", request.id());
                    finish(request.id(), null);
                    continue;
                }
                // It may have waited behind others: expiry is judged again when it would start.
                if (!clock.instant().plus(hubOffset.get()).isBefore(request.expiresAt())) {
                    finish(request.id(), CommandOutcome.failed("expired before it could run"));
                    continue;
                }
                finish(request.id(), run(request));
            } catch (RuntimeException e) {
                log.error("Command {} could not be finished: {}", request.id(), e.toString());
            }
        }
    }

    /** Hands the outcome on (null: none to report), then marks the id done in the journal. */
    private void finish(CommandId id, CommandOutcome outcome) {
        if (reportedElsewhere.test(id)) {
            log.info("Command {}: its result is reported by the next run of the agent", id);
            return;
        }
        if (outcome != null) {
            results.accept(id, outcome);
        }
        seen.done(id);
    }

    /**
     * Commands started by an earlier run of the agent that never finished (it stopped or crashed
     * mid-way): each gets a failed result, so the hub need not wait for its result timeout. Those
     * reported elsewhere (a software_update waiting for its new version's confirmation) are left alone.
     */
    public void reportUnfinished() {
        for (CommandId id : seen.unfinished()) {
            if (reportedElsewhere.test(id)) {
                continue;
            }
            log.warn("Command {} was started before the agent stopped and did not finish; reporting it failed", id);
            finish(id, CommandOutcome.failed("the agent stopped before the command finished; it may have run partly"));
        }
    }

    private CommandOutcome run(CommandRequest request) {
        CommandHandler handler = handlers.get(request.name());
        CommandOutcome[] outcome = new CommandOutcome[1];
        Thread t = Thread.ofPlatform().name("command-" + request.id()).daemon().start(() -> {
            try {
                outcome[0] = handler.handle(request);
            } catch (InterruptedException e) {
                outcome[0] = CommandOutcome.failed("interrupted");
            } catch (Exception | Error e) {
                outcome[0] = CommandOutcome.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        });
        try {
            if (!t.join(timeout)) {
                t.interrupt();
                return CommandOutcome.failed("timed out after " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            t.interrupt();
            Thread.currentThread().interrupt();
            return CommandOutcome.failed("agent stopping");
        }
        return outcome[0] == null ? CommandOutcome.failed("the handler returned no outcome") : outcome[0];
    }

    /** Stops the worker; commands still waiting are reported failed (the outbox must still be open). */
    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        CommandRequest left;
        while ((left = queue.poll()) != null) {
            try {
                finish(left.id(), CommandOutcome.failed("the agent stopped before the command started"));
            } catch (RuntimeException e) {
                log.warn("Could not report command {}: {}", left.id(), e.toString());
            }
        }
    }
}
