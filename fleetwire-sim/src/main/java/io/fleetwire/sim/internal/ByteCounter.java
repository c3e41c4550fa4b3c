package io.fleetwire.sim.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * First handler of every socket's pipeline (next to the socket): counts the bytes read from and written
 * to the TCP stream — HTTP upgrade, WebSocket frame headers and (possibly compressed) payloads — for its
 * device and for the fleet. Written bytes are counted when handed to the socket's outbound buffer.
 */
final class ByteCounter extends ChannelDuplexHandler {

    private final DeviceSession session;

    ByteCounter(DeviceSession session) {
        this.session = session;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        session.bytesRead(size(msg));
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        session.bytesWritten(size(msg));
        ctx.write(msg, promise);
    }

    private static int size(Object msg) {
        if (msg instanceof ByteBuf b) {
            return b.readableBytes();
        }
        if (msg instanceof ByteBufHolder h) {
            return h.content().readableBytes();
        }
        return 0;
    }
}
