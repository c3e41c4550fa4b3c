package io.fleetwire.agent;

/** Told about every change of the agent's {@link ConnectionState}. Called on the agent's own thread; must not block. */
@FunctionalInterface
public interface ConnectionListener {

    /**
     * @param from   the previous state
     * @param to     the new state
     * @param reason why, in words (a close code and reason, an I/O error), never null
     */
    void onStateChange(ConnectionState from, ConnectionState to, String reason);
}
