package io.fleetwire.agent.internal.history;

import io.fleetwire.agent.HubAgent;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryConfigTest {

    @Test
    void limitsOutsideTheirRange_areRefusedWithTheReason() {
        HistoryConfig ok = HistoryConfig.defaults(Path.of("h"));
        assertThatThrownBy(() -> ok.withLimits(Duration.ofMinutes(59), 1 << 20)).hasMessageContaining("maxAge must be between 1 hour and 366 days");
        assertThatThrownBy(() -> ok.withLimits(Duration.ofDays(367), 1 << 20)).hasMessageContaining("maxAge");
        assertThatThrownBy(() -> ok.withLimits(Duration.ofDays(7), 1000)).hasMessageContaining("maxBytes must be at least 16384");
        assertThatThrownBy(() -> ok.withMaxNames(0)).hasMessageContaining("maxNames");
        assertThatThrownBy(() -> HubAgent.builder().history(Duration.ofSeconds(10), 1 << 20))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAge");
    }
}
