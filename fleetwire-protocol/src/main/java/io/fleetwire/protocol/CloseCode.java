package io.fleetwire.protocol;

/**
 * WebSocket close codes the hub uses on device sockets. 1000–1011 are RFC 6455 codes; 4000–4999
 * are Fleetwire's own.
 */
public enum CloseCode {
    NORMAL(1000, "normal closure"),
    GOING_AWAY(1001, "hub shutting down"),
    POLICY_VIOLATION(1008, "policy violation"),
    MESSAGE_TOO_BIG(1009, "message too big"),
    INTERNAL_ERROR(1011, "internal error"),
    /** The same device opened a newer socket; this one is closed. Do not reconnect this socket. */
    REPLACED(4000, "replaced by a newer connection of the same device"),
    /** No frame arrived within the allowed number of heartbeat intervals. */
    HEARTBEAT_TIMEOUT(4001, "heartbeat timeout"),
    /** The device was deleted or its token revoked. */
    REVOKED(4003, "device token revoked");

    private final int code;
    private final String reason;

    CloseCode(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }
}
