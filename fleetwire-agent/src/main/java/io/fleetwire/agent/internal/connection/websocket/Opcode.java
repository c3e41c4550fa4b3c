package io.fleetwire.agent.internal.connection.websocket;

/** RFC 6455 frame opcodes, with their wire value. */
enum Opcode {
    CONTINUATION(0x0),
    TEXT(0x1),
    BINARY(0x2),
    CLOSE(0x8),
    PING(0x9),
    PONG(0xA);

    final int code;

    Opcode(int code) {
        this.code = code;
    }

    boolean isControl() {
        return code >= 0x8;
    }

    /** The opcode with this wire value; a reserved one is a protocol error (1002). */
    static Opcode of(int code) throws WebSocketProtocolException {
        for (Opcode o : values()) {
            if (o.code == code) {
                return o;
            }
        }
        throw new WebSocketProtocolException(CloseStatus.PROTOCOL_ERROR, "reserved opcode 0x" + Integer.toHexString(code));
    }
}
