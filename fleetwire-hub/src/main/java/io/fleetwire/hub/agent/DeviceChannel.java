package io.fleetwire.hub.agent;

import io.fleetwire.protocol.CloseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.http.WebSocketInternal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A device socket's WebSocket layer once the upgrade is answered: framing only (messages put together
 * from fragments up to the size limit, ping frames answered, the close handshake, fragments written up to
 * the frame limit). Feature code sees whole text messages through its {@link Listener}.
 *
 * <p>Why not Vert.x's {@link ServerWebSocket}: Vert.x 5.0.x keeps, for every WebSocket, its own connection
 * object and the HTTP connection it was upgraded from, each with an unbounded outbound queue whose first
 * chunk is 1,024 slots (~4.7 KB each, about 9.5 of the ~15.7 KB of heap a held device socket cost; see
 * docs/benchmarks.md). So {@link AgentEndpoint} lets Vert.x route the request, check the token and answer
 * the handshake (extensions, permessage-deflate included), then {@link #takeOver} puts this handler in the
 * place of Vert.x's in the channel's pipeline (the Netty frame decoder and encoder Vert.x installed, with
 * their frame size limit, stay); nothing refers to Vert.x's socket objects after that.
 *
 * <p>Threading: Netty calls this handler on the channel's event loop, which is the thread of the socket's
 * Vert.x context; every event reaches the listener dispatched on that context, in order. {@link #send} is
 * called on that thread; {@link #ping}, {@link #close} and {@link #writable} from any thread.
 */
final class DeviceChannel extends ChannelInboundHandlerAdapter {

    /** What the connection hears from its socket, on the socket's context. */
    interface Listener {
        /** A whole text message, as the UTF-8 bytes that arrived (not checked here; the codec reads them). */
        void onText(byte[] utf8);

        /** A whole binary message arrived (its bytes are not kept: protocol v1 has none). */
        void onBinary();

        void onPong();

        /** The peer broke the framing rules or sent a message over the limit; the socket should close with this code. */
        void onFault(CloseCode code);

        /** The socket ended; {@code status} is the code of the peer's close frame, null when none arrived. */
        void onClosed(Short status, String reason);
    }

    private final ContextInternal context;
    private final Channel channel;
    private final int maxMessageBytes;
    private final int maxFrameBytes;
    private final long closingTimeoutMillis;
    private Listener listener;

    // Event-loop state.
    private CompositeByteBuf textMessage;
    private long binaryMessageBytes = -1;
    private boolean closeReceived;
    private boolean faulted;
    private boolean ended;
    private Short peerStatus;
    private String peerReason;
    private ScheduledFuture<?> closingTimeout;
    /** While Netty delivers a batch of reads, answers are written and flushed once at its end (as Vert.x did). */
    private boolean reading;
    private boolean needsFlush;
    /** Set on the event loop once the close frame is written; read by {@link #isOpen} from any thread. */
    private volatile boolean closeSent;

    private DeviceChannel(Context context, Channel channel, int maxMessageBytes, int maxFrameBytes, Duration closingTimeout) {
        this.context = (ContextInternal) context;
        this.channel = channel;
        this.maxMessageBytes = maxMessageBytes;
        this.maxFrameBytes = maxFrameBytes;
        this.closingTimeoutMillis = closingTimeout.toMillis();
    }

    /**
     * Takes the socket over from Vert.x. Called on the socket's context (the callback of the accepted
     * upgrade); {@code ws} must not have been read from or written to.
     *
     * @param closingTimeout how long to wait for the peer's close frame after sending ours
     */
    static DeviceChannel takeOver(ServerWebSocket ws, Context context, int maxMessageBytes, int maxFrameBytes,
                                  Duration closingTimeout, Listener listener) {
        ChannelHandlerContext vertxHandler = ((WebSocketInternal) ws).channelHandlerContext();
        DeviceChannel channel = new DeviceChannel(context, vertxHandler.channel(), maxMessageBytes, maxFrameBytes, closingTimeout);
        channel.listener = listener;
        Runnable replace = () -> {
            vertxHandler.pipeline().replace(vertxHandler.handler(), "fleetwire-device", channel);
            // Vert.x may have paused reading while the token was looked up.
            vertxHandler.channel().config().setAutoRead(true);
        };
        if (vertxHandler.executor().inEventLoop()) {
            replace.run();
        } else {
            vertxHandler.executor().execute(replace);
        }
        return channel;
    }

    /** Writes one text message, in fragments of at most the frame limit. On the socket's event loop. */
    boolean send(String message) {
        if (!isOpen()) {
            return false;
        }
        ByteBuf bytes = ByteBufUtil.writeUtf8(channel.alloc(), message);
        if (bytes.readableBytes() <= maxFrameBytes) {
            channel.write(new TextWebSocketFrame(bytes), channel.voidPromise());
        } else {
            boolean first = true;
            while (bytes.isReadable()) {
                ByteBuf part = bytes.readRetainedSlice(Math.min(maxFrameBytes, bytes.readableBytes()));
                boolean last = !bytes.isReadable();
                channel.write(first ? new TextWebSocketFrame(last, 0, part) : new ContinuationWebSocketFrame(last, 0, part),
                        channel.voidPromise());
                first = false;
            }
            bytes.release();
        }
        if (reading && channel.eventLoop().inEventLoop()) {
            needsFlush = true;
        } else {
            channel.flush();
        }
        return true;
    }

    /** A WebSocket ping frame (the heartbeat); any thread. */
    void ping() {
        if (isOpen()) {
            channel.writeAndFlush(new PingWebSocketFrame(), channel.voidPromise());
        }
    }

    /** False once the socket is gone or a close frame was sent. */
    boolean isOpen() {
        return !closeSent && channel.isActive();
    }

    /** False while the peer does not read what was written (Netty's high-water mark). */
    boolean writable() {
        return channel.isWritable();
    }

    /**
     * Sends a close frame and ends the socket once the peer answers it, or after the closing timeout.
     * Any thread; only the first call counts.
     */
    void close(CloseCode code) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> close(code));
            return;
        }
        if (closeSent || ended) {
            return;
        }
        sendClose(new CloseWebSocketFrame(code.code(), code.reason()));
    }

    private void sendClose(CloseWebSocketFrame frame) {
        closeSent = true;
        channel.writeAndFlush(frame).addListener((ChannelFutureListener) f -> {
            if (closeReceived || faulted || !f.isSuccess()) {
                channel.close();
            } else {
                closingTimeout = channel.eventLoop().schedule(() -> {
                    channel.close();
                }, closingTimeoutMillis, TimeUnit.MILLISECONDS);
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        try {
            if (msg instanceof WebSocketFrame frame && !ended) {
                read(frame);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        if (needsFlush) {
            needsFlush = false;
            ctx.flush();
        }
    }

    private void read(WebSocketFrame frame) {
        switch (frame) {
            case TextWebSocketFrame t when t.isFinalFragment() && textMessage == null ->
                    emit(ByteBufUtil.getBytes(t.content()), listener::onText);
            case TextWebSocketFrame t -> appendText(t);
            case BinaryWebSocketFrame b -> appendBinary(b);
            case ContinuationWebSocketFrame c when textMessage != null -> appendText(c);
            case ContinuationWebSocketFrame c when binaryMessageBytes >= 0 -> appendBinary(c);
            case ContinuationWebSocketFrame c -> { }
            case PingWebSocketFrame p -> {
                channel.write(new PongWebSocketFrame(p.content().retainedDuplicate()), channel.voidPromise());
                needsFlush = true;
            }
            case PongWebSocketFrame p -> emit(null, v -> listener.onPong());
            case CloseWebSocketFrame c -> onCloseFrame(c);
            default -> { }
        }
    }

    private void appendText(WebSocketFrame fragment) {
        if (textMessage == null) {
            textMessage = channel.alloc().compositeBuffer();
        }
        if ((long) textMessage.readableBytes() + fragment.content().readableBytes() > maxMessageBytes) {
            tooBig();
            return;
        }
        textMessage.addComponent(true, fragment.content().retain());
        if (fragment.isFinalFragment()) {
            byte[] utf8 = ByteBufUtil.getBytes(textMessage);
            textMessage.release();
            textMessage = null;
            emit(utf8, listener::onText);
        }
    }

    private void appendBinary(WebSocketFrame fragment) {
        binaryMessageBytes = Math.max(0, binaryMessageBytes) + fragment.content().readableBytes();
        if (binaryMessageBytes > maxMessageBytes) {
            tooBig();
            return;
        }
        if (fragment.isFinalFragment()) {
            binaryMessageBytes = -1;
            emit(null, v -> listener.onBinary());
        }
    }

    private void tooBig() {
        discardPartial();
        fault(CloseCode.MESSAGE_TOO_BIG);
    }

    private void onCloseFrame(CloseWebSocketFrame frame) {
        closeReceived = true;
        int status = frame.content().readableBytes() >= 2 ? frame.statusCode() : WebSocketCloseStatus.NORMAL_CLOSURE.code();
        peerStatus = (short) status;
        peerReason = frame.content().readableBytes() > 2 ? frame.reasonText() : null;
        if (closingTimeout != null) {
            closingTimeout.cancel(false);
            closingTimeout = null;
        }
        if (closeSent) {
            channel.close();
        } else {
            // Echo the peer's code, as RFC 6455 asks; the channel closes once it is written.
            sendClose(new CloseWebSocketFrame(status, peerReason));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException c) {
            // The decoder discards everything after a violation; the listener closes with a code, else we do.
            fault(c.closeStatus().code() == CloseCode.MESSAGE_TOO_BIG.code() ? CloseCode.MESSAGE_TOO_BIG
                    : CloseCode.POLICY_VIOLATION);
        } else {
            // I/O errors (a reset connection) end the channel; they are expected, not stack traces.
            ctx.close();
        }
    }

    private void fault(CloseCode code) {
        faulted = true;
        emit(code, listener::onFault);
        if (!closeSent) {
            close(code);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ended) {
            return;
        }
        ended = true;
        if (closingTimeout != null) {
            closingTimeout.cancel(false);
        }
        discardPartial();
        Short status = peerStatus;
        String reason = peerReason;
        emit(null, v -> listener.onClosed(status, reason));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discardPartial();
    }

    private void discardPartial() {
        if (textMessage != null) {
            textMessage.release();
            textMessage = null;
        }
        binaryMessageBytes = -1;
    }

    /** Runs a listener call on the socket's context (inline: this is its thread), as Vert.x's own handlers run. */
    private <T> void emit(T event, Handler<T> handler) {
        context.emit(event, handler);
    }
}
