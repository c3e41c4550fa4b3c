package io.fleetwire.agent.internal.connection;

import io.fleetwire.agent.ConnectionListener;
import io.fleetwire.agent.ConnectionState;
import io.fleetwire.protocol.CloseCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The agent's one WebSocket to the hub: connects, reconnects with {@link Backoff} (promptly, with
 * jitter, after the hub's "going away"), gives up only when the hub refuses the token (401) or
 * revokes the device (4003), and declares the link dead when nothing arrives for the silence limit.
 * Framing only: text frames go to {@code onText} on the socket's thread, whole.
 *
 * <p>Threading: one platform thread runs the connect loop; {@link #send} may be called from any
 * thread (writes are serialised by a lock, as the JDK client requires one send at a time).
 */
public final class HubConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HubConnection.class);

    /** Where and how to connect. */
    public record Config(URI uri, String token, Duration backoffBase, Duration backoffMax, Duration stableAfter,
                         Duration connectTimeout) {
    }

    /** What the connection reports upwards. */
    public interface Events {
        /** A socket is up; called before the state turns OPEN. {@code ws} may be used with {@link #sendOn}. */
        void opened(WebSocket ws);

        void text(String text);

        void closed(int code, String reason);
    }

    private final Config config;
    private final Events events;
    private final ConnectionListener listener;
    private final Backoff backoff;
    private final HttpClient client;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final Object stateLock = new Object();
    private volatile ConnectionState state = ConnectionState.CLOSED;
    private volatile WebSocket socket;
    /** Completes when the current socket ends; a failed send completes it too (abort silences the listener). */
    private volatile CompletableFuture<int[]> current;
    private volatile long lastHeardNanos = System.nanoTime();
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
        this.client = HubHttpClients.builder(config.uri()).connectTimeout(config.connectTimeout()).build();
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
        WebSocket ws = socket;
        if (ws == null || state != ConnectionState.OPEN) {
            return false;
        }
        return sendOn(ws, text);
    }

    /**
     * Sends on {@code ws}, also before it is announced OPEN (the hello). A failed write ends the
     * socket at once: {@code abort()} silences the listener, so its end is completed here.
     */
    public boolean sendOn(WebSocket ws, String text) {
        sendLock.lock();
        try {
            ws.sendText(text, true).get(30, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            log.debug("Send failed: {}", e.toString());
            ws.abort();
            CompletableFuture<int[]> ended = current;
            if (ended != null && socket == ws) {
                ended.complete(new int[]{1006});
            }
            return false;
        } finally {
            sendLock.unlock();
        }
    }

    private void run() {
        while (!closing) {
            move(ConnectionState.CONNECTING, "connecting to " + config.uri());
            CompletableFuture<int[]> ended = new CompletableFuture<>();
            StringBuilder reason = new StringBuilder();
            WebSocket ws;
            try {
                ws = client.newWebSocketBuilder().header("Authorization", "Bearer " + config.token())
                        .connectTimeout(config.connectTimeout())
                        .buildAsync(config.uri(), new Listener(ended, reason)).get();
            } catch (InterruptedException e) {
                break;
            } catch (ExecutionException | RuntimeException e) {
                if (e.getCause() instanceof WebSocketHandshakeException h && h.getResponse().statusCode() == 401) {
                    move(ConnectionState.FAILED, "the hub refused the device token (HTTP 401)");
                    return;
                }
                pause(backoff.next(), "cannot connect: " + rootMessage(e));
                continue;
            }
            long openedAt = System.nanoTime();
            lastHeardNanos = openedAt;
            socket = ws;
            current = ended;
            // Told before the state says OPEN, so no sender starts from the previous socket's position.
            events.opened(ws);
            move(ConnectionState.OPEN, "connected");
            int[] end = awaitEnd(ws, ended);
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

    /** Waits for the socket to end, dropping it when the hub falls silent. */
    private int[] awaitEnd(WebSocket ws, CompletableFuture<int[]> ended) {
        while (true) {
            try {
                return ended.get(1, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                if (closing) {
                    ws.abort();
                    return new int[]{1000};
                }
                if (System.nanoTime() - lastHeardNanos > silenceLimit.toNanos()) {
                    log.info("Nothing from the hub for {} s; reconnecting", silenceLimit.toSeconds());
                    ws.abort();
                    return new int[]{1006};
                }
            } catch (InterruptedException e) {
                ws.abort();
                return new int[]{1000};
            } catch (ExecutionException e) {
                return new int[]{1006};
            }
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
            client.close();
            return;
        }
        move(ConnectionState.CLOSING, "closing");
        WebSocket ws = socket;
        if (ws != null) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "agent stopping").get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
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
        client.close();
    }

    private final class Listener implements WebSocket.Listener {
        private final CompletableFuture<int[]> ended;
        private final StringBuilder reason;
        private final StringBuilder partial = new StringBuilder();

        Listener(CompletableFuture<int[]> ended, StringBuilder reason) {
            this.ended = ended;
            this.reason = reason;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            lastHeardNanos = System.nanoTime();
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    events.text(text);
                } catch (RuntimeException e) {
                    log.warn("Handling a frame from the hub failed", e);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket ws, java.nio.ByteBuffer message) {
            lastHeardNanos = System.nanoTime();
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String text) {
            reason.append(text);
            ended.complete(new int[]{statusCode});
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            reason.append(error.getClass().getSimpleName());
            ended.complete(new int[]{1006});
        }
    }

}
