package io.fleetwire.hub.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubConfigTest {

    @Test
    void fromEnv_withNothingSet_usesTheDocumentedDefaults() {
        HubConfig c = HubConfig.fromEnv(Map.of());
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.dataDir()).isEqualTo(Path.of("./fleetwire-data"));
        assertThat(c.dbUrl()).isEmpty();
        assertThat(c.adminToken()).isEmpty();
        assertThat(c.heartbeat()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.missedHeartbeats()).isEqualTo(3);
        assertThat(c.presenceTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.maxMessageBytes()).isEqualTo(262_144);
        assertThat(c.compression()).isEqualTo(HubConfig.Compression.OFF);
    }

    @Test
    void fromEnv_readsEveryOverride_andBlankMeansDefault() {
        HubConfig c = HubConfig.fromEnv(Map.of("FLEETWIRE_PORT", "9000", "FLEETWIRE_DB_URL", "postgresql://h/db",
                "FLEETWIRE_WS_COMPRESSION", "no-context-takeover", "FLEETWIRE_HEARTBEAT_SECONDS", " ",
                "FLEETWIRE_ADMIN_TOKEN", "0123456789abcdef"));
        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.dbUrl()).contains("postgresql://h/db");
        assertThat(c.compression()).isEqualTo(HubConfig.Compression.NO_CONTEXT_TAKEOVER);
        assertThat(c.heartbeat()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.adminToken()).contains("0123456789abcdef");
    }

    @Test
    void fromEnv_withBadValues_failsNamingTheVariable() {
        assertThatThrownBy(() -> HubConfig.fromEnv(Map.of("FLEETWIRE_PORT", "eighty")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("FLEETWIRE_PORT");
        assertThatThrownBy(() -> HubConfig.fromEnv(Map.of("FLEETWIRE_PORT", "70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("between 0 and 65535");
        assertThatThrownBy(() -> HubConfig.fromEnv(Map.of("FLEETWIRE_MISSED_HEARTBEATS", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("FLEETWIRE_MISSED_HEARTBEATS");
        assertThatThrownBy(() -> HubConfig.fromEnv(Map.of("FLEETWIRE_ADMIN_TOKEN", "short")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("FLEETWIRE_ADMIN_TOKEN");
        assertThatThrownBy(() -> HubConfig.fromEnv(Map.of("FLEETWIRE_WS_COMPRESSION", "gzip")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("FLEETWIRE_WS_COMPRESSION");
    }
}
