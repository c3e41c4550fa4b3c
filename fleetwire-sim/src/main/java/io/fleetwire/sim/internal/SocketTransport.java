package io.fleetwire.sim.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;

import javax.net.ssl.SSLException;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The sockets of the whole fleet: a few Netty NIO event loops, and one pipeline per device socket:
 * byte counter → (TLS) → HTTP codec → (permessage-deflate) → WebSocket client handshake and framing →
 * frame aggregation → {@link DeviceChannelHandler}. A device's socket is registered on the device's own
 * event loop, so all of a device's state is touched by one thread.
 */
public final class SocketTransport implements AutoCloseable {

    /** Largest frame accepted from the hub (its commands are far smaller). */
    private static final int MAX_FRAME = 1 << 20;

    private final MultiThreadIoEventLoopGroup group;
    private final URI socketUri;
    private final boolean deflate;
    private final SslContext ssl;

    public SocketTransport(URI hub, boolean deflate, int eventLoops) {
        this.socketUri = socketUri(hub);
        this.deflate = deflate;
        this.group = new MultiThreadIoEventLoopGroup(eventLoops, new DefaultThreadFactory("fleetwire-sim", true),
                NioIoHandler.newFactory());
        try {
            this.ssl = socketUri.getScheme().equals("wss") ? SslContextBuilder.forClient().build() : null;
        } catch (SSLException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** {@code http(s)://host:port/base} → {@code ws(s)://host:port/base/ws/agent}. */
    static URI socketUri(URI hub) {
        String scheme = hub.getScheme().toLowerCase(Locale.ROOT);
        String ws = scheme.equals("https") || scheme.equals("wss") ? "wss" : "ws";
        int port = hub.getPort() > 0 ? hub.getPort() : ws.equals("wss") ? 443 : 80;
        String base = hub.getRawPath() == null ? "" : hub.getRawPath().replaceAll("/+$", "");
        return URI.create(ws + "://" + hub.getHost() + ":" + port + base + "/ws/agent");
    }

    public URI socketUri() {
        return socketUri;
    }

    /** The event loop the next device is pinned to (round robin). */
    public EventLoop nextLoop() {
        return group.next();
    }

    /** Opens a socket for {@code session} on {@code loop}; the handshake follows once TCP is up. */
    ChannelFuture connect(DeviceSession session, EventLoop loop, String token) {
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(socketUri)
                .version(WebSocketVersion.V13)
                .allowExtensions(deflate)
                .customHeaders(headers)
                .maxFramePayloadLength(MAX_FRAME)
                .handleCloseFrames(false)
                .dropPongFrames(true)
                .handshakeTimeoutMillis(15_000)
                .generateOriginHeader(false)
                .build();
        return new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("bytes", new ByteCounter(session));
                        if (ssl != null) {
                            p.addLast(ssl.newHandler(ch.alloc(), socketUri.getHost(), socketUri.getPort()));
                        }
                        p.addLast(new HttpClientCodec());
                        p.addLast(new HttpObjectAggregator(65_536));
                        if (deflate) {
                            p.addLast(new WebSocketClientCompressionHandler(0));
                        }
                        p.addLast(new WebSocketClientProtocolHandler(config));
                        p.addLast(new WebSocketFrameAggregator(MAX_FRAME));
                        p.addLast("device", new DeviceChannelHandler(session));
                    }
                })
                .connect(socketUri.getHost(), socketUri.getPort());
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
