package io.fleetwire.agent.internal.connection.websocket;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client WebSocket (RFC 6455) over a blocking {@link Socket}, or an {@link SSLSocket} with host
 * name verification for {@code wss://}: text messages, fragmented or not, in and out; pings answered
 * with pongs; the close handshake; a limit on incoming message size. No extensions, no subprotocols.
 * Used instead of {@code java.net.http.WebSocket}, which costs the agent some 320 classes and a
 * selector thread (agent footprint, docs/benchmarks.md).
 *
 * <p>Threading: one thread calls {@link #receive} (the reader); {@link #sendText}, {@link #sendClose}
 * and {@link #abort} may be called from any thread; writes are serialised by a lock.
 */
public final class WebSocketClient implements AutoCloseable {

    /** How to connect; {@code tls} null means the JDK's default {@link SSLSocketFactory} (used for wss:// only). */
    public record Options(Duration connectTimeout, int maxMessageBytes, SSLSocketFactory tls) {
    }

    /** What {@link #receive} returns. */
    public sealed interface Incoming {
    }

    /** A whole text message. */
    public record Text(String text) implements Incoming {
    }

    /** The server closed the socket with {@code code} (1005 when its close frame had none); the close was answered. */
    public record Closed(int code, String reason) implements Incoming {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final int maxMessageBytes;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile long lastFrameNanos = System.nanoTime();
    private volatile long writingSinceNanos;
    private volatile boolean closeSent;

    private WebSocketClient(Socket socket, InputStream in, OutputStream out, int maxMessageBytes) {
        this.socket = socket;
        this.reader = new FrameReader(in, maxMessageBytes);
        this.writer = new FrameWriter(out, RANDOM);
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * Connects and upgrades; {@link HandshakeException} (with the HTTP status) when the server
     * refuses, another {@link IOException} when it cannot be reached in time.
     */
    public static WebSocketClient connect(URI uri, Map<String, String> headers, Options options) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss") || uri.getHost() == null) {
            throw new IllegalArgumentException("not a ws:// or wss:// URI: " + uri);
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        int port = uri.getPort() == -1 ? defaultPort(uri) : uri.getPort();
        int timeout = (int) Math.min(Integer.MAX_VALUE, Math.max(1, options.connectTimeout().toMillis()));
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), timeout);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeout);
            if (scheme.equals("wss")) {
                socket = tls(socket, host, port, options.tls());
            }
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            String key = Handshake.newKey(RANDOM);
            out.write(Handshake.request(uri, key, headers));
            out.flush();
            Handshake.checkResponse(in, key);
            socket.setSoTimeout(0);
            return new WebSocketClient(socket, in, out, options.maxMessageBytes());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    static int defaultPort(URI uri) {
        return "wss".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static Socket tls(Socket plain, String host, int port, SSLSocketFactory given) throws IOException {
        SSLSocketFactory factory = given != null ? given : (SSLSocketFactory) SSLSocketFactory.getDefault();
        SSLSocket s = (SSLSocket) factory.createSocket(plain, host, port, true);
        SSLParameters p = s.getSSLParameters();
        // SSLSocket checks no host name by itself: without this any trusted certificate would do.
        p.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    /**
     * Blocks until the next whole text message or the server's close. Pings are answered and pongs
     * and binary messages passed over on the way. A broken rule or limit sends the matching close
     * code (1002, 1007, 1009), closes the socket and throws {@link WebSocketProtocolException}.
     */
    public Incoming receive() throws IOException {
        ByteArrayOutputStream fragments = null;
        boolean fragmentedText = false;
        try {
            while (true) {
                Frame f = reader.read();
                lastFrameNanos = System.nanoTime();
                switch (f.opcode()) {
                    case PING -> write(Opcode.PONG, f.payload());
                    case PONG -> { }
                    case CLOSE -> {
                        return closedByServer(f.payload());
                    }
                    case TEXT, BINARY -> {
                        if (fragments != null) {
                            throw new WebSocketProtocolException(CloseStatus.PROTOCOL_ERROR, "a new message inside a fragmented one");
                        }
                        if (f.fin()) {
                            if (f.opcode() == Opcode.TEXT) {
                                return new Text(utf8(f.payload()));
                            }
                        } else {
                            fragments = new ByteArrayOutputStream(Math.max(256, f.payload().length * 2));
                            fragments.writeBytes(f.payload());
                            fragmentedText = f.opcode() == Opcode.TEXT;
                        }
                    }
                    case CONTINUATION -> {
                        if (fragments == null) {
                            throw new WebSocketProtocolException(CloseStatus.PROTOCOL_ERROR, "a continuation frame outside a message");
                        }
                        if (fragments.size() + (long) f.payload().length > maxMessageBytes) {
                            throw new WebSocketProtocolException(CloseStatus.TOO_BIG, "a message over " + maxMessageBytes + " bytes");
                        }
                        fragments.writeBytes(f.payload());
                        if (f.fin()) {
                            byte[] whole = fragments.toByteArray();
                            fragments = null;
                            if (fragmentedText) {
                                return new Text(utf8(whole));
                            }
                        }
                    }
                }
            }
        } catch (WebSocketProtocolException e) {
            failWith(e.closeCode(), e.getMessage());
            throw e;
        }
    }

    private Closed closedByServer(byte[] payload) throws IOException {
        int code;
        String reason;
        if (payload.length == 0) {
            code = CloseStatus.NO_STATUS;
            reason = "";
        } else if (payload.length == 1) {
            throw new WebSocketProtocolException(CloseStatus.PROTOCOL_ERROR, "a close frame of one byte");
        } else {
            code = (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
            if (!CloseStatus.sendable(code)) {
                throw new WebSocketProtocolException(CloseStatus.PROTOCOL_ERROR, "close code " + code + " is not allowed on the wire");
            }
            reason = utf8(java.util.Arrays.copyOfRange(payload, 2, payload.length));
        }
        // Answer with the same code (RFC 6455 §5.5.1), unless this side closed first; then the TCP connection ends.
        if (!closeSent) {
            try {
                sendClose(code == CloseStatus.NO_STATUS ? -1 : code, "");
            } catch (IOException e) {
                // the server may have closed TCP already
            }
        }
        abort();
        return new Closed(code, reason);
    }

    private void failWith(int code, String why) {
        try {
            sendClose(code, why.length() > 100 ? why.substring(0, 100) : why);
        } catch (IOException e) {
            // going anyway
        }
        abort();
    }

    private static String utf8(byte[] bytes) throws WebSocketProtocolException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new WebSocketProtocolException(CloseStatus.INVALID_PAYLOAD, "text that is not UTF-8");
        }
    }

    /** Sends one text message, as one frame. */
    public void sendText(String text) throws IOException {
        if (closeSent) {
            throw new IOException("the close frame was sent already");
        }
        write(Opcode.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends a close frame ({@code code} -1: one without a code), once; waits at most 2 s for a write in
     * progress, else aborts. The socket stays open for the server's answer, which {@link #receive} reads.
     */
    public void sendClose(int code, String reason) throws IOException {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = code < 0 ? new byte[0] : new byte[2 + Math.min(text.length, 123)];
        if (code >= 0) {
            payload[0] = (byte) (code >>> 8);
            payload[1] = (byte) code;
            System.arraycopy(text, 0, payload, 2, payload.length - 2);
        }
        try {
            if (!writeLock.tryLock(2, TimeUnit.SECONDS)) {
                abort();
                throw new IOException("a write is stuck; socket aborted instead of closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
            throw new IOException("interrupted");
        }
        try {
            if (closeSent) {
                return;
            }
            closeSent = true;
            writeLocked(Opcode.CLOSE, payload);
        } finally {
            writeLock.unlock();
        }
    }

    private void write(Opcode opcode, byte[] payload) throws IOException {
        writeLock.lock();
        try {
            if (closeSent) {
                if (opcode == Opcode.PONG) {
                    return; // nothing follows our close, not even a pong
                }
                throw new IOException("the close frame was sent already");
            }
            writeLocked(opcode, payload);
        } finally {
            writeLock.unlock();
        }
    }

    private void writeLocked(Opcode opcode, byte[] payload) throws IOException {
        writingSinceNanos = System.nanoTime();
        try {
            writer.write(opcode, payload);
        } finally {
            writingSinceNanos = 0;
        }
    }

    /** When the last frame of any kind came from the server ({@link System#nanoTime()}). */
    public long lastFrameNanos() {
        return lastFrameNanos;
    }

    /** When the write now in progress started, 0 when none is: a write blocked for long means a stuck peer. */
    public long writingSinceNanos() {
        return writingSinceNanos;
    }

    /** Closes the TCP connection at once; a blocked {@link #receive} or write then fails. */
    public void abort() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    @Override
    public void close() {
        abort();
    }
}
