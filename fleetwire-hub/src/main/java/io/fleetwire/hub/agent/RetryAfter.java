package io.fleetwire.hub.agent;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code Retry-After} of a device refused because too many upgrades are in progress (a reconnect
 * storm): spread so that the refused devices come back at about the rate the hub admits them, instead
 * of all again after one second. With {@code r} devices refused over the current and the previous
 * second and the hub admitting {@code a} per second (at least its concurrency limit; each upgrade
 * takes well under a second), each refused device is told a random whole number of seconds in
 * {@code [1, ceil(r / a)]}, at most {@value #MAX_SECONDS}.
 *
 * <p>Thread-safe: called from every event loop; a monitor is cheap beside an upgrade.
 */
final class RetryAfter {

    static final int MAX_SECONDS = 60;
    private static final long WINDOW_NANOS = 1_000_000_000L;

    private final int minAdmittedPerSecond;
    private long windowStart;
    private long admitted;
    private long refused;
    private long lastAdmitted;
    private long lastRefused;

    RetryAfter(int minAdmittedPerSecond, long nowNanos) {
        if (minAdmittedPerSecond < 1) {
            throw new IllegalArgumentException("minAdmittedPerSecond must be at least 1");
        }
        this.minAdmittedPerSecond = minAdmittedPerSecond;
        this.windowStart = nowNanos;
    }

    /** An upgrade completed (the device is connected). */
    synchronized void admitted(long nowNanos) {
        roll(nowNanos);
        admitted++;
    }

    /** A device was refused now: the seconds it should wait. */
    synchronized int refused(long nowNanos) {
        roll(nowNanos);
        refused++;
        return (int) (1 + ThreadLocalRandom.current().nextLong(spread()));
    }

    /** The upper bound of the current answers, in seconds (1 when there is no storm). */
    synchronized int spread() {
        long rate = Math.max(minAdmittedPerSecond, Math.max(admitted, lastAdmitted));
        long waiting = refused + lastRefused;
        return (int) Math.min(MAX_SECONDS, Math.max(1, (waiting + rate - 1) / rate));
    }

    private void roll(long nowNanos) {
        long elapsed = nowNanos - windowStart;
        if (elapsed < WINDOW_NANOS) {
            return;
        }
        boolean adjacent = elapsed < 2 * WINDOW_NANOS;
        lastAdmitted = adjacent ? admitted : 0;
        lastRefused = adjacent ? refused : 0;
        admitted = 0;
        refused = 0;
        windowStart = nowNanos;
    }
}
