package io.fleetwire.agent.internal.queue;

/**
 * A snapshot of a {@link DiskQueue}'s counters, for metrics and for the agent's report to the hub.
 * Counters ({@code droppedTelemetry}, {@code corruptRecordsSkipped}, {@code syncs}) count from the
 * moment the queue was opened.
 *
 * @param entries               unacknowledged entries held (including those written but not yet synced)
 * @param bytes                 their size on disk, record headers included: what the budget limits
 * @param droppedTelemetry      telemetry entries dropped to stay under the budget
 * @param segments              segment files
 * @param diskBytes             the size of those files, acknowledged records still in them included
 * @param watermark             every seq at or below it is acknowledged (or dropped)
 * @param lastSeq               the last seq given out, 0 if none ever was
 * @param corruptRecordsSkipped records lost to damaged data found on opening or reading (a torn write
 *                              at the end of the newest segment after a crash is expected and not counted)
 * @param syncs                 fsyncs made by group commit; appends divided by this is the group size
 */
public record Stats(long entries, long bytes, long droppedTelemetry, int segments, long diskBytes,
                    long watermark, long lastSeq, long corruptRecordsSkipped, long syncs) {
}
