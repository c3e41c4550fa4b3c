package io.fleetwire.agent.internal.connection;

import io.fleetwire.agent.ConnectionListener;
import io.fleetwire.agent.ConnectionState;
import io.fleetwire.agent.internal.connection.websocket.CloseStatus;
import io.fleetwire.agent.internal.connection.websocket.HandshakeException;
import io.fleetwire.agent.internal.connection.websocket.WebSocketClient;
import io.fleetwire.agent.internal.connection.websocket.WebSocketProtocolException;
import io.fleetwire.protocol.CloseCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The agent's one WebSocket to the hub: connects, reconnects with {@link Backoff} (promptly, with
 * jitter, after the hub's "going away"), gives up only when the hub refuses the token (401) or
 * revokes the device (4003), and declares the link dead when nothing arrives for the silence limit.
 * Framing only ({@link WebSocketClient}): text messages go to {@code onText} on the socket's reader
 * thread, whole.
 *
 * <p>Threading: one platform thread runs the connect loop and watches the open socket (silence,
 * stuck writes, closing); one more reads each socket while it is open; {@link #send} may be called
 * from any thread (the client serialises writes).
 */
public final class HubConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HubConnection.class);

    /**
     * Where and how to connect. {@code tls}: for a wss:// hub, null = the JDK's default trust.
     */
    public record Config(URI uri, String token, Duration backoffBase, Duration backoffMax, Duration stableAfter,
                         Duration connectTimeout, SSLSocketFactory tls) {
        public Config(URI uri, String token, Duration backoffBase, Duration backoffMax, Duration stableAfter,
                      Duration connectTimeout) {
            this(uri, token, backoffBase, backoffMax, stableAfter, connectTimeout, null);
        }
    }

    /**
     * Largest message taken from the hub: a command's params are at most the hub's 1 MiB request
     * body; larger closes the socket with 1009.
     */
    static final int MAX_INCOMING_BYTES = 2 << 20;
    /** A write blocked this long means the hub stopped reading: the socket is dropped. */
    static final Duration WRITE_STUCK_AFTER = Duration.ofSeconds(30);

    /** What the connection reports upwards. */
    public interface Events {
        /** A socket is up; called before the state turns OPEN. {@code ws} may be used with {@link #sendOn}. */
        void opened(WebSocketClient ws);

        void text(String text);

        void closed(int code, String reason);
    }

    private final Config config;
    private final Events events;
    private final ConnectionListener listener;
    private final Backoff backoff;
    private final Object stateLock = new Object();
    private volatile ConnectionState state = ConnectionState.CLOSED;
    private volatile WebSocketClient socket;
    /** Completes when the current socket ends; a failed send completes it too. */
    private volatile CompletableFuture<int[]> current;
    private volatile Duration silenceLimit = Duration.ofSeconds(90);
    private volatile boolean closing;
    static final int MAX_REPLACED = 3;
    private int replacedInARow;
    private Thread loop;

    public HubConnection(Config config, Events events, ConnectionListener listener, Backoff backoff) {
        this.config = config;
        this.events = events;
        this.listener = listener;
        this.backoff = backoff;
    }

    public void start() {
        loop = Thread.ofPlatform().name("fleetwire-connection").daemon().start(this::run);
    }

    public ConnectionState state() {
        return state;
    }

    /** After this long without any frame from the hub the socket is dropped and reconnected. */
    public void silenceLimit(Duration limit) {
        this.silenceLimit = limit;
    }

    /** Sends a text frame; false when there is no open socket or the write failed. */
    public boolean send(String text) {
        WebSocketClient ws = socket;
        if (ws == null || state != ConnectionState.OPEN) {
            return false;
        }
        return sendOn(ws, text);
    }

    /**
     * Sends on {@code ws}, also before it is announced OPEN (the hello). A failed write ends the
     * socket at once (1006).
     */
    public boolean sendOn(WebSocketClient ws, String text) {
        try {
            ws.sendText(text);
            return true;
        } catch (IOException e) {
            log.debug("Send failed: {}", e.toString());
            ws.abort();
            CompletableFuture<int[]> ended = current;
            if (ended != null && socket == ws) {
                ended.complete(new int[]{CloseStatus.ABNORMAL});
            }
            return false;
        }
    }

    private void run() {
        while (!closing) {
            move(ConnectionState.CONNECTING, "connecting to " + config.uri());
            CompletableFuture<int[]> ended = new CompletableFuture<>();
            StringBuilder reason = new StringBuilder();
            WebSocketClient ws;
            try {
                ws = WebSocketClient.connect(config.uri(), Map.of("Authorization", "Bearer " + config.token()),
                        new WebSocketClient.Options(config.connectTimeout(), MAX_INCOMING_BYTES, config.tls()));
            } catch (HandshakeException e) {
                if (e.status() == 401) {
                    move(ConnectionState.FAILED, "the hub refused the device token (HTTP 401)");
                    return;
                }
                // A busy hub (a reconnect storm) says when to come back, spread by its backlog: that
                // wait, plus up to a second of jitter, instead of a backoff that grows with each refusal.
                Duration delay = e.retryAfterSeconds() >= 0 ? backoff.afterRetryAfter(e.retryAfterSeconds()) : backoff.next();
                pause(delay, "cannot connect: " + rootMessage(e));
                continue;
            } catch (IOException | RuntimeException e) {
                pause(backoff.next(), "cannot connect: " + rootMessage(e));
                continue;
            }
            long openedAt = System.nanoTime();
            socket = ws;
            current = ended;
            if (closing) {
                ws.abort();
                break;
            }
            // Told before the state says OPEN, so no sender starts from the previous socket's position.
            events.opened(ws);
            Thread reader = new SocketReader(ws, ended, reason).start();
            move(ConnectionState.OPEN, "connected");
            int[] end = awaitEnd(ws, ended);
            ws.abort();
            join(reader);
            socket = null;
            if (closing) {
                break;
            }
            events.closed(end[0], reason.toString());
            if (end[0] == CloseCode.REVOKED.code()) {
                move(ConnectionState.FAILED, "the hub revoked this device (close 4003)");
                return;
            }
            // 4000: another connection with this token took over. Once could be our own reconnect racing
            // the old socket; three in a row means another agent holds the same token, and fighting it
            // would only flap both.
            replacedInARow = end[0] == CloseCode.REPLACED.code() ? replacedInARow + 1 : 0;
            if (replacedInARow >= MAX_REPLACED) {
                move(ConnectionState.FAILED, "replaced " + MAX_REPLACED
                        + " times in a row (close 4000): another agent is using this device's token");
                return;
            }
            if (System.nanoTime() - openedAt >= config.stableAfter().toNanos()) {
                backoff.reset();
            }
            Duration delay = end[0] == CloseCode.GOING_AWAY.code() ? backoff.afterGoingAway() : backoff.next();
            pause(delay, "socket closed: " + end[0] + (reason.isEmpty() ? "" : " " + reason));
        }
        move(ConnectionState.CLOSED, "closed by the agent");
    }

    /**
     * Waits for the socket to end, dropping it when the hub falls silent or stops reading; once
     * closing, waits up to 2 s for the hub to answer the agent's close.
     */
    private int[] awaitEnd(WebSocketClient ws, CompletableFuture<int[]> ended) {
        long closingSince = 0;
        while (true) {
            try {
                return ended.get(closing ? 100 : 1000, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                long now = System.nanoTime();
                if (closing) {
                    closingSince = closingSince == 0 ? now : closingSince;
                    if (now - closingSince > TimeUnit.SECONDS.toNanos(2)) {
                        return new int[]{CloseStatus.NORMAL};
                    }
                    continue;
                }
                if (now - ws.lastFrameNanos() > silenceLimit.toNanos()) {
                    log.info("Nothing from the hub for {} s; reconnecting", silenceLimit.toSeconds());
                    return new int[]{CloseStatus.ABNORMAL};
                }
                long writing = ws.writingSinceNanos();
                if (writing != 0 && now - writing > WRITE_STUCK_AFTER.toNanos()) {
                    log.info("A write to the hub is stuck for {} s; reconnecting", WRITE_STUCK_AFTER.toSeconds());
                    return new int[]{CloseStatus.ABNORMAL};
                }
            } catch (InterruptedException e) {
                return new int[]{CloseStatus.NORMAL};
            } catch (ExecutionException e) {
                return new int[]{CloseStatus.ABNORMAL};
            }
        }
    }

    private static void join(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pause(Duration delay, String why) {
        move(ConnectionState.RECONNECTING, why + "; next attempt in " + delay.toMillis() + " ms");
        synchronized (stateLock) {
            long until = System.nanoTime() + delay.toNanos();
            while (!closing && System.nanoTime() < until) {
                try {
                    stateLock.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void move(ConnectionState to, String why) {
        ConnectionState from = state;
        state = to;
        if (from != to) {
            log.info("Connection {} → {}: {}", from, to, why);
            try {
                listener.onStateChange(from, to, why);
            } catch (RuntimeException e) {
                log.warn("Connection listener failed", e);
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        boolean loopRunning = loop != null && loop.isAlive();
        if (!loopRunning) {
            // Never started, or FAILED: the loop is over and its last state stands.
            return;
        }
        move(ConnectionState.CLOSING, "closing");
        WebSocketClient ws = socket;
        if (ws != null) {
            try {
                ws.sendClose(CloseStatus.NORMAL, "agent stopping");
            } catch (IOException e) {
                ws.abort();
            }
        }
        synchronized (stateLock) {
            stateLock.notifyAll();
        }
        if (loop != null) {
            try {
                loop.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Reads one socket until it ends; its end completes {@code ended} with the close code. */
    private final class SocketReader implements Runnable {
        private final WebSocketClient ws;
        private final CompletableFuture<int[]> ended;
        private final StringBuilder reason;

        SocketReader(WebSocketClient ws, CompletableFuture<int[]> ended, StringBuilder reason) {
            this.ws = ws;
            this.ended = ended;
            this.reason = reason;
        }

        Thread start() {
            return Thread.ofPlatform().name("fleetwire-socket").daemon().start(this);
        }

        @Override
        public void run() {
            try {
                while (true) {
                    switch (ws.receive()) {
                        case WebSocketClient.Text t -> {
                            try {
                                events.text(t.text());
                            } catch (RuntimeException e) {
                                log.warn("Handling a frame from the hub failed", e);
                            }
                        }
                        case WebSocketClient.Closed c -> {
                            reason.append(c.reason());
                            ended.complete(new int[]{c.code()});
                            return;
                        }
                    }
                }
            } catch (WebSocketProtocolException e) {
                log.info("The hub broke the WebSocket protocol ({}); closed with {}", e.getMessage(), e.closeCode());
                reason.append(e.getMessage());
                ended.complete(new int[]{e.closeCode()});
            } catch (IOException e) {
                reason.append(e.getClass().getSimpleName());
                ended.complete(new int[]{CloseStatus.ABNORMAL});
            }
        }
    }
}
