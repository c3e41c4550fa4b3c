package io.fleetwire.sim.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceSessionRetryAfterTest {

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 1000", "36, 36000", "3600, 3600000"})
    void wholeSeconds_areHonoured(String header, long millis) {
        assertThat(DeviceSession.retryAfterMillis(header)).isEqualTo(millis);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"-1", "1.5", "3601", "99999", "Wed, 21 Oct 2015 07:28:00 GMT", " 5", "abc"})
    void anythingElse_fallsBackToTheBackoff(String header) {
        assertThat(DeviceSession.retryAfterMillis(header)).isEqualTo(-1);
    }
}
