package io.fleetwire.hub.settings;

import io.fleetwire.hub.api.ApiException;
import io.fleetwire.protocol.Message;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The device settings an operator may override, fleet-wide or per device, with their bounds. The
 * other fields of {@link Message.Settings} are the hub's own (its presence checks and frame limit
 * depend on them) and come only from its environment.
 */
public enum SettingKey {

    /** How often the agent samples and sends telemetry. */
    TELEMETRY_INTERVAL_SECONDS("telemetryIntervalSeconds", 1, 86_400),
    /** How often the agent polls over HTTP while its socket cannot be opened (seed 000: 5 min). */
    POLL_INTERVAL_SECONDS("pollIntervalSeconds", 10, 86_400),
    /** Disk budget of the agent's outgoing queue; past it the oldest telemetry is dropped. */
    QUEUE_BUDGET_BYTES("queueBudgetBytes", 1L << 20, 4L << 30);

    /** Fields of the settings that are the hub's, with the environment variable that sets each. */
    static final Map<String, String> HUB_OWNED = Map.of(
            "heartbeatSeconds", "FLEETWIRE_HEARTBEAT_SECONDS",
            "missedHeartbeats", "FLEETWIRE_MISSED_HEARTBEATS",
            "maxMessageBytes", "FLEETWIRE_MAX_MESSAGE_BYTES");

    private final String field;
    private final long min;
    private final long max;

    SettingKey(String field, long min, long max) {
        this.field = field;
        this.min = min;
        this.max = max;
    }

    /** The JSON field name, as in {@code welcome}'s settings. */
    public String field() {
        return field;
    }

    public static Optional<SettingKey> byField(String field) {
        return Arrays.stream(values()).filter(k -> k.field.equals(field)).findFirst();
    }

    /** The value, checked: a whole number in bounds, or a {@link ApiException.BadRequest} naming the field. */
    long check(Object value) {
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                || value instanceof Double d && d.isInfinite()) {
            throw new ApiException.BadRequest("'" + field + "' must be a whole number (or null to remove the override)");
        }
        long v = n.longValue();
        if (v < min || v > max) {
            throw new ApiException.BadRequest("'" + field + "' must be between " + min + " and " + max + ", not " + v);
        }
        return v;
    }

    /** The value of this key in the given settings. */
    long valueIn(Message.Settings s) {
        return switch (this) {
            case TELEMETRY_INTERVAL_SECONDS -> s.telemetryIntervalSeconds();
            case POLL_INTERVAL_SECONDS -> s.pollIntervalSeconds();
            case QUEUE_BUDGET_BYTES -> s.queueBudgetBytes();
        };
    }

    /** Checks every field of a merge patch; null values remove an override. Sorted by field name. */
    static Map<SettingKey, Long> parsePatch(io.vertx.core.json.JsonObject body) {
        if (body.isEmpty()) {
            throw new ApiException.BadRequest("name at least one setting to change, e.g. {\"telemetryIntervalSeconds\": 10}");
        }
        Map<SettingKey, Long> out = new TreeMap<>();
        for (String field : body.fieldNames()) {
            if (field.equals("version")) {
                throw new ApiException.BadRequest("'version' is given by the hub on every change; it cannot be set");
            }
            if (HUB_OWNED.containsKey(field)) {
                throw new ApiException.BadRequest("'" + field + "' is the hub's own setting (" + HUB_OWNED.get(field)
                        + ") and cannot be overridden per fleet or device");
            }
            SettingKey key = byField(field).orElseThrow(() -> new ApiException.BadRequest("unknown setting '" + field
                    + "'; the settings are " + Arrays.stream(values()).map(SettingKey::field).toList()));
            Object value = body.getValue(field);
            out.put(key, value == null ? null : key.check(value));
        }
        return out;
    }
}
