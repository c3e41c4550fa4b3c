package io.fleetwire.agent.internal.connection.websocket;

/** The RFC 6455 close codes this client sends or reports itself. */
public final class CloseStatus {

    public static final int NORMAL = 1000;
    public static final int PROTOCOL_ERROR = 1002;
    /** Reported, never sent: the close frame carried no code. */
    public static final int NO_STATUS = 1005;
    /** Reported, never sent: the connection ended without a close frame. */
    public static final int ABNORMAL = 1006;
    public static final int INVALID_PAYLOAD = 1007;
    public static final int TOO_BIG = 1009;

    private CloseStatus() {
    }

    /** True for a code that may travel in a close frame (RFC 6455 §7.4). */
    static boolean sendable(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }
}
