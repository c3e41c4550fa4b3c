package io.fleetwire.agent.internal.outbox;

import io.fleetwire.protocol.Message;

import java.util.List;
import java.util.function.LongFunction;

/**
 * Everything the agent sends that needs the hub's acknowledgement (telemetry, command receipts and
 * results) goes through here: each message gets the next sequence number, is kept until the hub
 * acknowledges that seq, and is replayed in order after a reconnect.
 */
public interface Outbox extends AutoCloseable {

    /** What may be dropped when the budget is full: telemetry; receipts and results never are. */
    enum Kind { TELEMETRY, RELIABLE }

    /** A stored message and its seq. */
    record Entry(long seq, Message message) {
    }

    /** Stores the message built for the next seq; returns that seq once the message is safe. */
    long append(Kind kind, LongFunction<Message> message);

    /** The hub acknowledged {@code seq}. */
    void ack(long seq);

    /** Unacknowledged messages after {@code afterSeq}, oldest first, at most {@code max}. */
    List<Entry> pending(long afterSeq, int max);

    /**
     * What the queue has to report: messages waiting, telemetry dropped for the budget, and records
     * found damaged on disk (and skipped) since the agent started. Sent with every sample.
     */
    record Health(long backlog, long droppedTelemetry, long damagedRecords) {
    }

    Health health();

    /** The hub's disk budget for queued messages changed; an outbox without one ignores it. */
    default void budgetBytes(long bytes) {
    }

    @Override
    void close();
}
