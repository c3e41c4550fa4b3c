package io.fleetwire.agent.internal.queue;

/**
 * What an entry of the {@link DiskQueue} is, which decides whether it may be dropped when the disk
 * budget is full. The {@link #code} is written in every record and must never change.
 */
public enum Kind {

    /** Telemetry: when the queue is over its budget the oldest telemetry is dropped, and counted. */
    TELEMETRY((byte) 0),

    /** Command receipts, acks and results: never dropped, even past the budget. */
    RELIABLE((byte) 1);

    final byte code;

    Kind(byte code) {
        this.code = code;
    }

    /** True for the kinds the queue may drop to stay under its budget. */
    public boolean droppable() {
        return this == TELEMETRY;
    }

    /** The kind written as {@code code}, or null for a byte no kind uses (damaged data). */
    static Kind fromCode(byte code) {
        return switch (code) {
            case 0 -> TELEMETRY;
            case 1 -> RELIABLE;
            default -> null;
        };
    }
}
