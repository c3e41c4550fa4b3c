package io.fleetwire.agent.internal.connection.websocket;

import java.io.IOException;

/** The server broke RFC 6455 (or a limit); the connection ends with {@link #closeCode()}. */
public final class WebSocketProtocolException extends IOException {

    private final int closeCode;

    public WebSocketProtocolException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    /** The close code sent to the server: 1002, 1007 or 1009. */
    public int closeCode() {
        return closeCode;
    }
}
