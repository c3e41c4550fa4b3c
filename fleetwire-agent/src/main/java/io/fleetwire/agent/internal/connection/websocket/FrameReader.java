package io.fleetwire.agent.internal.connection.websocket;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads RFC 6455 frames sent by a server: unmasked, no extensions (so no reserved bits), control
 * frames whole and at most 125 bytes, no payload over {@code maxPayload}. Not thread-safe: one reader.
 */
final class FrameReader {

    private final InputStream in;
    private final int maxPayload;

    FrameReader(InputStream in, int maxPayload) {
        this.in = in;
        this.maxPayload = maxPayload;
    }

    /** The next frame; {@link EOFException} when the stream ends, at a frame boundary or not. */
    Frame read() throws IOException {
        int b0 = next();
        int b1 = next();
        boolean fin = (b0 & 0x80) != 0;
        if ((b0 & 0x70) != 0) {
            throw new WebSocketProtocolException(CloseStatus.PROTOCOL_ERROR, "reserved bits set, no extension was negotiated");
        }
        Opcode opcode = Opcode.of(b0 & 0x0F);
        if ((b1 & 0x80) != 0) {
            throw new WebSocketProtocolException(CloseStatus.PROTOCOL_ERROR, "the server sent a masked frame");
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (long) next() << 8 | next();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = length << 8 | next();
            }
            if (length < 0) {
                throw new WebSocketProtocolException(CloseStatus.PROTOCOL_ERROR, "frame length over 2^63");
            }
        }
        if (opcode.isControl() && (!fin || length > 125)) {
            throw new WebSocketProtocolException(CloseStatus.PROTOCOL_ERROR, "control frame fragmented or over 125 bytes");
        }
        if (length > maxPayload) {
            throw new WebSocketProtocolException(CloseStatus.TOO_BIG, "frame of " + length + " bytes; at most " + maxPayload);
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            throw new EOFException("connection ended inside a frame");
        }
        return new Frame(opcode, fin, payload);
    }

    private int next() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection ended");
        }
        return b;
    }
}
