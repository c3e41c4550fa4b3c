package io.fleetwire.sim.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Paces connection attempts of the whole fleet to a rate: each attempt reserves the next free slot, at
 * least {@code 1/rate} after the previous one. Lock-free; any thread.
 */
final class ConnectGate {

    private final long spacingNanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);

    ConnectGate(int perSecond) {
        this.spacingNanos = 1_000_000_000L / perSecond;
    }

    /** Reserves a slot no earlier than {@code earliestNanos} ({@link System#nanoTime()} time) and returns it. */
    long reserve(long earliestNanos) {
        while (true) {
            long current = next.get();
            long slot = Math.max(current, earliestNanos);
            if (next.compareAndSet(current, slot + spacingNanos)) {
                return slot;
            }
        }
    }
}
