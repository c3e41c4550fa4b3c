package io.fleetwire.sim;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FleetOptionsTest {

    private static final URI HUB = URI.create("http://127.0.0.1:8080");
    private static final List<SimDevice> ONE = List.of(new SimDevice("a", "sim-1", "fwd_x"));

    @Test
    void defaults() {
        FleetOptions o = FleetOptions.builder(HUB, ONE).build();
        assertThat(o.connectRate()).isEqualTo(500);
        assertThat(o.telemetryInterval()).isNull();
        assertThat(o.eventLoops()).isEqualTo(2);
        assertThat(o.backoffBase()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.maxUnacked()).isEqualTo(1_000);
    }

    @Test
    void badValues_areRefused() {
        assertThatThrownBy(() -> FleetOptions.builder(URI.create("ftp://x"), ONE).build()).hasMessageContaining("hub");
        assertThatThrownBy(() -> FleetOptions.builder(HUB, List.of()).build()).hasMessageContaining("no devices");
        assertThatThrownBy(() -> FleetOptions.builder(HUB, List.of(ONE.getFirst(), ONE.getFirst())).build())
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> FleetOptions.builder(HUB, ONE).connectRate(0).build()).hasMessageContaining("connectRate");
        assertThatThrownBy(() -> FleetOptions.builder(HUB, ONE).eventLoops(0).build()).hasMessageContaining("eventLoops");
        assertThatThrownBy(() -> FleetOptions.builder(HUB, ONE).telemetryInterval(Duration.ofMillis(1)).build())
                .hasMessageContaining("telemetryInterval");
        assertThatThrownBy(() -> FleetOptions.builder(HUB, ONE).backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
                .hasMessageContaining("backoff");
        assertThatThrownBy(() -> FleetOptions.builder(HUB, ONE).commandRunTime(Duration.ofMillis(-1)).build())
                .hasMessageContaining("commandRunTime");
        assertThatThrownBy(() -> new SimDevice("a", "n", " ")).hasMessageContaining("non-blank");
        assertThat(new SimDevice("a", "n", "fwd_secret").toString()).doesNotContain("fwd_secret");
    }
}
