package io.fleetwire.sim.internal;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Last handler of a device socket: framing events in, decoded text to the {@link DeviceSession}. Runs on
 * the device's event loop. Close frames are answered here (the handshake handler is told not to), so the
 * session learns the hub's close code.
 */
final class DeviceChannelHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private final DeviceSession session;

    DeviceChannelHandler(DeviceSession session) {
        this.session = session;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            boolean deflate = ctx.pipeline().names().stream().anyMatch(n -> n.contains("Deflate"));
            session.onHandshake(deflate);
        } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            ctx.close();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            session.onText(text.text());
        } else if (frame instanceof CloseWebSocketFrame close) {
            int code = close.statusCode();
            if (session.onCloseFrame(code)) {
                ctx.writeAndFlush(new CloseWebSocketFrame(code < 0 ? 1000 : code, ""))
                        .addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
        }
        // Binary frames never come from the hub; pings are answered by the handshake handler.
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof WebSocketClientHandshakeException h && h.response() != null) {
            session.onUpgradeRefused(h.response().status().code(), h.response().headers().get("Retry-After"));
        } else {
            session.onSocketError(cause);
        }
        ctx.close();
    }
}
