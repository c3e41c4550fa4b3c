package io.fleetwire.agent.internal.connection.websocket;

/** One frame as read from the wire, unmasked. */
record Frame(Opcode opcode, boolean fin, byte[] payload) {
}
