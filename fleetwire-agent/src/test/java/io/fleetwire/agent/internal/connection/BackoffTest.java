package io.fleetwire.agent.internal.connection;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    private static Backoff seedDefaults(long seed) {
        return new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(300), new Random(seed));
    }

    @Test
    void ceiling_doublesFromFiveSecondsAndStopsAtThreeHundred() {
        Backoff b = seedDefaults(1);
        assertThat(b.ceilingMillis(0)).isEqualTo(5_000);
        assertThat(b.ceilingMillis(1)).isEqualTo(10_000);
        assertThat(b.ceilingMillis(5)).isEqualTo(160_000);
        assertThat(b.ceilingMillis(6)).isEqualTo(300_000);
        assertThat(b.ceilingMillis(61)).isEqualTo(300_000);
        assertThat(b.ceilingMillis(200)).isEqualTo(300_000);
    }

    @Test
    void next_staysWithinTheCeilingOfItsAttempt_andIsSpreadOverIt() {
        Backoff b = seedDefaults(42);
        for (int i = 0; i < 1_000; i++) {
            long ceiling = b.ceilingMillis(b.attempt());
            assertThat(b.next().toMillis()).isBetween(0L, ceiling);
        }
        // Full jitter: across many fresh sequences the first delay covers the whole [0, 5 s] range.
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int seed = 0; seed < 2_000; seed++) {
            long d = seedDefaults(seed).next().toMillis();
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isLessThan(250);
        assertThat(max).isGreaterThan(4_750);
    }

    @Test
    void reset_startsAgainFromTheBase() {
        Backoff b = seedDefaults(3);
        for (int i = 0; i < 10; i++) {
            b.next();
        }
        b.reset();
        assertThat(b.attempt()).isZero();
        assertThat(b.next().toMillis()).isLessThanOrEqualTo(5_000);
    }

    @Test
    void afterGoingAway_isShortAndSpread() {
        Backoff b = seedDefaults(9);
        for (int i = 0; i < 100; i++) {
            assertThat(b.afterGoingAway().toMillis()).isBetween(0L, 5_000L);
        }
    }

    @Test
    void afterRetryAfter_waitsWhatTheHubSaid_plusAtMostASecond_andCountsNoFailedAttempt() {
        Backoff b = seedDefaults(7);
        b.next();
        int attempts = b.attempt();
        for (int i = 0; i < 200; i++) {
            Duration d = b.afterRetryAfter(12);
            assertThat(d).isBetween(Duration.ofSeconds(12), Duration.ofMillis(13_000));
        }
        assertThat(b.attempt()).isEqualTo(attempts);
        assertThatThrownBy(() -> b.afterRetryAfter(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidSettings_areRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new Random()))
                .hasMessageContaining("base must be positive");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1), new Random()))
                .hasMessageContaining("must not be below");
    }
}
