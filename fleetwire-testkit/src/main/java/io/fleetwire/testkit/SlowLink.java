package io.fleetwire.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on 127.0.0.1 that can delay what the server sends back: with a delay of {@code d}, every
 * chunk from the server reaches the client {@code d} later (order kept), so each request/response round
 * trip costs at least {@code d} — a remote database, or a busy one, for tests. No delay until
 * {@link #delay} is called. One thread per direction per connection; closed with the proxy.
 */
public final class SlowLink implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile long delayNanos;

    private SlowLink(String targetHost, int targetPort) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        Thread accept = new Thread(this::accept, "slow-link-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** A proxy to {@code host:port}, listening on {@link #port()}. */
    public static SlowLink to(String host, int port) {
        try {
            return new SlowLink(host, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** From now on, what the server sends reaches the client this many milliseconds later. */
    public void delay(long millis) {
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream, false);
                pump(upstream, client, true);
            } catch (IOException e) {
                // closed, or the target refused: the client sees its socket close
            }
        }
    }

    private record Chunk(byte[] bytes, long dueNanos) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(dueNanos, ((Chunk) o).dueNanos);
        }
    }

    /** Copies {@code from} to {@code to}; when {@code delayed}, each chunk waits the delay in force when it was read. */
    private void pump(Socket from, Socket to, boolean delayed) {
        DelayQueue<Chunk> queue = new DelayQueue<>();
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            long lastDue = Long.MIN_VALUE;
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    // Strictly after the chunk before: the delay may change, the order must not.
                    lastDue = Math.max(lastDue + 1, System.nanoTime() + (delayed ? delayNanos : 0));
                    queue.put(new Chunk(java.util.Arrays.copyOf(buf, n), lastDue));
                }
            } catch (IOException e) {
                // closed
            }
            queue.put(new Chunk(new byte[0], Math.max(lastDue + 1, System.nanoTime())));
        }, "slow-link-read");
        Thread writer = new Thread(() -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Chunk c = queue.take();
                    if (c.bytes().length == 0) {
                        break;
                    }
                    out.write(c.bytes());
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // closed
            }
            closeQuietly(from);
            closeQuietly(to);
        }, "slow-link-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        sockets.forEach(SlowLink::closeQuietly);
    }
}
