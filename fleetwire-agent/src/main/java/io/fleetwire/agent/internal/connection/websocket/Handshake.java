package io.fleetwire.agent.internal.connection.websocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/** The opening handshake (RFC 6455 §4.1): the upgrade request, and the checks on the server's answer. */
final class Handshake {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** Longest status line plus headers accepted from the server. */
    static final int MAX_RESPONSE_BYTES = 16 * 1024;

    private Handshake() {
    }

    /** A fresh {@code Sec-WebSocket-Key}: 16 random bytes, base64. */
    static String newKey(Random random) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** The {@code Sec-WebSocket-Accept} a server must answer {@code key} with. */
    static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** The GET request that asks {@code uri}'s server to upgrade; {@code headers} must not hold CR or LF. */
    static byte[] request(URI uri, String key, Map<String, String> headers) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        StringBuilder r = new StringBuilder(256)
                .append("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader(uri)).append("\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if ((h.getKey() + h.getValue()).indexOf('\r') >= 0 || (h.getKey() + h.getValue()).indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header " + h.getKey() + " holds a line break");
            }
            r.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        return r.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || port == WebSocketClient.defaultPort(uri);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    /**
     * Reads the server's answer up to the blank line (not a byte further: frames may follow at once)
     * and checks it: 101, {@code Upgrade: websocket}, {@code Connection: upgrade}, the right accept
     * key, and no extension or subprotocol, since none was offered.
     */
    static void checkResponse(InputStream in, String key) throws IOException {
        int[] budget = {MAX_RESPONSE_BYTES};
        String status = line(in, budget);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new HandshakeException(0, "not an HTTP answer: " + clip(status));
        }
        int code;
        try {
            code = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new HandshakeException(0, "not an HTTP status: " + clip(status));
        }
        String upgrade = null;
        String connection = null;
        String acceptKey = null;
        String retryAfter = null;
        for (String line = line(in, budget); !line.isEmpty(); line = line(in, budget)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new HandshakeException(code, "malformed header line: " + clip(line));
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (name) {
                case "upgrade" -> upgrade = value;
                case "connection" -> connection = value;
                case "sec-websocket-accept" -> acceptKey = value;
                case "retry-after" -> retryAfter = value;
                case "sec-websocket-extensions", "sec-websocket-protocol" ->
                        throw new HandshakeException(code, "the server chose " + name + " '" + clip(value) + "', none was offered");
                default -> { }
            }
        }
        if (code != 101) {
            throw new HandshakeException(code, "the server answered " + clip(status) + " instead of upgrading",
                    HandshakeException.retryAfterSeconds(retryAfter));
        }
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            throw new HandshakeException(code, "no 'Upgrade: websocket' in the answer");
        }
        if (connection == null || !connection.toLowerCase(Locale.ROOT).contains("upgrade")) {
            throw new HandshakeException(code, "no 'Connection: upgrade' in the answer");
        }
        if (!accept(key).equals(acceptKey)) {
            throw new HandshakeException(code, "wrong Sec-WebSocket-Accept");
        }
    }

    /** One line without its CRLF; {@code budget[0]}, the bytes the answer may still take, counts down. */
    private static String line(InputStream in, int[] budget) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new HandshakeException(0, "the connection ended during the handshake");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            if (--budget[0] < 0) {
                throw new HandshakeException(0, "handshake answer over " + MAX_RESPONSE_BYTES + " bytes");
            }
        }
    }

    private static String clip(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
