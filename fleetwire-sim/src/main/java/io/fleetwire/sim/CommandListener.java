package io.fleetwire.sim;

/**
 * Told about commands reaching simulated devices, e.g. to measure REST → device latency. Called on the
 * device's event loop: return quickly and never block (hand heavy work to another thread).
 */
@FunctionalInterface
public interface CommandListener {

    /** A device received a command id for the first time. */
    void received(CommandReceipt receipt);

    /**
     * The hub acknowledged the device's {@code command_result} for this command, i.e. the result is
     * committed ({@code succeeded} or {@code failed} is visible through the REST API).
     *
     * @param storedAtNanos {@link System#nanoTime()} when the hub's {@code ack} was decoded
     */
    default void resultStored(CommandReceipt receipt, long storedAtNanos) {
    }
}
