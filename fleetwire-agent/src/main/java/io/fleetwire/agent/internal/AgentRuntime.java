package io.fleetwire.agent.internal;

import io.fleetwire.agent.CommandOutcome;
import io.fleetwire.agent.ConnectionState;
import io.fleetwire.agent.internal.command.CommandRunner;
import io.fleetwire.agent.internal.connection.HubConnection;
import io.fleetwire.agent.internal.outbox.Outbox;
import io.fleetwire.protocol.CommandId;
import io.fleetwire.protocol.CommandStatus;
import io.fleetwire.protocol.ErrorCode;
import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.MessageCodec;
import io.fleetwire.protocol.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The agent at work: dispatches what the hub sends (one case per message type), feeds commands to
 * the {@link CommandRunner}, and drains the {@link Outbox} to the socket in order, from the oldest
 * unacknowledged message after every (re)connect, at most {@code replayPerSecond} messages a second.
 *
 * <p>Threading: {@link #text} runs on the socket's reader thread and never blocks on a handler or
 * the disk; the sender runs on its own platform thread and sends the heartbeat too; the inbox has
 * one more. Platform threads, not virtual ones: the agent's few threads wait most of the time, and
 * the virtual-thread scheduler would add its carrier threads and classes (agent footprint).
 */
public final class AgentRuntime implements HubConnection.Events, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AgentRuntime.class);
    /** Unacknowledged messages are sent again when no ack at all came for this long. */
    static final Duration RESEND_AFTER = Duration.ofSeconds(30);

    private final MessageCodec codec = new MessageCodec();
    private final Outbox outbox;
    private final int replayPerSecond;
    private final Consumer<Message.Settings> settingsSink;
    private final AtomicInteger generation = new AtomicInteger();
    /** Commands from the socket, handled one after another on one thread. */
    private final java.util.concurrent.ThreadPoolExecutor inbox = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0,
            java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(1_000),
            Thread.ofPlatform().name("fleetwire-inbox").daemon().factory(),
            // Full (a hub sending faster than the disk takes it): the socket thread does the work, which slows reading.
            new java.util.concurrent.ThreadPoolExecutor.CallerRunsPolicy());
    private final Object signal = new Object();
    /** Notified when the settings change, so a sampler waiting out an old interval moves to the new one. */
    private final Object settingsSignal = new Object();
    /** Parts of the agent that follow the hub's settings (polling interval, queue budget). */
    private final List<Consumer<Message.Settings>> settingsFollowers = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Set by {@link #wake}, cleared by the sender before it reads the outbox: no wake-up is lost. */
    private final java.util.concurrent.atomic.AtomicBoolean pendingWork = new java.util.concurrent.atomic.AtomicBoolean();
    private HubConnection connection;
    private CommandRunner runner;
    private volatile Duration hubOffset = Duration.ZERO;
    private volatile Message.Settings settings;
    private volatile boolean running = true;
    /** When the hub last acknowledged anything: the backlog is sent again only when acks stop coming. */
    private volatile long lastAckNanos = System.nanoTime();
    private Thread sender;
    private Thread sampler;
    private io.fleetwire.agent.TelemetrySource telemetrySource;
    /** The version sent in hello. */
    private volatile String agentVersion = AgentVersion.VALUE;
    /** Called (off the socket thread) after each welcome. */
    private volatile Runnable welcomeListener = () -> { };

    public AgentRuntime(Outbox outbox, int replayPerSecond, Message.Settings initialSettings,
                        Consumer<Message.Settings> settingsSink) {
        this.outbox = outbox;
        this.replayPerSecond = replayPerSecond;
        this.settings = initialSettings;
        this.settingsSink = settingsSink;
    }

    /** Wires the two parts that need this runtime to exist first, then starts the threads. */
    public void start(HubConnection connection, CommandRunner runner, io.fleetwire.agent.TelemetrySource telemetrySource) {
        this.connection = connection;
        this.runner = runner;
        this.telemetrySource = telemetrySource;
        applySettings(settings);
        sender = Thread.ofPlatform().name("fleetwire-sender").daemon().start(this::drain);
        if (telemetrySource != null) {
            sampler = Thread.ofPlatform().name("fleetwire-telemetry").daemon().start(this::sampleLoop);
        }
        connection.start();
    }

    /** {@code follower} gets the settings now (if any are known) and after every change, on the inbox thread. */
    public void followSettings(Consumer<Message.Settings> follower) {
        settingsFollowers.add(follower);
        Message.Settings s = settings;
        if (s != null) {
            follower.accept(s);
        }
    }

    /** The version this agent reports in its hello (default: the jar's). Call before {@link #start}. */
    public void agentVersion(String version) {
        this.agentVersion = version;
    }

    /** Runs {@code listener} on the inbox thread after every welcome (e.g. to confirm a software update). */
    public void onWelcome(Runnable listener) {
        this.welcomeListener = listener;
    }

    /** Hub time minus local time, from the last welcome. */
    public Duration hubOffset() {
        return hubOffset;
    }

    public Message.Settings settings() {
        return settings;
    }

    /** A command's outcome, queued as a reliable result. */
    public void result(CommandId id, CommandOutcome given) {
        CommandOutcome outcome = given;
        // JsonTrees, not JsonNode.toString(): that builds Jackson's ObjectMapper, kept for good (agent footprint).
        int outputChars = given.output() == null ? 0 : io.fleetwire.protocol.JsonTrees.write(given.output()).length();
        if (outputChars > MAX_OUTPUT_CHARS) {
            outcome = given.succeeded()
                    ? CommandOutcome.succeeded(com.fasterxml.jackson.databind.node.TextNode.valueOf(
                            "output of " + outputChars + " characters left out (the hub keeps at most "
                                    + MAX_OUTPUT_CHARS + ")"))
                    : CommandOutcome.failed(given.error());
        }
        CommandOutcome o = outcome;
        append(Outbox.Kind.RELIABLE, seq -> new Message.CommandResult(seq, id,
                o.succeeded() ? CommandStatus.SUCCEEDED : CommandStatus.FAILED, o.output(), clipError(o.error())));
    }

    private static String clipError(String error) {
        return error == null || error.length() <= 4_000 ? error : error.substring(0, 4_000) + "…";
    }


    /** Queues the receipt of a command, whichever way it came. */
    public void receipt(Message.Command command) {
        append(Outbox.Kind.RELIABLE, seq -> new Message.CommandAck(seq, command.id()));
    }

    /** Queues telemetry; returns its seq. Refuses a message the hub would refuse as too large. */
    public long telemetry(List<Message.Sample> samples) {
        int limit = settings == null ? DEFAULT_MAX_MESSAGE_BYTES : settings.maxMessageBytes();
        int size = codec.encode(new Message.Telemetry(Long.MAX_VALUE, samples)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (size > limit) {
            throw new IllegalArgumentException("a telemetry message of " + size + " bytes is over the hub's limit of "
                    + limit + "; send fewer samples at a time");
        }
        return append(Outbox.Kind.TELEMETRY, seq -> new Message.Telemetry(seq, samples));
    }

    /** The hub's default largest message, until it says otherwise. */
    static final int DEFAULT_MAX_MESSAGE_BYTES = 262_144;
    /** The hub's largest command output, as JSON text. */
    static final int MAX_OUTPUT_CHARS = 65_536;

    private long append(Outbox.Kind kind, java.util.function.LongFunction<Message> message) {
        long seq = outbox.append(kind, message);
        wake();
        return seq;
    }

    @Override
    public void opened(io.fleetwire.agent.internal.connection.websocket.WebSocketClient ws) {
        generation.incrementAndGet();
        connection.sendOn(ws, codec.encode(new Message.Hello(Message.PROTOCOL_VERSION, "fleetwire-agent",
                agentVersion, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode())));
        wake();
    }

    @Override
    public void closed(int code, String reason) {
        log.debug("Socket closed: {} {}", code, reason);
    }

    @Override
    public void text(String text) {
        Message message;
        try {
            message = codec.decode(text);
        } catch (ProtocolException e) {
            log.warn("Hub sent a frame this agent cannot use: {}", e.getMessage());
            connection.send(codec.encode(e.toErrorFrame()));
            return;
        }
        switch (message) {
            case Message.Welcome w -> {
                hubOffset = Duration.between(Instant.now(), w.serverTime());
                applySettings(w.settings());
                reportApplied(w.settings());
                inbox.execute(guarded("welcome", welcomeListener));
            }
            case Message.Config c -> {
                applySettings(c.settings());
                reportApplied(c.settings());
            }
            // Both write to disk (the receipt to the outbox, the id to the run-once journal): off the socket thread, in order.
            // Claimed in the run-once journal first, then the receipt: a receipt never goes out for a
            // command this agent could not take on.
            case Message.Command c -> inbox.execute(guarded("command " + c.id(), () -> {
                runner.accept(c);
                receipt(c);
            }));
            case Message.CommandCancel c -> inbox.execute(guarded("cancel " + c.id(), () -> runner.cancel(c.id())));
            case Message.Ack a -> {
                lastAckNanos = System.nanoTime();
                outbox.ack(a.seq());
            }
            case Message.Ping p -> connection.send(codec.encode(new Message.Pong(p.ts())));
            case Message.Pong p -> { }
            case Message.Error e -> onError(e);
            case Message.Hello m -> unexpected(m);
            case Message.Telemetry m -> unexpected(m);
            case Message.LegacyData m -> unexpected(m);
            case Message.CommandAck m -> unexpected(m);
            case Message.CommandResult m -> unexpected(m);
            case Message.ConfigApplied m -> unexpected(m);
        }
    }

    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("Handling {} failed: {}", what, e.toString());
            }
        };
    }

    private void onError(Message.Error e) {
        if (e.refSeq() != null && !e.code().retryable()) {
            log.warn("Hub refused message {} for good ({}: {}); dropping it", e.refSeq(), e.code().wireName(), e.message());
            outbox.ack(e.refSeq());
        } else {
            log.info("Hub reports {}: {}", e.code().wireName(), e.message());
        }
    }

    private void unexpected(Message m) {
        connection.send(codec.encode(new Message.Error(ErrorCode.INVALID_MESSAGE,
                "'" + m.type() + "' is sent by agents, not by the hub", m.type(), null)));
    }

    private void applySettings(Message.Settings s) {
        if (s == null) {
            return;
        }
        settings = s;
        connection.silenceLimit(Duration.ofSeconds((long) s.heartbeatSeconds() * s.missedHeartbeats()));
        synchronized (settingsSignal) {
            settingsSignal.notifyAll();
        }
        // Kept on disk for offline starts, and handed to the parts that follow them: off the socket thread.
        inbox.execute(guarded("settings", () -> {
            settingsSink.accept(s);
            settingsFollowers.forEach(f -> f.accept(s));
        }));
    }

    /**
     * Settings read by the HTTP fallback poller: applied and reported like a {@code config} when their
     * version differs from the ones in effect (the report goes out by whichever path is up first).
     */
    public void settingsFromPoll(Message.Settings s) {
        Message.Settings current = settings;
        if (current == null || current.version() != s.version()) {
            applySettings(s);
            reportApplied(s);
        }
    }

    /** Tells the hub which settings version is in effect (queued after they are applied and kept). */
    private void reportApplied(Message.Settings s) {
        inbox.execute(guarded("config_applied", () ->
                append(Outbox.Kind.RELIABLE, seq -> new Message.ConfigApplied(seq, s.version()))));
    }

    /**
     * Sends what the outbox holds, in order, from the oldest unacknowledged after each reconnect, and
     * a JSON ping every heartbeat interval while the socket is open.
     */
    private void drain() {
        long lastSent = 0;
        int seenGeneration = -1;
        long lastRewind = System.nanoTime();
        long lastBeat = System.nanoTime();
        long pauseNanos = 1_000_000_000L / Math.max(1, replayPerSecond);
        while (running) {
            try {
                if (connection.state() != ConnectionState.OPEN) {
                    await(1_000);
                    continue;
                }
                lastBeat = beatIfDue(lastBeat);
                if (seenGeneration != generation.get()
                        || System.nanoTime() - Math.max(lastRewind, lastAckNanos) > RESEND_AFTER.toNanos()) {
                    seenGeneration = generation.get();
                    lastSent = 0;
                    lastRewind = System.nanoTime();
                }
                pendingWork.set(false);
                List<Outbox.Entry> batch = outbox.pending(lastSent, 64);
                if (batch.isEmpty()) {
                    await(1_000);
                    continue;
                }
                for (Outbox.Entry e : batch) {
                    if (!connection.send(codec.encode(e.message()))) {
                        sleepNanos(100_000_000L);
                        break;
                    }
                    lastSent = e.seq();
                    sleepNanos(pauseNanos);
                }
            } catch (RuntimeException e) {
                // e.g. the disk failed under the queue: keep the sender alive, try again shortly.
                log.warn("Sending queued messages failed: {}", e.toString());
                sleepNanos(1_000_000_000L);
            }
        }
    }

    /** Sends a JSON ping when a heartbeat interval has passed since {@code lastBeat}; returns when the last one went. */
    private long beatIfDue(long lastBeat) {
        Message.Settings s = settings;
        long now = System.nanoTime();
        if (now - lastBeat < java.util.concurrent.TimeUnit.SECONDS.toNanos(s == null ? 30 : s.heartbeatSeconds())) {
            return lastBeat;
        }
        connection.send(codec.encode(new Message.Ping(System.currentTimeMillis())));
        return now;
    }

    /**
     * One sample per telemetry interval, queued whether or not the hub is reachable. The interval is
     * the hub's (seed 003): nothing is sampled until a welcome, or settings kept from an earlier run,
     * say how often.
     */
    private void sampleLoop() {
        while (running) {
            Message.Settings s = settings;
            if (s == null) {
                sleepNanos(1_000_000_000L);
                continue;
            }
            long started = System.nanoTime();
            try {
                Message.Sample sample = telemetrySource.sample();
                if (sample != null) {
                    telemetry(List.of(withQueueHealth(sample)));
                }
            } catch (Exception e) {
                log.warn("Taking a telemetry sample failed: {}", e.toString());
            }
            awaitNextSample(started);
        }
    }

    /** The sample with the outgoing queue's health, so the hub sees drops and damage (issue #4). */
    private Message.Sample withQueueHealth(Message.Sample sample) {
        Outbox.Health h = outbox.health();
        java.util.Map<String, Double> metrics = new java.util.HashMap<>(sample.metrics());
        metrics.put("agent.queue.backlog", (double) h.backlog());
        metrics.put("agent.queue.dropped_telemetry", (double) h.droppedTelemetry());
        metrics.put("agent.queue.damaged_records", (double) h.damagedRecords());
        return new Message.Sample(sample.ts(), metrics, sample.sensors(), sample.fans(), sample.systemHealth(), sample.details());
    }

    /** Waits until one interval after {@code started}, the interval being the newest settings' own. */
    private void awaitNextSample(long started) {
        synchronized (settingsSignal) {
            while (running) {
                long left = Duration.ofSeconds(settings.telemetryIntervalSeconds()).toNanos() - (System.nanoTime() - started);
                if (left <= 0) {
                    return;
                }
                try {
                    settingsSignal.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    running = false;
                }
            }
        }
    }

    private void wake() {
        synchronized (signal) {
            pendingWork.set(true);
            signal.notifyAll();
        }
    }

    /** Waits for {@link #wake} (or the timeout), unless one came since the sender last looked. */
    private void await(long millis) {
        synchronized (signal) {
            if (pendingWork.getAndSet(false)) {
                return;
            }
            try {
                signal.wait(millis);
            } catch (InterruptedException e) {
                running = false;
            }
        }
    }

    private void sleepNanos(long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        inbox.shutdown();
        wake();
        if (sender != null) {
            sender.interrupt();
            if (sampler != null) {
                sampler.interrupt();
            }
            for (Thread t : new Thread[]{sender, sampler}) {
                if (t != null) {
                    try {
                        t.join(java.time.Duration.ofSeconds(5));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
        try {
            inbox.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
