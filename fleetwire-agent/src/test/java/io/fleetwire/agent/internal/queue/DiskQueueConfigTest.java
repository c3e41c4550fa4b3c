package io.fleetwire.agent.internal.queue;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DiskQueueConfigTest {

    private static final DiskQueueConfig DEFAULTS = DiskQueueConfig.defaults(Path.of("queue"));

    @Test
    void defaults_areFourMebibyteSegments_a64MebibyteBudget_and5msSync() {
        assertThat(DEFAULTS.segmentBytes()).isEqualTo(4L << 20);
        assertThat(DEFAULTS.budgetBytes()).isEqualTo(64L << 20);
        assertThat(DEFAULTS.syncInterval()).isEqualTo(Duration.ofMillis(5));
        assertThat(DEFAULTS.watermarkInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void impossibleValues_areRefusedWithTheSettingNamed() {
        assertThatThrownBy(() -> DEFAULTS.withSegmentBytes(100))
                .hasMessage("segmentBytes must be between 4096 and 1073741824, was 100");
        assertThatThrownBy(() -> DEFAULTS.withSegmentBytes(2L << 30)).hasMessageStartingWith("segmentBytes");
        assertThatThrownBy(() -> DEFAULTS.withBudgetBytes(0)).hasMessage("budgetBytes must be positive, was 0");
        assertThatThrownBy(() -> DEFAULTS.withSyncInterval(Duration.ofMillis(-1)))
                .hasMessage("syncInterval must be between 0 and PT1S, was PT-0.001S");
        assertThatThrownBy(() -> DEFAULTS.withSyncInterval(null)).hasMessage("syncInterval is required");
        assertThatThrownBy(() -> DEFAULTS.withWatermarkInterval(Duration.ofHours(1)))
                .hasMessageStartingWith("watermarkInterval must be between 0 and PT1M");
        assertThatThrownBy(() -> new DiskQueueConfig(null, 4096, 1, Duration.ZERO, Duration.ZERO))
                .hasMessage("directory is required");
    }
}
