package io.fleetwire.agent.internal.connection.websocket;

import java.io.IOException;

/** The server did not upgrade the connection: its HTTP status (0 when the answer was not HTTP), and why. */
public final class HandshakeException extends IOException {

    private final int status;

    public HandshakeException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
