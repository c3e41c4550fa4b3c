package io.fleetwire.hub.agent;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryAfterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void withoutAStorm_everyAnswerIsOneSecond() {
        RetryAfter r = new RetryAfter(500, 0);
        for (int i = 0; i < 400; i++) {
            assertThat(r.refused(i)).isEqualTo(1);
        }
    }

    @Test
    void aStorm_spreadsTheRefusedOverAsManySecondsAsTheHubNeedsToAdmitThem() {
        RetryAfter r = new RetryAfter(500, 0);
        int max = 0;
        long sum = 0;
        for (int i = 0; i < 18_000; i++) {
            int s = r.refused(i);
            assertThat(s).isBetween(1, 36);
            max = Math.max(max, s);
            sum += s;
        }
        assertThat(r.spread()).isEqualTo(36);
        assertThat(max).isEqualTo(36);
        // Uniform-ish: the answers of the later part of the wave average well above one second.
        assertThat(sum / 18_000.0).isGreaterThan(5);
    }

    @Test
    void aFasterHub_getsShorterAnswers_andTheSpreadEndsWithTheStorm() {
        RetryAfter r = new RetryAfter(100, 0);
        for (int i = 0; i < 2_000; i++) {
            r.admitted(i);
        }
        for (int i = 0; i < 10_000; i++) {
            r.refused(i);
        }
        assertThat(r.spread()).isEqualTo(5); // 10,000 waiting / 2,000 admitted per second
        r.admitted(SECOND + 1);               // the next second: the last one's counts still count
        assertThat(r.spread()).isEqualTo(5);
        r.admitted(3 * SECOND);               // two quiet seconds later: nothing is waiting
        assertThat(r.spread()).isEqualTo(1);
    }

    @Test
    void theAnswerIsCappedAtAMinute() {
        RetryAfter r = new RetryAfter(1, 0);
        for (int i = 0; i < 1_000; i++) {
            assertThat(r.refused(i)).isBetween(1, RetryAfter.MAX_SECONDS);
        }
        assertThat(r.spread()).isEqualTo(RetryAfter.MAX_SECONDS);
    }

    @Test
    void aRateBelowOne_isRefused() {
        assertThatThrownBy(() -> new RetryAfter(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
