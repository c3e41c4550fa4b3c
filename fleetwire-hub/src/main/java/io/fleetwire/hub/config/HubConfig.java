package io.fleetwire.hub.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The hub's whole configuration, immutable and validated. Keys and defaults: {@link ConfigKey}. */
public record HubConfig(
        int port,
        String host,
        Path dataDir,
        Optional<String> dbUrl,
        int dbPoolSize,
        Optional<String> adminToken,
        Duration heartbeat,
        int missedHeartbeats,
        Duration telemetryInterval,
        int maxMessageBytes,
        int deviceRate,
        int deviceBurst,
        Compression compression,
        int telemetryQueue,
        int telemetryBatch,
        Duration latestStateEvery,
        int retentionDays,
        Duration commandAckTimeout,
        Duration commandResultTimeout,
        int commandTtlSeconds,
        Duration shutdownGrace) {

    /** Longest command TTL a request may ask for: 30 days. */
    public static final int MAX_COMMAND_TTL_SECONDS = 30 * 86_400;

    /** permessage-deflate policy for device sockets. */
    public enum Compression { OFF, NO_CONTEXT_TAKEOVER, ON }

    /** Configuration from the process environment. */
    public static HubConfig fromEnvironment() {
        return fromEnv(System.getenv());
    }

    /** Configuration from the given variables; missing ones take their defaults. */
    public static HubConfig fromEnv(Map<String, String> env) {
        Reader r = new Reader(env);
        return new HubConfig(
                r.integer(ConfigKey.PORT, 0, 65_535),
                r.text(ConfigKey.HOST).orElse("0.0.0.0"),
                Path.of(r.text(ConfigKey.DATA_DIR).orElse("./fleetwire-data")),
                r.text(ConfigKey.DB_URL),
                r.integer(ConfigKey.DB_POOL_SIZE, 1, 200),
                r.text(ConfigKey.ADMIN_TOKEN).map(t -> {
                    if (t.length() < 16) {
                        throw new ConfigException(ConfigKey.ADMIN_TOKEN.env() + " must be at least 16 characters");
                    }
                    return t;
                }),
                Duration.ofSeconds(r.integer(ConfigKey.HEARTBEAT_SECONDS, 1, 3_600)),
                r.integer(ConfigKey.MISSED_HEARTBEATS, 1, 100),
                Duration.ofSeconds(r.integer(ConfigKey.TELEMETRY_INTERVAL_SECONDS, 1, 86_400)),
                r.integer(ConfigKey.MAX_MESSAGE_BYTES, 1_024, 16 << 20),
                r.integer(ConfigKey.DEVICE_RATE, 1, 100_000),
                r.integer(ConfigKey.DEVICE_BURST, 1, 1_000_000),
                r.compression(),
                r.integer(ConfigKey.TELEMETRY_QUEUE, 1, 10_000_000),
                r.integer(ConfigKey.TELEMETRY_BATCH, 1, 100_000),
                Duration.ofSeconds(r.integer(ConfigKey.LATEST_STATE_SECONDS, 0, 86_400)),
                r.integer(ConfigKey.TELEMETRY_RETENTION_DAYS, 1, 36_500),
                Duration.ofSeconds(r.integer(ConfigKey.COMMAND_ACK_TIMEOUT_SECONDS, 1, 3_600)),
                Duration.ofSeconds(r.integer(ConfigKey.COMMAND_RESULT_TIMEOUT_SECONDS, 1, 30 * 86_400)),
                r.integer(ConfigKey.COMMAND_TTL_SECONDS, 1, MAX_COMMAND_TTL_SECONDS),
                Duration.ofSeconds(r.integer(ConfigKey.SHUTDOWN_GRACE_SECONDS, 0, 3_600)));
    }

    /** Defaults, overridden by the given variables; handy in tests. */
    public static HubConfig withOverrides(Map<ConfigKey, String> overrides) {
        Map<String, String> env = new HashMap<>();
        overrides.forEach((k, v) -> env.put(k.env(), v));
        return fromEnv(env);
    }

    /** Silence after which a device counts as gone. */
    public Duration presenceTimeout() {
        return heartbeat.multipliedBy(missedHeartbeats);
    }

    private record Reader(Map<String, String> env) {

        Optional<String> text(ConfigKey key) {
            String v = env.get(key.env());
            if (v == null || v.isBlank()) {
                v = key.defaultValue();
            }
            return v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }

        int integer(ConfigKey key, int min, int max) {
            String v = text(key).orElseThrow();
            try {
                int value = Integer.parseInt(v);
                if (value < min || value > max) {
                    throw new NumberFormatException();
                }
                return value;
            } catch (NumberFormatException e) {
                throw new ConfigException(key.env() + "=" + v + " is not an integer between " + min + " and " + max);
            }
        }

        Compression compression() {
            String v = text(ConfigKey.WS_COMPRESSION).orElseThrow();
            try {
                return Compression.valueOf(v.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(ConfigKey.WS_COMPRESSION.env() + "=" + v
                        + " must be one of off, no-context-takeover, on");
            }
        }
    }
}
