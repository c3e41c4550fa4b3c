package io.fleetwire.agent.internal.connection;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: exponential backoff with full jitter (AWS architecture blog, "Exponential
 * Backoff And Jitter"): attempt n waits a uniformly random time in {@code [0, min(max, base · 2^n))}.
 * Defaults are seed 000's 5 s doubling to 300 s. Spread is what keeps a restarted hub from being hit
 * by every device at once. {@link #reset()} after a connection proved stable. Not thread-safe: the
 * connection's own thread owns it.
 */
public final class Backoff {

    private final Duration base;
    private final Duration max;
    private final RandomGenerator random;
    private int attempt;

    public Backoff(Duration base, Duration max, RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("base must be positive: " + base);
        }
        if (max.compareTo(base) < 0) {
            throw new IllegalArgumentException("max " + max + " must not be below base " + base);
        }
        this.base = base;
        this.max = max;
        this.random = random;
    }

    /** The delay before the next attempt; each call counts one more failed attempt. */
    public Duration next() {
        long ceiling = ceilingMillis(attempt);
        if (attempt < 62) {
            attempt++;
        }
        return Duration.ofMillis(random.nextLong(ceiling + 1));
    }

    /**
     * The delay after the hub said it is going away (close 1001, a restart): short and spread,
     * {@code [0, base)}, so a fleet comes back promptly but not all in the same second.
     */
    public Duration afterGoingAway() {
        return Duration.ofMillis(random.nextLong(base.toMillis() + 1));
    }

    /**
     * The delay after the hub refused the upgrade with {@code Retry-After: seconds}: that long plus up
     * to one second of jitter. It does not count as a failed attempt: the hub is up and said when.
     */
    public Duration afterRetryAfter(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("seconds must not be negative: " + seconds);
        }
        return Duration.ofSeconds(seconds).plusMillis(random.nextLong(1_001));
    }

    /** The connection was stable: start again from the base delay. */
    public void reset() {
        attempt = 0;
    }

    /** Upper bound of the delay for attempt {@code n}. */
    long ceilingMillis(int n) {
        long b = base.toMillis();
        long m = max.toMillis();
        return n >= 62 || b > (m >> Math.min(n, 62)) ? m : Math.min(m, b << n);
    }

    int attempt() {
        return attempt;
    }
}
