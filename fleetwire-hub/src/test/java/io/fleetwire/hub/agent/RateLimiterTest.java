package io.fleetwire.hub.agent;

import io.fleetwire.hub.agent.RateLimiter.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;
    /** An arbitrary, negative start: System.nanoTime() may be anywhere, including below zero. */
    private static final long T0 = -5_000 * SECOND;

    /** {@code n} acquisitions at the same instant. */
    private static List<Verdict> burstAt(RateLimiter limiter, long now, int n) {
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(limiter.acquire(now));
        }
        return out;
    }

    @Test
    void acquire_withinTheBurst_allowsEveryMessage() {
        RateLimiter limiter = new RateLimiter(10, 5, T0);

        assertThat(burstAt(limiter, T0, 5)).containsOnly(Verdict.ALLOW).hasSize(5);
    }

    @Test
    void acquire_oneMessagePastTheBurst_isRefused() {
        RateLimiter limiter = new RateLimiter(10, 5, T0);
        burstAt(limiter, T0, 5);

        assertThat(limiter.acquire(T0)).isEqualTo(Verdict.REFUSE);
    }

    @Test
    void acquire_afterBurstWithoutTimePassing_refusesUntilDeficitExceedsBurst_thenFloods() {
        RateLimiter limiter = new RateLimiter(10, 5, T0);

        List<Verdict> verdicts = burstAt(limiter, T0, 12);

        assertThat(verdicts.subList(0, 5)).containsOnly(Verdict.ALLOW);
        assertThat(verdicts.subList(5, 10)).containsOnly(Verdict.REFUSE);
        assertThat(verdicts.subList(10, 12)).containsOnly(Verdict.FLOODING);
    }

    @Test
    void acquire_afterRefusal_allowsAgainOnceTokensHaveRefilled() {
        RateLimiter limiter = new RateLimiter(10, 5, T0);
        burstAt(limiter, T0, 5);
        assertThat(limiter.acquire(T0)).isEqualTo(Verdict.REFUSE); // one token in deficit

        // 10/s = one token per 100 ms; the deficit of one must be paid back first.
        assertThat(limiter.acquire(T0 + 100 * MS)).isEqualTo(Verdict.REFUSE);
        assertThat(limiter.acquire(T0 + 450 * MS)).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void acquire_afterAFullSecondOfSilence_allowsAFullBurstAgain() {
        RateLimiter limiter = new RateLimiter(10, 5, T0);
        burstAt(limiter, T0, 5);
        assertThat(limiter.acquire(T0)).isEqualTo(Verdict.REFUSE);

        long later = T0 + SECOND;
        assertThat(burstAt(limiter, later, 5)).containsOnly(Verdict.ALLOW);
        assertThat(limiter.acquire(later)).isEqualTo(Verdict.REFUSE);
    }

    @Test
    void acquire_afterLongIdle_savesNoMoreThanTheBurst() {
        RateLimiter limiter = new RateLimiter(10, 5, T0);

        long muchLater = T0 + 3_600 * SECOND;
        assertThat(burstAt(limiter, muchLater, 5)).containsOnly(Verdict.ALLOW);
        assertThat(limiter.acquire(muchLater)).isEqualTo(Verdict.REFUSE);
    }

    @Test
    void acquire_atExactlyTheSustainedRate_isAlwaysAllowed_evenWithTheBucketEmpty() {
        RateLimiter limiter = new RateLimiter(10, 5, T0);
        burstAt(limiter, T0, 5); // bucket empty

        long now = T0;
        for (int i = 0; i < 10_000; i++) {
            now += 100 * MS;
            assertThat(limiter.acquire(now)).as("message %d at the sustained rate", i).isEqualTo(Verdict.ALLOW);
        }
    }

    @Test
    void acquire_wellOverTheRate_allowsTheBurst_thenRefuses_thenFloodsOnceDeficitPassesTheBurst() {
        // rate 10/s, burst 5, a message every 30 ms (33/s): each message costs 1 and earns 0.3 tokens.
        // After message n the bucket holds 4 - 0.7 (n - 1): >= 0 up to n = 6, >= -5 up to n = 13.
        RateLimiter limiter = new RateLimiter(10, 5, T0);

        List<Verdict> verdicts = new ArrayList<>();
        for (int n = 0; n < 16; n++) {
            verdicts.add(limiter.acquire(T0 + n * 30 * MS));
        }

        assertThat(verdicts.subList(0, 6)).containsOnly(Verdict.ALLOW);
        assertThat(verdicts.subList(6, 13)).containsOnly(Verdict.REFUSE);
        assertThat(verdicts.subList(13, 16)).containsOnly(Verdict.FLOODING);
    }

    @Test
    void acquire_slightlyOverTheRate_isRefusedSometimes_butNeverFloods() {
        // 11 messages/s against a rate of 10/s with a burst of 5: the bucket slowly drains and a message is
        // refused now and then; the peer backs off for a second whenever refused, so it never floods.
        RateLimiter limiter = new RateLimiter(10, 5, T0);

        long now = T0;
        int refused = 0;
        for (int i = 0; i < 1_000; i++) {
            now += 91 * MS;
            Verdict v = limiter.acquire(now);
            assertThat(v).isNotEqualTo(Verdict.FLOODING);
            if (v == Verdict.REFUSE) {
                refused++;
                now += SECOND; // back off
            }
        }
        assertThat(refused).isPositive();
    }

    @Test
    void acquire_afterFlooding_recoversWhenThePeerFallsSilentLongEnough() {
        RateLimiter limiter = new RateLimiter(10, 5, T0);
        assertThat(burstAt(limiter, T0, 11)).last().isEqualTo(Verdict.FLOODING); // 6 tokens in deficit

        // 6 deficit + 1 for the message itself = 700 ms of refill at 10/s.
        assertThat(limiter.acquire(T0 + 650 * MS)).isEqualTo(Verdict.REFUSE);
        assertThat(limiter.acquire(T0 + 2 * SECOND)).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void acquire_withBurstOfOne_allowsOneThenRefusesThenFloods() {
        RateLimiter limiter = new RateLimiter(1, 1, T0);

        assertThat(burstAt(limiter, T0, 4))
                .containsExactly(Verdict.ALLOW, Verdict.REFUSE, Verdict.FLOODING, Verdict.FLOODING);
    }
}
