package io.fleetwire.sim.internal;

import io.fleetwire.agent.CommandOutcome;
import io.fleetwire.agent.CommandRequest;
import io.fleetwire.protocol.CloseCode;
import io.fleetwire.protocol.CommandStatus;
import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.ProtocolException;
import io.fleetwire.sim.CommandReceipt;
import io.fleetwire.sim.SimDevice;
import io.fleetwire.sim.TelemetryGenerator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One simulated device: its socket's life (connect through the fleet's gate, welcome, hello, reconnect
 * with jittered backoff), its telemetry timer, the messages waiting for an ack (re-sent after a reconnect,
 * a retryable error with backoff, or when no ack at all came for {@value #STALE_SECONDS} s), and its commands
 * ({@link DeviceCommands}). Every method runs on the device's event loop, except {@link #start},
 * {@link #drop} and {@link #close}, which hop onto it.
 */
public final class DeviceSession {

    /** Frames re-sent at once after a connect, then this many per second (the hub's default rate is 20/s). */
    private static final int DRAIN_FIRST = 40;
    private static final int DRAIN_PER_SECOND = 15;
    /**
     * When no ack at all came on this socket for this long, messages sent on it that long ago are sent again
     * (a {@code rate_limited} error names no seq, so its message is otherwise never re-sent). Not sooner: a hub
     * that is slow but acking still holds them, and re-sending would only add load.
     */
    private static final int STALE_SECONDS = 60;
    /** Retryable errors ({@code overloaded}, …): re-send after a delay doubling from 1 s to 30 s, reset by an ack. */
    private static final long RETRY_MIN_MILLIS = 1_000;
    private static final long RETRY_MAX_MILLIS = 30_000;

    enum Kind { TELEMETRY, COMMAND_ACK, COMMAND_RESULT }

    /** A seq'd message waiting for its ack. */
    static final class Outgoing {
        final long seq;
        final Kind kind;
        /** The frame's text as UTF-8, encoded once, sent again as it is. */
        final byte[] utf8;
        final String commandId;
        boolean everSent;
        int sentOn = -1;
        long sentAtNanos;

        Outgoing(long seq, Kind kind, byte[] utf8, String commandId) {
            this.seq = seq;
            this.kind = kind;
            this.utf8 = utf8;
            this.commandId = commandId;
        }
    }

    private final SimDevice device;
    private final EventLoop loop;
    private final FleetContext fleet;
    private final FleetCounters counters;
    private final TelemetryGenerator machine;
    private final DeviceCommands commands;
    private final SplittableRandom jitter;
    private final LinkedHashMap<Long, Outgoing> unacked = new LinkedHashMap<>();
    private int telemetryInFlight;

    private Channel channel;
    private int connection;
    private boolean open;
    private boolean everWelcomed;
    private boolean stopped;
    private boolean dropRequested;
    private boolean authRefused;
    private int closeCode = -1;
    private int backoffAttempt;
    /** The wait a refused upgrade's {@code Retry-After} asked for; -1: none. */
    private long retryAfterMillis = -1;
    private int drainBudget;
    private boolean drainScheduled;
    private long seq;
    private long lastReadNanos;
    private long lastAckNanos;
    private long retryMillis = RETRY_MIN_MILLIS;
    private long hubOffsetMillis;
    private Message.Settings settings;
    private ScheduledFuture<?> tick;

    public DeviceSession(SimDevice device, int index, EventLoop loop, FleetContext fleet) {
        this.device = device;
        this.loop = loop;
        this.fleet = fleet;
        this.counters = fleet.counters;
        this.machine = new TelemetryGenerator(fleet.options.seed() + index);
        this.jitter = new SplittableRandom(fleet.options.seed() * 31 + index);
        this.commands = new DeviceCommands(this, machine);
    }

    public String deviceId() {
        return device.id();
    }

    /** Starts connecting (through the fleet's gate). Any thread. */
    public void start() {
        loop.execute(() -> requestConnect(0));
    }

    /** Aborts the socket at once (TCP reset, no close frame); the device reconnects promptly with jitter. Any thread. */
    public void drop() {
        loop.execute(() -> {
            if (channel != null && !stopped) {
                dropRequested = true;
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
                channel.close();
            }
        });
    }

    /**
     * Stops the device: no more telemetry or reconnects; an open socket is closed with 1000 (the hub's close
     * frame is awaited up to a second). Any thread; the future completes when the socket is gone.
     */
    public Future<?> close() {
        io.netty.util.concurrent.Promise<Void> done = loop.newPromise();
        loop.execute(() -> {
            stopped = true;
            if (tick != null) {
                tick.cancel(false);
            }
            Channel ch = channel;
            if (ch == null) {
                done.setSuccess(null);
                return;
            }
            ch.closeFuture().addListener(f -> done.trySuccess(null));
            if (open) {
                ch.writeAndFlush(new CloseWebSocketFrame(CloseCode.NORMAL.code(), "simulator stopping"));
                loop.schedule(() -> ch.close(), 1, TimeUnit.SECONDS);
            } else {
                ch.close();
            }
        });
        return done;
    }

    // ---- connection life ----

    private void requestConnect(long delayNanos) {
        if (stopped) {
            return;
        }
        long now = System.nanoTime();
        long slot = fleet.gate.reserve(now + delayNanos);
        loop.schedule(this::connect, Math.max(0, slot - now), TimeUnit.NANOSECONDS);
    }

    private void connect() {
        if (stopped || channel != null) {
            return;
        }
        connection++;
        closeCode = -1;
        Channel ch = fleet.transport.connect(this, loop, device.token()).addListener(f -> {
            if (!f.isSuccess()) {
                counters.connectFailures.increment();
            }
        }).channel();
        channel = ch;
        ch.closeFuture().addListener(f -> onClosed(ch));
    }

    /** The one place a socket's end is handled: counters, and when (or whether) to connect again. */
    private void onClosed(Channel ch) {
        if (ch != channel) {
            return;
        }
        channel = null;
        if (open) {
            open = false;
            counters.connected.decrementAndGet();
        } else if (!stopped && !dropRequested && closeCode < 0 && !authRefused) {
            counters.connectFailures.increment();
        }
        if (stopped) {
            return;
        }
        if (authRefused || closeCode == CloseCode.REVOKED.code()) {
            stopped = true;
            counters.authFailures.increment();
            fleet.warn("Device {} ({}): token refused by the hub; this device stops", device.name(), device.id());
            return;
        }
        long delayMillis;
        if (retryAfterMillis >= 0) {
            // The hub said when (spread by its backlog in a storm): come back then, within the second
            // after, without growing the backoff.
            delayMillis = retryAfterMillis + jitter.nextLong(1_000);
            retryAfterMillis = -1;
        } else if (dropRequested || closeCode == CloseCode.GOING_AWAY.code()) {
            delayMillis = jitter.nextLong(fleet.options.backoffBase().toMillis() + 1);
        } else {
            long base = fleet.options.backoffBase().toMillis();
            long max = fleet.options.backoffMax().toMillis();
            long ceiling = backoffAttempt >= 30 || base > (max >> Math.min(backoffAttempt, 30)) ? max : Math.min(max, base << backoffAttempt);
            backoffAttempt = Math.min(backoffAttempt + 1, 62);
            delayMillis = jitter.nextLong(ceiling + 1);
        }
        dropRequested = false;
        requestConnect(TimeUnit.MILLISECONDS.toNanos(delayMillis));
    }

    void onHandshake(boolean deflate) {
        lastReadNanos = System.nanoTime();
        if (deflate) {
            counters.deflateSockets.increment();
        }
    }

    void onUpgradeRefused(int status, String retryAfter) {
        if (status == 401) {
            authRefused = true;
            return;
        }
        retryAfterMillis = retryAfterMillis(retryAfter);
        if (retryAfterMillis < 0) {
            fleet.warn("Device {}: the hub refused the upgrade with HTTP {}; retrying with backoff", device.name(), status);
        }
    }

    /** A {@code Retry-After} in whole seconds (0 to 1 hour) as milliseconds; -1 when absent or not that form. */
    static long retryAfterMillis(String header) {
        if (header == null || header.isEmpty() || header.length() > 4 || !header.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        int seconds = Integer.parseInt(header);
        return seconds <= 3_600 ? seconds * 1_000L : -1;
    }

    void onSocketError(Throwable cause) {
        if (!(cause instanceof java.io.IOException)) {
            fleet.warn("Device {}: socket error {}", device.name(), cause.toString());
        }
    }

    /** A close frame from the hub; returns whether to answer it (false when this side started closing). */
    boolean onCloseFrame(int code) {
        closeCode = code;
        return !stopped;
    }

    void bytesRead(int n) {
        lastReadNanos = System.nanoTime();
        counters.bytesIn.add(n);
    }

    void bytesWritten(int n) {
        counters.bytesOut.add(n);
    }

    // ---- messages from the hub ----

    void onText(String text) {
        Message message;
        try {
            message = fleet.codec.decode(text);
        } catch (ProtocolException e) {
            fleet.warn("Device {}: cannot decode a frame from the hub: {}", device.name(), e.getMessage());
            return;
        }
        switch (message) {
            case Message.Welcome w -> onWelcome(w);
            case Message.Ack a -> onAck(a.seq());
            case Message.Command c -> commands.onCommand(c);
            case Message.CommandCancel c -> commands.onCancel(c.id().toString());
            case Message.Ping p -> send(fleet.codec.encode(new Message.Pong(p.ts())));
            case Message.Pong p -> { }
            case Message.Error e -> onError(e);
            case Message.Hello m -> unexpected(m);
            case Message.Telemetry m -> unexpected(m);
            case Message.LegacyData m -> unexpected(m);
            case Message.CommandAck m -> unexpected(m);
            case Message.CommandResult m -> unexpected(m);
            case Message.ConfigApplied m -> unexpected(m);
            case Message.Config c -> {
                // New settings (the next tick uses the new interval); reported like an agent, without a seq.
                settings = c.settings();
                send(fleet.codec.encode(new Message.ConfigApplied(null, c.settings().version())));
            }
        }
    }

    private void unexpected(Message m) {
        fleet.warn("Device {}: the hub sent a '{}', which only devices send", device.name(), m.type());
    }

    private void onWelcome(Message.Welcome w) {
        settings = w.settings();
        hubOffsetMillis = w.serverTime().toEpochMilli() - System.currentTimeMillis();
        send(fleet.codec.encode(new Message.ConfigApplied(null, w.settings().version())));
        if (open) {
            return; // the answer to our hello
        }
        open = true;
        backoffAttempt = 0;
        lastAckNanos = System.nanoTime();
        counters.connected.incrementAndGet();
        if (everWelcomed) {
            counters.reconnects.increment();
        }
        everWelcomed = true;
        send(fleet.helloText);
        if (tick == null) {
            long interval = intervalNanos();
            tick = loop.schedule(this::tick, jitter.nextLong(interval), TimeUnit.NANOSECONDS);
        }
        drainBudget = DRAIN_FIRST;
        drain();
    }

    private void onAck(long ackSeq) {
        Outgoing o = removeUnacked(ackSeq);
        long now = System.nanoTime();
        lastAckNanos = now;
        retryMillis = RETRY_MIN_MILLIS;
        if (o == null) {
            counters.duplicateAcks.increment();
            return;
        }
        counters.outstanding.decrement();
        switch (o.kind) {
            case TELEMETRY -> {
                counters.telemetryAcked.increment();
                counters.telemetryUnacked.decrement();
                counters.ackLatency.recordValue(Math.max(0, now - o.sentAtNanos));
            }
            case COMMAND_ACK -> commands.receiptStored(o.commandId, now);
            case COMMAND_RESULT -> commands.resultStored(o.commandId, now);
        }
    }

    private void onError(Message.Error e) {
        Outgoing o = e.refSeq() == null ? null : unacked.get(e.refSeq());
        if (e.code().retryable()) {
            counters.retryableErrors.increment();
            if (o != null) {
                o.sentOn = -1;
            }
            scheduleDrain(retryMillis / 2 + jitter.nextLong(retryMillis / 2 + 1));
            retryMillis = Math.min(RETRY_MAX_MILLIS, retryMillis * 2);
            return;
        }
        fleet.warn("Device {}: the hub refused {} seq {}: {} {}", device.name(), e.refType(), e.refSeq(),
                e.code().wireName(), e.message());
        if (o != null) {
            removeUnacked(o.seq);
            counters.outstanding.decrement();
            if (o.kind == Kind.TELEMETRY) {
                counters.telemetryRejected.increment();
                counters.telemetryUnacked.decrement();
            } else {
                commands.forget(o.commandId);
            }
        }
    }

    // ---- telemetry and sending ----

    private long intervalNanos() {
        if (fleet.options.telemetryInterval() != null) {
            return fleet.options.telemetryInterval().toNanos();
        }
        int seconds = settings == null ? 3 : Math.max(1, settings.telemetryIntervalSeconds());
        return TimeUnit.SECONDS.toNanos(seconds);
    }

    private void tick() {
        if (stopped) {
            return;
        }
        tick = loop.schedule(this::tick, intervalNanos(), TimeUnit.NANOSECONDS);
        long now = System.nanoTime();
        if (open && settings != null) {
            long silence = TimeUnit.SECONDS.toNanos((long) settings.heartbeatSeconds() * settings.missedHeartbeats() + 5);
            if (now - lastReadNanos > silence && channel != null) {
                fleet.warn("Device {}: nothing heard from the hub for {} s; reconnecting", device.name(),
                        TimeUnit.NANOSECONDS.toSeconds(now - lastReadNanos));
                channel.close();
                return;
            }
            resendStale(now);
        }
        int limit = fleet.options.inFlightLimit();
        if (!fleet.paused && (limit == 0 || inFlightTelemetry() < limit)) {
            long s = ++seq;
            Message.Telemetry t = new Message.Telemetry(s, List.of(machine.next(Instant.now())));
            counters.telemetrySent.increment();
            counters.telemetryUnacked.increment();
            enqueue(new Outgoing(s, Kind.TELEMETRY, fleet.codec.encodeUtf8(t), null));
        }
    }

    /** Telemetry messages in {@link #unacked}; counted as they come and go (every tick asks, 100 times a second a device). */
    private int inFlightTelemetry() {
        return telemetryInFlight;
    }

    /** Removes a message from {@link #unacked}, keeping the telemetry count. */
    private Outgoing removeUnacked(long seq) {
        Outgoing o = unacked.remove(seq);
        if (o != null && o.kind == Kind.TELEMETRY) {
            telemetryInFlight--;
        }
        return o;
    }

    private void resendStale(long now) {
        long stale = TimeUnit.SECONDS.toNanos(STALE_SECONDS);
        if (unacked.isEmpty() || now - lastAckNanos < stale) {
            return;
        }
        boolean any = false;
        for (Outgoing o : unacked.values()) {
            if (o.sentOn == connection && now - o.sentAtNanos > stale) {
                o.sentOn = -1;
                any = true;
            }
        }
        if (any) {
            drainBudget = Math.max(drainBudget, DRAIN_PER_SECOND);
            drain();
        }
    }

    /** Sends a seq'd message for a command ({@code command_ack} or {@code command_result}); kept until acked. */
    long sendCommandMessage(Kind kind, String commandId, java.util.function.LongFunction<Message> message) {
        long s = ++seq;
        enqueue(new Outgoing(s, kind, fleet.codec.encodeUtf8(message.apply(s)), commandId));
        return s;
    }

    private void enqueue(Outgoing o) {
        unacked.put(o.seq, o);
        if (o.kind == Kind.TELEMETRY) {
            telemetryInFlight++;
        }
        counters.outstanding.increment();
        if (unacked.size() > fleet.options.maxUnacked()) {
            dropOldestTelemetry();
        }
        if (open && !drainScheduled) {
            write(o);
        }
    }

    private void dropOldestTelemetry() {
        Iterator<Outgoing> it = unacked.values().iterator();
        while (it.hasNext()) {
            Outgoing o = it.next();
            if (o.kind == Kind.TELEMETRY) {
                it.remove();
                telemetryInFlight--;
                counters.outstanding.decrement();
                counters.telemetryUnacked.decrement();
                counters.telemetryDropped.increment();
                return;
            }
        }
    }

    private void write(Outgoing o) {
        if (o.everSent && o.kind == Kind.TELEMETRY) {
            counters.telemetryResent.increment();
        }
        o.everSent = true;
        o.sentOn = connection;
        o.sentAtNanos = System.nanoTime();
        send(o.utf8);
    }

    private void send(String text) {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes one text frame of these UTF-8 bytes, if the socket is open. */
    private void send(byte[] utf8) {
        if (channel != null && open) {
            channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8)), channel.voidPromise());
        }
    }

    /** Writes what this socket has not carried yet, oldest first, within the budget; the rest a second later. */
    private void drain() {
        if (!open) {
            return;
        }
        for (Outgoing o : unacked.values()) {
            if (o.sentOn == connection) {
                continue;
            }
            if (drainBudget <= 0) {
                scheduleDrain(1_000);
                return;
            }
            drainBudget--;
            write(o);
        }
    }

    private void scheduleDrain(long delayMillis) {
        if (drainScheduled) {
            return;
        }
        drainScheduled = true;
        loop.schedule(() -> {
            drainScheduled = false;
            drainBudget = DRAIN_PER_SECOND;
            drain();
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    // ---- for DeviceCommands ----

    FleetContext fleet() {
        return fleet;
    }

    EventLoop loop() {
        return loop;
    }

    SimDevice device() {
        return device;
    }

    /** The hub's clock now, as far as this device knows it. */
    Instant hubNow() {
        return Instant.ofEpochMilli(System.currentTimeMillis() + hubOffsetMillis);
    }

    static CommandOutcome run(String name, TelemetryGenerator machine, CommandRequest request) {
        try {
            return SimCommandHandlers.handler(name, machine).handle(request);
        } catch (Exception e) {
            return CommandOutcome.failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    static Message.CommandResult result(long seq, String id, CommandOutcome outcome) {
        return new Message.CommandResult(seq, io.fleetwire.protocol.CommandId.parse(id),
                outcome.succeeded() ? CommandStatus.SUCCEEDED : CommandStatus.FAILED, outcome.output(), outcome.error());
    }

    static CommandReceipt receipt(String deviceId, Message.Command c, long now) {
        return new CommandReceipt(deviceId, c.id().toString(), c.name(), c.attempt(), now);
    }
}
