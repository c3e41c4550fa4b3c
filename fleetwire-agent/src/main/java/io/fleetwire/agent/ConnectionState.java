package io.fleetwire.agent;

/**
 * Where the agent's socket to the hub stands (seed 004, phase 1). The usual path is
 * {@code CONNECTING → OPEN → RECONNECTING → CONNECTING → …}; {@code CLOSING → CLOSED} only when the
 * agent is closed; {@code FAILED} when the hub refused the device token, which retrying cannot fix.
 */
public enum ConnectionState {
    /** Opening the socket. */
    CONNECTING,
    /** Connected and welcomed by the hub. */
    OPEN,
    /** The agent is shutting the socket down. */
    CLOSING,
    /** Closed for good by {@code close()}. */
    CLOSED,
    /** The socket is down; waiting out the backoff before connecting again. */
    RECONNECTING,
    /** The hub refused the token (HTTP 401) or the device was deleted (close 4003); the agent stops. */
    FAILED
}
