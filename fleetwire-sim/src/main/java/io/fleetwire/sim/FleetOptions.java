package io.fleetwire.sim;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of a {@link Fleet}; immutable and validated on creation. Build with {@link #builder(URI, List)}:
 *
 * <pre>{@code
 * FleetOptions options = FleetOptions.builder(URI.create("http://127.0.0.1:8080"), devices)
 *         .connectRate(2_000).deflate(true).build();
 * }</pre>
 *
 * @param hub               the hub's base URL: {@code http://}, {@code https://}, {@code ws://} or {@code wss://}
 *                          (the socket path {@code /ws/agent} is appended)
 * @param devices           the devices to simulate (ids unique), see {@link SimDevices}
 * @param connectRate       most connection attempts per second, for the whole fleet, first connects and
 *                          reconnects alike (default 500; 1 … 1,000,000)
 * @param telemetryInterval telemetry interval; {@code null} (the default) uses the hub's
 *                          {@code telemetryIntervalSeconds} from its {@code welcome}, as a real agent does
 * @param deflate           offer permessage-deflate in the upgrade (default false); the hub accepts it only
 *                          when {@code FLEETWIRE_WS_COMPRESSION} is {@code on} or {@code no-context-takeover}
 * @param eventLoops        Netty event loops shared by all sockets (default 2; 1 … 64)
 * @param backoffBase       reconnect delay base (default 1 s): after a failure the n-th attempt waits a random
 *                          time in {@code [0, min(backoffMax, base·2^n))}; after a close 1001 (hub going away)
 *                          or {@link Fleet#dropAll()}, a random time in {@code [0, base)}
 * @param backoffMax        reconnect delay ceiling (default 30 s; at least {@code backoffBase})
 * @param commandRunTime    how long a simulated command "runs" between its receipt being stored and its
 *                          result being sent (default 0: at once; at most 1 hour)
 * @param maxUnacked        messages a device keeps waiting for their ack (default 1,000); past it the oldest
 *                          telemetry is dropped and counted in {@link FleetStats#telemetryDropped()}
 * @param seed              seed of the telemetry generators (device n uses {@code seed + n}), for repeatable runs
 * @param inFlightLimit     0 (the default): a device samples at every tick, as an agent does. Otherwise a device
 *                          whose telemetry waiting for acks reaches this many skips the tick (no message is made):
 *                          with a short interval this is a closed loop that offers the hub as much as it commits,
 *                          the way to find its ceiling without dropping anything (0 … 1,000,000)
 */
public record FleetOptions(URI hub, List<SimDevice> devices, int connectRate, Duration telemetryInterval,
                           boolean deflate, int eventLoops, Duration backoffBase, Duration backoffMax,
                           Duration commandRunTime, int maxUnacked, long seed, int inFlightLimit) {

    public FleetOptions {
        Objects.requireNonNull(hub, "hub");
        String scheme = hub.getScheme() == null ? "" : hub.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!Set.of("http", "https", "ws", "wss").contains(scheme) || hub.getHost() == null) {
            throw new IllegalArgumentException("hub must be an http(s):// or ws(s):// URL with a host: " + hub);
        }
        devices = List.copyOf(devices);
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("no devices to simulate");
        }
        Set<String> ids = new HashSet<>();
        for (SimDevice d : devices) {
            if (!ids.add(d.id())) {
                throw new IllegalArgumentException("device " + d.id() + " is listed twice");
            }
        }
        range("connectRate", connectRate, 1, 1_000_000);
        range("eventLoops", eventLoops, 1, 64);
        range("maxUnacked", maxUnacked, 1, 1_000_000);
        range("inFlightLimit", inFlightLimit, 0, 1_000_000);
        if (telemetryInterval != null && (telemetryInterval.toMillis() < 10 || telemetryInterval.toHours() > 24)) {
            throw new IllegalArgumentException("telemetryInterval must be 10 ms … 24 h: " + telemetryInterval);
        }
        Objects.requireNonNull(backoffBase, "backoffBase");
        Objects.requireNonNull(backoffMax, "backoffMax");
        if (backoffBase.toMillis() < 1 || backoffMax.compareTo(backoffBase) < 0 || backoffMax.toHours() > 24) {
            throw new IllegalArgumentException("need 1 ms <= backoffBase <= backoffMax <= 24 h: " + backoffBase + ", " + backoffMax);
        }
        Objects.requireNonNull(commandRunTime, "commandRunTime");
        if (commandRunTime.isNegative() || commandRunTime.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("commandRunTime must be 0 … 1 h: " + commandRunTime);
        }
    }

    private static void range(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + " … " + max + ": " + value);
        }
    }

    /** Defaults for everything but the hub and the devices. */
    public static Builder builder(URI hub, List<SimDevice> devices) {
        return new Builder(hub, devices);
    }

    /** A copy with other devices (e.g. a subset), everything else the same. */
    public FleetOptions withDevices(List<SimDevice> other) {
        return new FleetOptions(hub, other, connectRate, telemetryInterval, deflate, eventLoops, backoffBase,
                backoffMax, commandRunTime, maxUnacked, seed, inFlightLimit);
    }

    /** Builder of {@link FleetOptions}; every setter documents its default on the record. */
    public static final class Builder {
        private final URI hub;
        private final List<SimDevice> devices;
        private int connectRate = 500;
        private Duration telemetryInterval;
        private boolean deflate;
        private int eventLoops = 2;
        private Duration backoffBase = Duration.ofSeconds(1);
        private Duration backoffMax = Duration.ofSeconds(30);
        private Duration commandRunTime = Duration.ZERO;
        private int maxUnacked = 1_000;
        private long seed = 1;
        private int inFlightLimit;

        private Builder(URI hub, List<SimDevice> devices) {
            this.hub = hub;
            this.devices = devices;
        }

        public Builder connectRate(int perSecond) {
            this.connectRate = perSecond;
            return this;
        }

        /** {@code null} = the hub's interval. */
        public Builder telemetryInterval(Duration interval) {
            this.telemetryInterval = interval;
            return this;
        }

        public Builder deflate(boolean on) {
            this.deflate = on;
            return this;
        }

        public Builder eventLoops(int n) {
            this.eventLoops = n;
            return this;
        }

        public Builder backoff(Duration base, Duration max) {
            this.backoffBase = base;
            this.backoffMax = max;
            return this;
        }

        public Builder commandRunTime(Duration runTime) {
            this.commandRunTime = runTime;
            return this;
        }

        public Builder maxUnacked(int n) {
            this.maxUnacked = n;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder inFlightLimit(int n) {
            this.inFlightLimit = n;
            return this;
        }

        public FleetOptions build() {
            return new FleetOptions(hub, devices, connectRate, telemetryInterval, deflate, eventLoops, backoffBase,
                    backoffMax, commandRunTime, maxUnacked, seed, inFlightLimit);
        }
    }
}
