package io.fleetwire.agent.internal.connection.websocket;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** A scripted WebSocket server for tests: accepts one connection, answers the upgrade as told, then hands the raw streams to the test. */
final class TestWsServer implements AutoCloseable {

    private final ServerSocket server;

    TestWsServer(ServerSocket server) {
        this.server = server;
    }

    static TestWsServer plain() throws IOException {
        return new TestWsServer(new ServerSocket(0, 5, InetAddress.getLoopbackAddress()));
    }

    int port() {
        return server.getLocalPort();
    }

    /** The answer a conforming server gives to {@code key}. */
    static String upgrade(String key) {
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                + Handshake.accept(key) + "\r\n\r\n";
    }

    /** Accepts the next connection on another thread and answers its request with {@code answer.apply(key)}. */
    CompletableFuture<Peer> accept(Function<String, String> answer) {
        CompletableFuture<Peer> peer = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                Socket s = server.accept();
                InputStream in = new BufferedInputStream(s.getInputStream());
                String requestLine = line(in);
                Map<String, String> headers = new LinkedHashMap<>();
                for (String l = line(in); !l.isEmpty(); l = line(in)) {
                    int colon = l.indexOf(':');
                    headers.put(l.substring(0, colon).strip().toLowerCase(Locale.ROOT), l.substring(colon + 1).strip());
                }
                OutputStream out = s.getOutputStream();
                out.write(answer.apply(headers.get("sec-websocket-key")).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                peer.complete(new Peer(s, requestLine, headers, in, out));
            } catch (IOException | RuntimeException e) {
                peer.completeExceptionally(e);
            }
        });
        return peer;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("end of request");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** The server's side of one accepted connection. */
    record Peer(Socket socket, String requestLine, Map<String, String> headers, InputStream in, OutputStream out) {
        void send(byte[]... frames) throws IOException {
            for (byte[] f : frames) {
                out.write(f);
            }
            out.flush();
        }

        ServerFrames.ClientFrame read() throws IOException {
            return ServerFrames.readClientFrame(in);
        }
    }
}
