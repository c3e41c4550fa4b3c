package io.fleetwire.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client that does the upgrade and then nothing at all unless told: it never answers pings.
 * It is what a hung device or a half-open connection looks like to the hub; tests of the framing also
 * send and read single frames with it.
 */
public final class RawWebSocket implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /**
     * Asks for an upgrade of {@code /ws/agent} with the token and returns the hub's answer head
     * (status line and headers) when it is not 101, e.g. to read a refusal's {@code Retry-After};
     * fails when the hub accepts.
     */
    public static String refusal(int port, String token) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request(port, token).getBytes(StandardCharsets.US_ASCII));
            String head = new RawWebSocket(s).readHead();
            if (head.startsWith("HTTP/1.1 101")) {
                throw new IllegalStateException("the upgrade was accepted");
            }
            return head;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String request(int port, String token) {
        return "GET /ws/agent HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " + token + "\r\n\r\n";
    }

    /** Upgrades {@code /ws/agent} with the token; fails unless the hub answers 101. */
    public static RawWebSocket upgrade(int port, String token) {
        try {
            Socket s = new Socket("127.0.0.1", port);
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request(port, token).getBytes(StandardCharsets.US_ASCII));
            RawWebSocket ws = new RawWebSocket(s);
            String head = ws.readHead();
            if (!head.startsWith("HTTP/1.1 101")) {
                s.close();
                throw new IllegalStateException("upgrade refused: " + head.lines().findFirst().orElse(head));
            }
            return ws;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** One WebSocket frame as it went over the wire (after the hub's, unmasked). */
    public record Frame(int opcode, boolean fin, byte[] payload) {
        public static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** A close frame's code (1005 when it has none). */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    /** Writes one frame, masked as a client must, with exactly this opcode and FIN bit. */
    public void sendFrame(int opcode, boolean fin, byte[] payload) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write((fin ? 0x80 : 0) | opcode);
            if (payload.length < 126) {
                out.write(0x80 | payload.length);
            } else if (payload.length < 65536) {
                out.write(0x80 | 126);
                out.write(payload.length >>> 8);
                out.write(payload.length & 0xff);
            } else {
                out.write(0x80 | 127);
                for (int i = 7; i >= 0; i--) {
                    out.write((int) ((long) payload.length >>> (8 * i)) & 0xff);
                }
            }
            byte[] mask = {0x11, 0x22, 0x33, 0x44};
            out.write(mask);
            for (int i = 0; i < payload.length; i++) {
                out.write(payload[i] ^ mask[i % 4]);
            }
            socket.getOutputStream().write(out.toByteArray());
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a close frame with this code. */
    public void sendClose(int code) {
        sendFrame(Frame.CLOSE, true, new byte[] {(byte) (code >>> 8), (byte) code});
    }

    /** The next frame from the hub, or null when the connection ended. */
    public Frame readFrame() {
        try {
            int b0 = in.read();
            int b1 = in.read();
            if (b0 < 0 || b1 < 0) {
                return null;
            }
            long len = b1 & 0x7f;
            if (len == 126) {
                len = (in.read() << 8) | in.read();
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = (len << 8) | in.read();
                }
            }
            byte[] payload = in.readNBytes((int) len);
            return payload.length == len ? new Frame(b0 & 0x0f, (b0 & 0x80) != 0, payload) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads frames until one with this opcode arrives; null when the connection ends first. */
    public Frame awaitFrame(int opcode) {
        for (Frame f = readFrame(); f != null; f = readFrame()) {
            if (f.opcode() == opcode) {
                return f;
            }
        }
        return null;
    }

    /**
     * Reads server frames, ignoring everything else, until a close frame arrives; returns its code,
     * or 1006 when the connection ends without one.
     */
    public int awaitCloseCode() {
        Frame close = awaitFrame(0x8);
        if (close == null) {
            return 1006;
        }
        byte[] p = close.payload();
        return p.length >= 2 ? ((p[0] & 0xff) << 8) | (p[1] & 0xff) : 1005;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
