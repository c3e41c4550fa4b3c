package io.fleetwire.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every message of device protocol v1. One JSON object per WebSocket text frame, discriminated by
 * its {@code type} field; {@link MessageCodec} is the only code that looks at that field.
 * See docs/protocol.md for the wire form and an example of each.
 */
public sealed interface Message {

    /** Protocol version spoken by this module. */
    int PROTOCOL_VERSION = 1;

    /** Wire name of this message's type. */
    String type();

    /** Agent → hub, usually first after the hub's welcome (optional): who is talking and what it can do. */
    record Hello(int protocol, String agentName, String agentVersion, ObjectNode capabilities) implements Message {
        public Hello {
            Objects.requireNonNull(agentName, "agentName");
            Objects.requireNonNull(agentVersion, "agentVersion");
            Objects.requireNonNull(capabilities, "capabilities");
        }

        @Override
        public String type() {
            return "hello";
        }
    }

    /** Hub → agent, answer to the upgrade (sent at once) and to every hello. */
    record Welcome(int protocol, DeviceId deviceId, Instant serverTime, Settings settings) implements Message {
        public Welcome {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(serverTime, "serverTime");
            Objects.requireNonNull(settings, "settings");
        }

        @Override
        public String type() {
            return "welcome";
        }
    }

    /** Either direction. The receiver answers with a {@link Pong} echoing {@code ts}. */
    record Ping(Long ts) implements Message {
        @Override
        public String type() {
            return "ping";
        }
    }

    /** Either direction, the answer to a {@link Ping}. */
    record Pong(Long ts) implements Message {
        @Override
        public String type() {
            return "pong";
        }
    }

    /**
     * Agent → hub: one or more samples under a per-device sequence number. The hub answers with an
     * {@link Ack} of the same {@code seq} once every sample is committed, or an {@link Error} naming
     * the seq. Re-sending a seq is safe: it is acknowledged again and stored once.
     */
    record Telemetry(long seq, List<Sample> samples) implements Message {
        public Telemetry {
            samples = List.copyOf(samples);
        }

        @Override
        public String type() {
            return "telemetry";
        }
    }

    /**
     * Agent → hub, seed 003's message accepted verbatim:
     * {@code {"type":"data","data":{"agentId":..,"timestamp":..,"sensors":[..],"fans":[..],"systemHealth":{..}}}}.
     * It has no sequence number, so it is stored but never acknowledged.
     */
    record LegacyData(String agentId, Sample sample) implements Message {
        public LegacyData {
            Objects.requireNonNull(sample, "sample");
        }

        @Override
        public String type() {
            return "data";
        }
    }

    /** Hub → agent: every sample of telemetry {@code seq} is committed to the database. */
    record Ack(long seq) implements Message {
        @Override
        public String type() {
            return "ack";
        }
    }

    /**
     * Either direction: a message was refused. {@code refType} and {@code refSeq} name the offending
     * message when they could be read. Unless {@link ErrorCode#retryable()}, re-sending it is futile.
     */
    record Error(ErrorCode code, String message, String refType, Long refSeq) implements Message {
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String type() {
            return "error";
        }
    }

    /**
     * Hub → agent: run command {@code id}. Sent again with the same id and a higher {@code attempt}
     * until the agent acknowledges it with a {@link CommandAck}; the agent runs each id at most once,
     * and not at all once {@code expiresAt} (hub time) has passed.
     */
    record Command(CommandId id, String name, ObjectNode params, Instant expiresAt, int attempt) implements Message {
        public Command {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(params, "params");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        @Override
        public String type() {
            return "command";
        }
    }

    /**
     * Hub → agent: do not start command {@code id}. Sent when an operator (or a job's abort rule)
     * cancels a command that was already sent, and in answer to a receipt for a command that was
     * cancelled or expired meanwhile.
     */
    record CommandCancel(CommandId id) implements Message {
        public CommandCancel {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public String type() {
            return "command_cancel";
        }
    }

    /**
     * Agent → hub: command {@code id} was received (it is now delivered). With a {@code seq}, the hub
     * answers with an {@link Ack} of that seq once the receipt is stored.
     */
    record CommandAck(Long seq, CommandId id) implements Message {
        public CommandAck {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public String type() {
            return "command_ack";
        }
    }

    /**
     * Agent → hub: command {@code id} finished, {@code succeeded} or {@code failed}, with the
     * handler's output (any JSON, may be null) and, when it failed, why. With a {@code seq}, the hub
     * answers with an {@link Ack} of that seq once the result is stored; a result sent twice is stored once.
     */
    record CommandResult(Long seq, CommandId id, CommandStatus status, com.fasterxml.jackson.databind.JsonNode output,
                         String error) implements Message {
        public CommandResult {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(status, "status");
            if (status != CommandStatus.SUCCEEDED && status != CommandStatus.FAILED) {
                throw new IllegalArgumentException("a result is succeeded or failed, not " + status.wireName());
            }
        }

        @Override
        public String type() {
            return "command_result";
        }
    }

    /**
     * Hub → agent: the device's settings changed (fleet-wide or for this device). The agent applies
     * them at once and answers with a {@link ConfigApplied} of their version.
     */
    record Config(Settings settings) implements Message {
        public Config {
            Objects.requireNonNull(settings, "settings");
        }

        @Override
        public String type() {
            return "config";
        }
    }

    /**
     * Agent → hub: the settings of {@code version} are in effect on the device (after every
     * {@link Welcome} and {@link Config}). With a {@code seq}, the hub answers with an {@link Ack} of
     * that seq once it is stored; a version older than the device's current one makes the hub send
     * a {@link Config} again.
     */
    record ConfigApplied(Long seq, long version) implements Message {
        @Override
        public String type() {
            return "config_applied";
        }
    }

    /**
     * Settings the hub gives a device; the device keeps no intervals or thresholds of its own (seed 003).
     * The first four and {@code maxMessageBytes} come from the hub's environment; the others can be set
     * per fleet and per device ({@code PATCH /api/v1/config}, {@code PATCH /api/v1/devices/{id}/config}).
     */
    record Settings(long version, int heartbeatSeconds, int missedHeartbeats, int telemetryIntervalSeconds,
                    int maxMessageBytes, int pollIntervalSeconds, long queueBudgetBytes) {

        /** Fallback polling interval when a hub does not say (seed 000: 5 minutes). */
        public static final int DEFAULT_POLL_INTERVAL_SECONDS = 300;
        /** Disk budget of the agent's outgoing queue when a hub does not say. */
        public static final long DEFAULT_QUEUE_BUDGET_BYTES = 64L << 20;

        /** Settings from a hub that names only the connection settings: the rest take their defaults. */
        public Settings(long version, int heartbeatSeconds, int missedHeartbeats, int telemetryIntervalSeconds,
                        int maxMessageBytes) {
            this(version, heartbeatSeconds, missedHeartbeats, telemetryIntervalSeconds, maxMessageBytes,
                    DEFAULT_POLL_INTERVAL_SECONDS, DEFAULT_QUEUE_BUDGET_BYTES);
        }
    }

    /** One point in time of a device's state. */
    record Sample(Instant ts, Map<String, Double> metrics, List<Sensor> sensors, List<Fan> fans,
                  Map<String, Double> systemHealth, ObjectNode details) {
        public Sample {
            Objects.requireNonNull(ts, "ts");
            metrics = Map.copyOf(metrics);
            sensors = List.copyOf(sensors);
            fans = List.copyOf(fans);
            systemHealth = Map.copyOf(systemHealth);
            Objects.requireNonNull(details, "details");
        }
    }

    /** A temperature sensor reading (seed 003). Null fields were absent. */
    record Sensor(String id, String type, String name, Double temperature, Double maxTemp, Double critTemp) {
        public Sensor {
            Objects.requireNonNull(id, "id");
        }
    }

    /** A fan reading (seed 003). Null fields were absent. */
    record Fan(String id, String name, Double speed, Double rpm, Double targetSpeed, String status) {
        public Fan {
            Objects.requireNonNull(id, "id");
        }
    }
}
