package io.fleetwire.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's) speaking to {@code /ws/agent} as a device would. Received text
 * messages are parsed as JSON and queued; the close code and reason are recorded.
 */
public final class AgentSocket implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** How the socket ended. */
    public record Closed(int code, String reason) {
    }

    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private WebSocket ws;
    private volatile java.util.function.Consumer<JsonNode> tap = m -> { };

    private AgentSocket() {
    }

    /** Connects with the token in an Authorization header. */
    public static AgentSocket connect(String baseWsUrl, String token) {
        return open(URI.create(baseWsUrl + "/ws/agent"), token);
    }

    /** Connects with the token as a {@code token} query parameter. */
    public static AgentSocket connectWithQueryToken(String baseWsUrl, String token) {
        return open(URI.create(baseWsUrl + "/ws/agent?token=" + token), null);
    }

    /** Tries to connect and returns the HTTP status of the refused upgrade, or 101 when it was accepted. */
    public static int upgradeStatus(String baseWsUrl, String token) {
        try (AgentSocket s = connect(baseWsUrl, token)) {
            return 101;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }

    private static AgentSocket open(URI uri, String token) {
        AgentSocket socket = new AgentSocket();
        var builder = CLIENT.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        socket.ws = builder.buildAsync(uri, socket.new Listener()).orTimeout(15, TimeUnit.SECONDS).join();
        return socket;
    }

    /** Calls {@code tap} on the receiving thread for every message, as it arrives (e.g. to time it). */
    public void onMessage(java.util.function.Consumer<JsonNode> tap) {
        this.tap = tap;
    }

    public void send(String text) {
        ws.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    public void sendBinary(byte[] bytes) {
        ws.sendBinary(java.nio.ByteBuffer.wrap(bytes), true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** The next received message matching the predicate; earlier non-matching ones are discarded. */
    public JsonNode await(Predicate<JsonNode> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode m = left <= 0 ? null : received.poll(left, TimeUnit.NANOSECONDS);
                if (m == null) {
                    throw new AssertionError("no matching message within " + timeout + (closed.isDone()
                            ? "; socket closed: " + closed.getNow(null) : ""));
                }
                if (match.test(m)) {
                    return m;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    public JsonNode awaitType(String type) {
        return await(m -> type.equals(m.path("type").asText()), Duration.ofSeconds(10));
    }

    /** Waits for the ack of {@code seq}; fails on an error frame naming it. */
    public JsonNode awaitAck(long seq) {
        JsonNode m = await(n -> n.path("seq").asLong(-2) == seq && "ack".equals(n.path("type").asText())
                || "error".equals(n.path("type").asText()) && n.path("ref").path("seq").asLong(-2) == seq,
                Duration.ofSeconds(15));
        if (!"ack".equals(m.path("type").asText())) {
            throw new AssertionError("seq " + seq + " refused: " + m);
        }
        return m;
    }

    /** Every message received within the window. */
    public List<JsonNode> drain(Duration window) {
        List<JsonNode> out = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        try {
            JsonNode m;
            while ((m = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
                out.add(m);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    public Closed awaitClose(Duration timeout) {
        return closed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** Drops the TCP connection without a close handshake, as a crashed device would. */
    public void abort() {
        ws.abort();
    }

    @Override
    public void close() {
        if (!closed.isDone() && !ws.isOutputClosed()) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).join();
                closed.orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
            } catch (RuntimeException e) {
                ws.abort();
            }
        }
        ws.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(partial.toString());
                    tap.accept(message);
                    received.add(message);
                } catch (Exception e) {
                    received.add(JSON.createObjectNode().put("type", "__unparseable").put("text", partial.toString()));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Closed(1006, String.valueOf(error)));
        }
    }
}
