package io.fleetwire.agent.internal.queue;

/**
 * One unacknowledged entry of the {@link DiskQueue}, as read back from disk for sending. The payload
 * array is a fresh copy owned by the caller; equality of entries compares it by reference, as for
 * any record holding an array.
 *
 * @param seq     the sequence number the queue gave it, unique and increasing across restarts
 * @param kind    whether it may be dropped when the budget is full
 * @param payload the bytes given to {@link DiskQueue#append}
 */
public record Entry(long seq, Kind kind, byte[] payload) {
}
