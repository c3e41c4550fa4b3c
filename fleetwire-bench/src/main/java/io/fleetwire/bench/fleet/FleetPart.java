package io.fleetwire.bench.fleet;

import io.fleetwire.sim.FleetStats;

/**
 * The simulated devices of one process: this one ({@link LocalPart}) or a worker process
 * ({@link WorkerPart}), since one process here may hold at most ~19k sockets. A part starts
 * fleets for ranges of the bench's device list and acts on all of them at once.
 */
interface FleetPart extends AutoCloseable {

    /** Starts simulating devices {@code from} (inclusive) to {@code to} (exclusive) of the list. */
    void start(int from, int to) throws Exception;

    int connected() throws Exception;

    /** All of this part's fleets, as one snapshot (empty counts before any {@link #start}). */
    FleetStats stats() throws Exception;

    void pauseTelemetry() throws Exception;

    void resumeTelemetry() throws Exception;

    /** Resets every socket at once, as a hub restart would. */
    void dropAll() throws Exception;

    @Override
    void close();
}
