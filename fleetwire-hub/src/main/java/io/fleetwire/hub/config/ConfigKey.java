package io.fleetwire.hub.config;

/**
 * Every setting the hub reads, listed once: environment variable, default and meaning. The README's
 * configuration table is checked against this list by a test.
 */
public enum ConfigKey {
    PORT("FLEETWIRE_PORT", "8080", "HTTP and WebSocket port (0 picks a free port)."),
    HOST("FLEETWIRE_HOST", "0.0.0.0", "Address to listen on."),
    DATA_DIR("FLEETWIRE_DATA_DIR", "./fleetwire-data",
            "Data directory: embedded PostgreSQL files and the admin token's hash."),
    DB_URL("FLEETWIRE_DB_URL", "",
            "External PostgreSQL, e.g. `postgresql://user:pass@host:5432/db`; unset = embedded PostgreSQL."),
    DB_POOL_SIZE("FLEETWIRE_DB_POOL_SIZE", "8", "Connections in the reactive PostgreSQL pool."),
    ADMIN_TOKEN("FLEETWIRE_ADMIN_TOKEN", "",
            "Admin API token; unset = generated on first start, printed once, its hash kept in the data directory."),
    HEARTBEAT_SECONDS("FLEETWIRE_HEARTBEAT_SECONDS", "30", "Heartbeat interval given to devices."),
    MISSED_HEARTBEATS("FLEETWIRE_MISSED_HEARTBEATS", "3",
            "Heartbeat intervals without a frame after which a device is offline and its socket closed."),
    TELEMETRY_INTERVAL_SECONDS("FLEETWIRE_TELEMETRY_INTERVAL_SECONDS", "3", "Telemetry interval given to devices."),
    MAX_MESSAGE_BYTES("FLEETWIRE_MAX_MESSAGE_BYTES", "262144",
            "Largest device message; a larger one closes the socket with 1009."),
    DEVICE_RATE("FLEETWIRE_DEVICE_RATE", "20", "Messages per second a device may send, sustained."),
    DEVICE_BURST("FLEETWIRE_DEVICE_BURST", "100",
            "Messages a device may send above its rate before they are refused; twice this over closes with 1008."),
    WS_COMPRESSION("FLEETWIRE_WS_COMPRESSION", "off",
            "permessage-deflate on device sockets: `off`, `no-context-takeover` or `on`. `on` cuts seed 003 telemetry at 3 s from ~918 to ~63 B/s per device, for ~180 KB more hub RSS per deflating socket (docs/benchmarks.md)."),
    TELEMETRY_QUEUE("FLEETWIRE_TELEMETRY_QUEUE", "20000",
            "Telemetry messages waiting for commit; when full, new ones get an `overloaded` error frame."),
    TELEMETRY_BATCH("FLEETWIRE_TELEMETRY_BATCH", "500", "Most telemetry messages written in one transaction."),
    LATEST_STATE_SECONDS("FLEETWIRE_LATEST_STATE_SECONDS", "10",
            "Most often a device's newest full sample (`latest.state`) is rewritten, per device; 0 = with every message. `latest.metrics` is always the newest committed sample."),
    TELEMETRY_RETENTION_DAYS("FLEETWIRE_TELEMETRY_RETENTION_DAYS", "30",
            "Days of telemetry kept; older daily partitions are dropped."),
    COMMAND_ACK_TIMEOUT_SECONDS("FLEETWIRE_COMMAND_ACK_TIMEOUT_SECONDS", "10",
            "A sent command not acknowledged within this time is sent again, with the same id."),
    COMMAND_RESULT_TIMEOUT_SECONDS("FLEETWIRE_COMMAND_RESULT_TIMEOUT_SECONDS", "3600",
            "A delivered command with no result from its device after this long is failed by the hub."),
    COMMAND_TTL_SECONDS("FLEETWIRE_COMMAND_TTL_SECONDS", "86400",
            "Default time a command may wait for delivery before it expires (a request's `ttlSeconds` overrides it)."),
    SHUTDOWN_GRACE_SECONDS("FLEETWIRE_SHUTDOWN_GRACE_SECONDS", "10",
            "Time allowed on SIGTERM to flush telemetry and close sockets.");

    private final String env;
    private final String defaultValue;
    private final String description;

    ConfigKey(String env, String defaultValue, String description) {
        this.env = env;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String env() {
        return env;
    }

    /** Default as text; empty means unset. */
    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }
}
