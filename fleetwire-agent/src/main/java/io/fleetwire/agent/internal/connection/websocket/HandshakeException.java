package io.fleetwire.agent.internal.connection.websocket;

import java.io.IOException;

/**
 * The server did not upgrade the connection: its HTTP status (0 when the answer was not HTTP), why,
 * and the seconds its {@code Retry-After} asked for (-1: none, or not whole seconds up to an hour).
 */
public final class HandshakeException extends IOException {

    /** The longest {@code Retry-After} honoured; a larger one is ignored (the backoff applies). */
    public static final int MAX_RETRY_AFTER_SECONDS = 3_600;

    private final int status;
    private final int retryAfterSeconds;

    public HandshakeException(int status, String message) {
        this(status, message, -1);
    }

    public HandshakeException(int status, String message, int retryAfterSeconds) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** A {@code Retry-After} value in whole seconds (0 … {@value #MAX_RETRY_AFTER_SECONDS}); -1 for anything else (an HTTP date included). */
    public static int retryAfterSeconds(String value) {
        if (value == null || value.isEmpty() || value.length() > 4) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return -1;
            }
        }
        int seconds = Integer.parseInt(value);
        return seconds <= MAX_RETRY_AFTER_SECONDS ? seconds : -1;
    }
}
