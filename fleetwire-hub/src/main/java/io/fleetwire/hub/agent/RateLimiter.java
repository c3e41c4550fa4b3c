package io.fleetwire.hub.agent;

/**
 * Token bucket for one connection: {@code rate} messages per second sustained, {@code burst} above
 * that. A message over the limit is refused; a peer that keeps sending while refused — a second
 * burst's worth in deficit — is flooding. Not thread-safe: used from the connection's event loop.
 */
final class RateLimiter {

    enum Verdict { ALLOW, REFUSE, FLOODING }

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long last;

    RateLimiter(int ratePerSecond, int burst, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    Verdict acquire(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - last) * ratePerNano);
        last = nowNanos;
        tokens -= 1;
        if (tokens >= 0) {
            return Verdict.ALLOW;
        }
        return tokens < -burst ? Verdict.FLOODING : Verdict.REFUSE;
    }
}
