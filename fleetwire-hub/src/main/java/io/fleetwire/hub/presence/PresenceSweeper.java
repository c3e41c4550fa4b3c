package io.fleetwire.hub.presence;

import io.fleetwire.hub.device.DeviceRepository;
import io.fleetwire.protocol.CloseCode;
import io.fleetwire.protocol.DeviceId;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every heartbeat interval: pings sessions that have been quiet for an interval, closes those
 * silent for the presence timeout (interval × missed heartbeats), and writes last-seen times.
 */
public final class PresenceSweeper {

    private static final Logger log = LoggerFactory.getLogger(PresenceSweeper.class);

    private final Vertx vertx;
    private final PresenceRegistry registry;
    private final DeviceRepository devices;
    private final Duration heartbeat;
    private final Duration timeout;
    private long timerId = -1;

    public PresenceSweeper(Vertx vertx, PresenceRegistry registry, DeviceRepository devices, Duration heartbeat,
                           Duration timeout) {
        this.vertx = vertx;
        this.registry = registry;
        this.devices = devices;
        this.heartbeat = heartbeat;
        this.timeout = timeout;
    }

    public void start() {
        long period = Math.max(200, heartbeat.toMillis() / 2);
        timerId = vertx.setPeriodic(period, id -> sweep(Instant.now()));
    }

    public void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    void sweep(Instant now) {
        List<DeviceId> ids = new ArrayList<>();
        List<Instant> seen = new ArrayList<>();
        for (Session s : registry.sessions()) {
            Duration quiet = Duration.between(s.lastSeen(), now);
            if (quiet.compareTo(timeout) > 0) {
                log.info("Device {} silent for {} ms; closing its socket", s.deviceId(), quiet.toMillis());
                s.close(CloseCode.HEARTBEAT_TIMEOUT);
            } else {
                if (quiet.compareTo(heartbeat) >= 0) {
                    s.ping();
                }
                ids.add(s.deviceId());
                seen.add(s.lastSeen());
            }
        }
        devices.touch(ids, seen).onFailure(e -> log.warn("Could not write last-seen times: {}", e.getMessage()));
    }
}
