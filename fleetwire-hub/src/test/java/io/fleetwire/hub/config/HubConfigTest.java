package io.fleetwire.hub.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class HubConfigTest {

    /** Every integer setting, its allowed range, and how to read it back from a {@link HubConfig}. */
    private record IntSetting(ConfigKey key, int min, int max, ToIntFunction<HubConfig> read) {
        @Override
        public String toString() {
            return key.env() + " [" + min + ", " + max + "]";
        }
    }

    private static final IntSetting[] INT_SETTINGS = {
        new IntSetting(ConfigKey.PORT, 0, 65_535, HubConfig::port),
        new IntSetting(ConfigKey.DB_POOL_SIZE, 1, 200, HubConfig::dbPoolSize),
        new IntSetting(ConfigKey.HEARTBEAT_SECONDS, 1, 3_600, c -> (int) c.heartbeat().toSeconds()),
        new IntSetting(ConfigKey.MISSED_HEARTBEATS, 1, 100, HubConfig::missedHeartbeats),
        new IntSetting(ConfigKey.TELEMETRY_INTERVAL_SECONDS, 1, 86_400, c -> (int) c.telemetryInterval().toSeconds()),
        new IntSetting(ConfigKey.MAX_MESSAGE_BYTES, 1_024, 16 << 20, HubConfig::maxMessageBytes),
        new IntSetting(ConfigKey.DEVICE_RATE, 1, 100_000, HubConfig::deviceRate),
        new IntSetting(ConfigKey.DEVICE_BURST, 1, 1_000_000, HubConfig::deviceBurst),
        new IntSetting(ConfigKey.TELEMETRY_QUEUE, 1, 10_000_000, HubConfig::telemetryQueue),
        new IntSetting(ConfigKey.TELEMETRY_BATCH, 1, 100_000, HubConfig::telemetryBatch),
        new IntSetting(ConfigKey.LATEST_STATE_SECONDS, 0, 86_400, c -> (int) c.latestStateEvery().toSeconds()),
        new IntSetting(ConfigKey.TELEMETRY_RETENTION_DAYS, 1, 36_500, HubConfig::retentionDays),
        new IntSetting(ConfigKey.COMMAND_ACK_TIMEOUT_SECONDS, 1, 3_600, c -> (int) c.commandAckTimeout().toSeconds()),
        new IntSetting(ConfigKey.COMMAND_RESULT_TIMEOUT_SECONDS, 1, 30 * 86_400, c -> (int) c.commandResultTimeout().toSeconds()),
        new IntSetting(ConfigKey.COMMAND_TTL_SECONDS, 1, HubConfig.MAX_COMMAND_TTL_SECONDS, HubConfig::commandTtlSeconds),
        new IntSetting(ConfigKey.SHUTDOWN_GRACE_SECONDS, 0, 3_600, c -> (int) c.shutdownGrace().toSeconds()),
    };

    static Stream<IntSetting> intSettings() {
        return Arrays.stream(INT_SETTINGS);
    }

    /** Non-numbers and values one step outside the allowed range, for every integer setting. */
    static Stream<Arguments> invalidIntegers() {
        return intSettings().flatMap(s -> Stream.of(
                Arguments.of(s, "abc"),
                Arguments.of(s, "12.5"),
                Arguments.of(s, "1e3"),
                Arguments.of(s, "99999999999"),
                Arguments.of(s, Long.toString((long) s.min() - 1)),
                Arguments.of(s, Long.toString((long) s.max() + 1))));
    }

    private static HubConfig config(String... envPairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < envPairs.length; i += 2) {
            env.put(envPairs[i], envPairs[i + 1]);
        }
        return HubConfig.fromEnv(env);
    }

    // ---- defaults ----------------------------------------------------------------------------

    @Test
    void fromEnv_withNothingSet_usesTheDocumentedDefaults() {
        HubConfig c = HubConfig.fromEnv(Map.of());

        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.dataDir()).isEqualTo(Path.of("./fleetwire-data"));
        assertThat(c.dbUrl()).isEmpty();
        assertThat(c.dbPoolSize()).isEqualTo(8);
        assertThat(c.adminToken()).isEmpty();
        assertThat(c.heartbeat()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.missedHeartbeats()).isEqualTo(3);
        assertThat(c.telemetryInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.maxMessageBytes()).isEqualTo(262_144);
        assertThat(c.deviceRate()).isEqualTo(20);
        assertThat(c.deviceBurst()).isEqualTo(100);
        assertThat(c.compression()).isEqualTo(HubConfig.Compression.OFF);
        assertThat(c.telemetryQueue()).isEqualTo(20_000);
        assertThat(c.telemetryBatch()).isEqualTo(500);
        assertThat(c.retentionDays()).isEqualTo(30);
        assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("intSettings")
    void fromEnv_withNothingSet_integerSettingEqualsItsConfigKeyDefault(IntSetting s) {
        HubConfig c = HubConfig.fromEnv(Map.of());

        assertThat(s.read().applyAsInt(c)).isEqualTo(Integer.parseInt(s.key().defaultValue()));
    }

    @Test
    void fromEnv_withNothingSet_textSettingsEqualTheirConfigKeyDefaults() {
        HubConfig c = HubConfig.fromEnv(Map.of());

        assertThat(c.host()).isEqualTo(ConfigKey.HOST.defaultValue());
        assertThat(c.dataDir()).isEqualTo(Path.of(ConfigKey.DATA_DIR.defaultValue()));
        assertThat(ConfigKey.DB_URL.defaultValue()).isEmpty();
        assertThat(ConfigKey.ADMIN_TOKEN.defaultValue()).isEmpty();
        assertThat(c.compression().name()).isEqualToIgnoringCase(ConfigKey.WS_COMPRESSION.defaultValue());
    }

    @Test
    void withOverrides_withNoOverrides_equalsFromEnvWithNothingSet() {
        assertThat(HubConfig.withOverrides(Map.of())).isEqualTo(HubConfig.fromEnv(Map.of()));
    }

    // ---- overrides ---------------------------------------------------------------------------

    @Test
    void fromEnv_readsEveryOverride() {
        HubConfig c = config(
                "FLEETWIRE_PORT", "9000",
                "FLEETWIRE_HOST", "127.0.0.1",
                "FLEETWIRE_DATA_DIR", "/var/lib/fleetwire",
                "FLEETWIRE_DB_URL", "postgresql://h/db",
                "FLEETWIRE_DB_POOL_SIZE", "16",
                "FLEETWIRE_ADMIN_TOKEN", "0123456789abcdef",
                "FLEETWIRE_HEARTBEAT_SECONDS", "15",
                "FLEETWIRE_MISSED_HEARTBEATS", "4",
                "FLEETWIRE_TELEMETRY_INTERVAL_SECONDS", "7",
                "FLEETWIRE_MAX_MESSAGE_BYTES", "65536",
                "FLEETWIRE_DEVICE_RATE", "50",
                "FLEETWIRE_DEVICE_BURST", "250",
                "FLEETWIRE_WS_COMPRESSION", "on",
                "FLEETWIRE_TELEMETRY_QUEUE", "1000",
                "FLEETWIRE_TELEMETRY_BATCH", "100",
                "FLEETWIRE_TELEMETRY_RETENTION_DAYS", "7",
                "FLEETWIRE_SHUTDOWN_GRACE_SECONDS", "0");

        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/fleetwire"));
        assertThat(c.dbUrl()).contains("postgresql://h/db");
        assertThat(c.dbPoolSize()).isEqualTo(16);
        assertThat(c.adminToken()).contains("0123456789abcdef");
        assertThat(c.heartbeat()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.missedHeartbeats()).isEqualTo(4);
        assertThat(c.telemetryInterval()).isEqualTo(Duration.ofSeconds(7));
        assertThat(c.maxMessageBytes()).isEqualTo(65_536);
        assertThat(c.deviceRate()).isEqualTo(50);
        assertThat(c.deviceBurst()).isEqualTo(250);
        assertThat(c.compression()).isEqualTo(HubConfig.Compression.ON);
        assertThat(c.telemetryQueue()).isEqualTo(1_000);
        assertThat(c.telemetryBatch()).isEqualTo(100);
        assertThat(c.retentionDays()).isEqualTo(7);
        assertThat(c.shutdownGrace()).isEqualTo(Duration.ZERO);
    }

    @Test
    void withOverrides_appliesOverridesByConfigKey() {
        Map<ConfigKey, String> overrides = new EnumMap<>(ConfigKey.class);
        overrides.put(ConfigKey.PORT, "0");
        overrides.put(ConfigKey.HEARTBEAT_SECONDS, "2");

        HubConfig c = HubConfig.withOverrides(overrides);

        assertThat(c.port()).isZero();
        assertThat(c.heartbeat()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.missedHeartbeats()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("intSettings")
    void fromEnv_acceptsBothEndsOfTheAllowedRange(IntSetting s) {
        HubConfig atMin = config(s.key().env(), Integer.toString(s.min()));
        HubConfig atMax = config(s.key().env(), Integer.toString(s.max()));

        assertThat(s.read().applyAsInt(atMin)).isEqualTo(s.min());
        assertThat(s.read().applyAsInt(atMax)).isEqualTo(s.max());
    }

    @Test
    void fromEnv_trimsSurroundingWhitespace() {
        HubConfig c = config("FLEETWIRE_PORT", " 9000 ", "FLEETWIRE_HOST", "\t::1 ",
                "FLEETWIRE_WS_COMPRESSION", " on\n");

        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.host()).isEqualTo("::1");
        assertThat(c.compression()).isEqualTo(HubConfig.Compression.ON);
    }

    @Test
    void fromEnv_ignoresVariablesThatAreNotSettings() {
        HubConfig c = config("FLEETWIRE_PORTT", "nonsense", "PATH", "/usr/bin", "fleetwire_port", "1");

        assertThat(c).isEqualTo(HubConfig.fromEnv(Map.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"off", "OFF", "Off"})
    void fromEnv_compressionOff_isCaseInsensitive(String value) {
        assertThat(config("FLEETWIRE_WS_COMPRESSION", value).compression()).isEqualTo(HubConfig.Compression.OFF);
    }

    @ParameterizedTest
    @ValueSource(strings = {"no-context-takeover", "NO-CONTEXT-TAKEOVER"})
    void fromEnv_compressionNoContextTakeover_isAccepted(String value) {
        assertThat(config("FLEETWIRE_WS_COMPRESSION", value).compression())
                .isEqualTo(HubConfig.Compression.NO_CONTEXT_TAKEOVER);
    }

    @Test
    void fromEnv_compressionOn_isAccepted() {
        assertThat(config("FLEETWIRE_WS_COMPRESSION", "ON").compression()).isEqualTo(HubConfig.Compression.ON);
    }

    @Test
    void fromEnv_adminTokenOfExactly16Characters_isAccepted() {
        assertThat(config("FLEETWIRE_ADMIN_TOKEN", "0123456789abcdef").adminToken()).contains("0123456789abcdef");
    }

    // ---- blank values ------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "   ", "\t", " \n "})
    void fromEnv_whenEverySettingIsBlank_usesAllDefaults(String blank) {
        Map<String, String> env = new HashMap<>();
        for (ConfigKey key : ConfigKey.values()) {
            env.put(key.env(), blank);
        }

        assertThat(HubConfig.fromEnv(env)).isEqualTo(HubConfig.fromEnv(Map.of()));
    }

    @Test
    void fromEnv_whenHeartbeatIsBlank_fallsBackToDefaultWhileOtherOverridesApply() {
        HubConfig c = config("FLEETWIRE_HEARTBEAT_SECONDS", " ", "FLEETWIRE_MISSED_HEARTBEATS", "5");

        assertThat(c.heartbeat()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.missedHeartbeats()).isEqualTo(5);
    }

    @Test
    void fromEnv_whenDbUrlAndAdminTokenAreBlank_theyStayUnset() {
        HubConfig c = config("FLEETWIRE_DB_URL", "  ", "FLEETWIRE_ADMIN_TOKEN", "");

        assertThat(c.dbUrl()).isEmpty();
        assertThat(c.adminToken()).isEmpty();
    }

    // ---- invalid values ----------------------------------------------------------------------

    @ParameterizedTest(name = "{0} = \"{1}\"")
    @MethodSource("invalidIntegers")
    void fromEnv_whenIntegerIsInvalid_throwsNamingTheVariableAndItsRange(IntSetting s, String value) {
        assertThatThrownBy(() -> config(s.key().env(), value))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(s.key().env())
                .hasMessageContaining(value)
                .hasMessageContaining("between " + s.min() + " and " + s.max());
    }

    @Test
    void fromEnv_whenPortIsNotANumber_namesTheVariable() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> config("FLEETWIRE_PORT", "eighty"));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("FLEETWIRE_PORT=eighty");
    }

    @Test
    void fromEnv_whenPortIsOutOfRange_namesTheVariable() {
        assertThatThrownBy(() -> config("FLEETWIRE_PORT", "70000"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("FLEETWIRE_PORT")
                .hasMessageContaining("between 0 and 65535");
    }

    @Test
    void fromEnv_whenPortIsNegative_namesTheVariable() {
        assertThatThrownBy(() -> config("FLEETWIRE_PORT", "-1"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("FLEETWIRE_PORT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "short", "0123456789abcde", " 0123456789abcde "})
    void fromEnv_whenAdminTokenIsShorterThan16Characters_namesTheVariableButNotTheToken(String token) {
        assertThatThrownBy(() -> config("FLEETWIRE_ADMIN_TOKEN", token))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("FLEETWIRE_ADMIN_TOKEN")
                .hasMessageContaining("16")
                .hasMessageNotContaining("=" + token.trim());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "deflate", "true", "yes", "no-context", "on-off"})
    void fromEnv_whenCompressionIsUnknown_namesTheVariableAndTheAllowedValues(String value) {
        assertThatThrownBy(() -> config("FLEETWIRE_WS_COMPRESSION", value))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("FLEETWIRE_WS_COMPRESSION")
                .hasMessageContaining(value)
                .hasMessageContaining("off, no-context-takeover, on");
    }

    // ---- derived values ----------------------------------------------------------------------

    @Test
    void presenceTimeout_byDefault_isThirtySecondsTimesThree() {
        assertThat(HubConfig.fromEnv(Map.of()).presenceTimeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void presenceTimeout_isHeartbeatTimesMissedHeartbeats() {
        HubConfig c = config("FLEETWIRE_HEARTBEAT_SECONDS", "7", "FLEETWIRE_MISSED_HEARTBEATS", "5");

        assertThat(c.presenceTimeout()).isEqualTo(Duration.ofSeconds(35));
        assertThat(c.presenceTimeout()).isEqualTo(c.heartbeat().multipliedBy(c.missedHeartbeats()));
    }

    @Test
    void presenceTimeout_atTheLargestSettings_doesNotOverflow() {
        HubConfig c = config("FLEETWIRE_HEARTBEAT_SECONDS", "3600", "FLEETWIRE_MISSED_HEARTBEATS", "100");

        assertThat(c.presenceTimeout()).isEqualTo(Duration.ofHours(100));
    }

    @Test
    void intSettingsTable_coversEveryIntegerConfigKey() {
        // Guards this test class: a new integer ConfigKey must be added to INT_SETTINGS above.
        assertThat(intSettings().map(IntSetting::key))
                .containsExactlyInAnyOrder(Arrays.stream(ConfigKey.values())
                        .filter(k -> k.defaultValue().matches("\\d+"))
                        .toArray(ConfigKey[]::new));
    }
}
