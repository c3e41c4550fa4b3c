package io.fleetwire.hub.agent;

import io.fleetwire.hub.command.Commands;
import io.fleetwire.hub.device.DeviceRepository;
import io.fleetwire.hub.ops.HubMetrics;
import io.fleetwire.hub.presence.PresenceRegistry;
import io.fleetwire.hub.presence.Session;
import io.fleetwire.hub.settings.DeviceSettings;
import io.fleetwire.hub.telemetry.TelemetryRejected;
import io.fleetwire.hub.telemetry.TelemetryService;
import io.fleetwire.protocol.CloseCode;
import io.fleetwire.protocol.DeviceId;
import io.fleetwire.protocol.ErrorCode;
import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.MessageCodec;
import io.fleetwire.protocol.ProtocolException;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Instant;
import java.util.List;

/**
 * One device's socket after a successful upgrade. Decodes messages, answers pings and hellos, hands
 * telemetry to the {@link TelemetryService} and acknowledges it after commit. Every way the socket
 * ends goes through {@link #close(CloseCode)} or {@link #onClosed}. The WebSocket framing is
 * {@link DeviceChannel}'s.
 *
 * <p>Threading: the listener calls run on the socket's event loop (its Vert.x context); {@link #close},
 * {@link #ping} and {@link #lastSeen} may be called from any thread.
 */
final class AgentConnection implements Session, DeviceChannel.Listener {

    private static final Logger log = LoggerFactory.getLogger(AgentConnection.class);

    /** Until {@link #start}: Vert.x's socket, whose channel {@link DeviceChannel} takes over. */
    private ServerWebSocket upgraded;
    private volatile DeviceChannel ws;
    private final String remote;
    /** The socket's event loop: frames are written from it (see {@link #send}). */
    private final io.vertx.core.Context loop;
    private final DeviceId deviceId;
    private final String agentId;
    private final AgentContext hub;
    private final RateLimiter rate;
    private final CommandReports reports;
    private volatile long lastSeenMillis = System.currentTimeMillis();
    /** The settings this device has now: sent in every welcome, replaced by {@link #configure}. */
    private volatile Message.Settings settings;
    private volatile CloseCode closing;
    /** The settings version this device is known to have applied and stored (null: none yet). */
    private volatile Long appliedVersion;
    /** When this socket last had its device's newest sample kept whole ({@code latest.state}); frames run on {@link #loop}. */
    private boolean stateKept;
    private long stateKeptNanos;

    AgentConnection(ServerWebSocket ws, DeviceRepository.Credentials credentials, AgentContext hub) {
        this.upgraded = ws;
        this.remote = String.valueOf(ws.remoteAddress());
        this.loop = io.vertx.core.Vertx.currentContext();
        this.deviceId = credentials.id();
        this.agentId = credentials.agentId();
        this.hub = hub;
        this.rate = new RateLimiter(hub.config().deviceRate(), hub.config().deviceBurst(), System.nanoTime());
        this.reports = new CommandReports(deviceId, hub.commands().service(), this::send, this::refuse);
        this.settings = hub.settings().effective(credentials.settingsOverrides(), credentials.settingsVersion());
        this.appliedVersion = credentials.appliedVersion();
    }

    /**
     * Starts serving the socket: the welcome goes first, so nothing reaches the device before it; then
     * the session is registered. The future completes once the connect is stored (or failed to be);
     * commands go then, if the device has any that may.
     */
    io.vertx.core.Future<Void> start() {
        AgentEndpoint.Config config = hub.config();
        ws = DeviceChannel.takeOver(upgraded, loop, config.maxMessageBytes(), config.maxMessageBytes(),
                AgentEndpoint.CLOSING_TIMEOUT, this);
        upgraded = null;
        send(welcome());
        Instant since = Instant.now();
        return hub.presence().connected(this, remote).transform(ar -> {
            if (ar.failed()) {
                log.warn("Could not record device {} as connected: {}", deviceId, ar.cause().getMessage());
                if (ar.cause() instanceof io.fleetwire.hub.db.BatchWriter.Full) {
                    close(CloseCode.INTERNAL_ERROR);
                    return io.vertx.core.Future.succeededFuture();
                }
            }
            // Unknown (the write failed) counts as having commands: a poke too many costs one query.
            if (ar.failed() || ar.result()) {
                hub.commands().deviceConnected(deviceId, since);
            }
            return io.vertx.core.Future.succeededFuture();
        });
    }

    @Override
    public DeviceId deviceId() {
        return deviceId;
    }

    @Override
    public Instant lastSeen() {
        return Instant.ofEpochMilli(lastSeenMillis);
    }

    @Override
    public void ping() {
        if (closing == null) {
            ws.ping();
        }
    }

    @Override
    public void close(CloseCode code) {
        if (closing != null) {
            return;
        }
        closing = code;
        hub.metrics().increment("fleetwire_device_closes_total", "code=\"" + code.code() + "\"");
        ws.close(code);
    }

    private void touch() {
        lastSeenMillis = System.currentTimeMillis();
    }

    @Override
    public void onText(byte[] utf8) {
        if (!admit()) {
            return;
        }
        Message message;
        try {
            message = hub.codec().decode(utf8, 0, utf8.length);
        } catch (ProtocolException e) {
            refuse(e.toErrorFrame());
            return;
        }
        switch (message) {
            case Message.Hello hello -> onHello(hello);
            case Message.Ping ping -> send(new Message.Pong(ping.ts()));
            case Message.Pong pong -> { }
            case Message.Telemetry t -> ingest(t.seq(), t.samples(), "telemetry");
            case Message.LegacyData d -> onLegacy(d);
            case Message.Error e -> log.info("Device {} reports error {}: {}", deviceId, e.code().wireName(), e.message());
            case Message.CommandAck a -> reports.onAck(a);
            case Message.CommandResult r -> reports.onResult(r);
            case Message.ConfigApplied c -> onConfigApplied(c);
            case Message.Ack a -> wrongDirection(a);
            case Message.Welcome w -> wrongDirection(w);
            case Message.Command c -> wrongDirection(c);
            case Message.CommandCancel c -> wrongDirection(c);
            case Message.Config c -> wrongDirection(c);
        }
    }

    /** Counts a frame against the device's allowance; false when it was refused or the socket closed. */
    private boolean admit() {
        touch();
        switch (rate.acquire(System.nanoTime())) {
            case FLOODING -> {
                log.info("Device {} floods its socket; closing", deviceId);
                close(CloseCode.POLICY_VIOLATION);
                return false;
            }
            case REFUSE -> {
                refuse(new Message.Error(ErrorCode.RATE_LIMITED, "too many messages; this one was dropped, not stored",
                        null, null));
                return false;
            }
            default -> {
                return true;
            }
        }
    }

    @Override
    public void onPong() {
        touch();
    }

    /** A frame or message over the size limit (1009), or broken framing (1008). */
    @Override
    public void onFault(CloseCode code) {
        close(code);
    }

    @Override
    public void onBinary() {
        if (!admit()) {
            return;
        }
        refuse(new Message.Error(ErrorCode.INVALID_MESSAGE, "binary frames are not part of protocol v1; send JSON text frames",
                null, null));
    }

    private void onHello(Message.Hello hello) {
        if (hello.protocol() != Message.PROTOCOL_VERSION) {
            refuse(new Message.Error(ErrorCode.INVALID_MESSAGE, "protocol " + hello.protocol()
                    + " is not supported; this hub speaks " + Message.PROTOCOL_VERSION, "hello", null));
            return;
        }
        hub.presence().hello(new DeviceRepository.AgentInfo(deviceId, hello.agentName(), hello.agentVersion(),
                        new JsonObject(hello.capabilities().toString())))
                .onFailure(e -> log.warn("Could not store hello of device {}: {}", deviceId, e.getMessage()));
        send(welcome());
    }

    /**
     * Stored; a device that is not on its current settings is sent them again. Acked once stored. A
     * device reporting the version already stored for it (every reconnect does) costs no write: its
     * current settings are the ones this connection holds.
     */
    private void onConfigApplied(Message.ConfigApplied applied) {
        Long stored = appliedVersion;
        if (stored != null && stored == applied.version()) {
            Message.Settings current = settings;
            if (current.version() != applied.version()) {
                send(new Message.Config(current));
            }
            if (applied.seq() != null) {
                send(new Message.Ack(applied.seq()));
            }
            return;
        }
        hub.settings().applied(deviceId, applied.version()).onComplete(ar -> {
            if (ar.failed()) {
                refuse(new Message.Error(ErrorCode.INTERNAL, "could not store the applied settings version; send it again later",
                        "config_applied", applied.seq()));
                return;
            }
            appliedVersion = applied.version();
            ar.result().ifPresent(this::configure);
            if (applied.seq() != null) {
                send(new Message.Ack(applied.seq()));
            }
        });
    }

    @Override
    public void configure(Message.Settings next) {
        synchronized (this) {
            if (next.version() < settings.version()) {
                return;
            }
            settings = next;
        }
        send(new Message.Config(next));
    }

    private void onLegacy(Message.LegacyData data) {
        if (data.agentId() != null && agentId != null && !agentId.equals(data.agentId())) {
            refuse(new Message.Error(ErrorCode.FORBIDDEN, "agentId '" + data.agentId()
                    + "' is not the agent this token was issued to", "data", null));
            return;
        }
        ingest(TelemetryService.NO_SEQ, List.of(data.sample()), "data");
    }

    private void ingest(long seq, List<Message.Sample> samples, String type) {
        Long ref = seq == TelemetryService.NO_SEQ ? null : seq;
        long now = System.nanoTime();
        boolean keepState = hub.telemetry().stateDue(stateKept, stateKeptNanos, now);
        if (keepState) {
            stateKept = true;
            stateKeptNanos = now;
        }
        hub.telemetry().ingest(deviceId, seq, samples, keepState).onComplete(ar -> {
            if (ar.succeeded()) {
                if (ref != null) {
                    send(new Message.Ack(seq));
                }
            } else if (ar.cause() instanceof TelemetryRejected r) {
                refuse(new Message.Error(r.code(), r.getMessage(), type, ref));
            } else {
                refuse(new Message.Error(ErrorCode.INTERNAL, "could not store the message; send it again later", type, ref));
            }
        });
    }

    private void wrongDirection(Message m) {
        refuse(new Message.Error(ErrorCode.INVALID_MESSAGE, "'" + m.type() + "' is sent by the hub, not by devices",
                m.type(), null));
    }

    private void refuse(Message.Error error) {
        hub.metrics().increment("fleetwire_device_frames_rejected_total", "code=\"" + error.code().wireName() + "\"");
        send(error);
    }

    private Message.Welcome welcome() {
        return new Message.Welcome(Message.PROTOCOL_VERSION, deviceId, Instant.now(), settings);
    }

    @Override
    public boolean send(Message m) {
        if (closing != null || !ws.isOpen()) {
            return false;
        }
        // Acks and command frames come from the database's callbacks, often on another event loop. Vert.x
        // queues a write from another thread and reports the queue full after a handful, so a burst of acks
        // would look like a device that does not read: every write is made on the socket's own loop.
        if (loop != null && io.vertx.core.Vertx.currentContext() != loop) {
            loop.runOnContext(v -> send(m));
            return true;
        }
        if (!ws.writable()) {
            log.info("Device {} does not read its socket; closing", deviceId);
            close(CloseCode.POLICY_VIOLATION);
            return false;
        }
        return ws.send(hub.codec().encode(m));
    }

    @Override
    public void onClosed(Short status, String closeReason) {
        CloseCode ours = closing;
        int code;
        String reason;
        if (ours != null) {
            code = ours.code();
            reason = ours.reason();
        } else {
            code = status == null ? 1006 : status;
            reason = closeReason == null ? (status == null ? "connection lost" : "closed by device") : closeReason;
            if (code == CloseCode.MESSAGE_TOO_BIG.code() || code == CloseCode.POLICY_VIOLATION.code()) {
                hub.metrics().increment("fleetwire_device_closes_total", "code=\"" + code + "\"");
            }
        }
        MDC.put("device", deviceId.toString());
        log.debug("Device socket closed: {} {}", code, reason);
        MDC.remove("device");
        hub.presence().disconnected(this, code, reason)
                .onFailure(e -> log.warn("Could not record device {} as disconnected: {}", deviceId, e.getMessage()));
    }

    /** What a connection needs from the hub. */
    record AgentContext(AgentEndpoint.Config config, MessageCodec codec, TelemetryService telemetry,
                        PresenceRegistry presence, DeviceRepository devices, HubMetrics metrics,
                        DeviceSettings settings, Commands commands) {
    }
}
