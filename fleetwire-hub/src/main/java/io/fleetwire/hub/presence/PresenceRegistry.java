package io.fleetwire.hub.presence;

import io.fleetwire.hub.device.DeviceRepository;
import io.fleetwire.hub.event.DeviceEventKind;
import io.fleetwire.hub.event.EventLog;
import io.fleetwire.protocol.CloseCode;
import io.fleetwire.protocol.DeviceId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which devices are connected to this hub, one session each. A device is online from its socket's
 * upgrade until the socket ends (closed by either side, replaced, or silent for the presence timeout);
 * each transition is written to {@code devices.online} and recorded as an event.
 */
public final class PresenceRegistry {

    private final Map<DeviceId, Session> sessions = new ConcurrentHashMap<>();
    private final Pool pool;
    private final DeviceRepository devices;
    private final EventLog events;

    public PresenceRegistry(Pool pool, DeviceRepository devices, EventLog events) {
        this.pool = pool;
        this.devices = devices;
        this.events = events;
    }

    /** At start: no socket outlives a hub, so every device marked online is offline now. */
    public Future<Integer> resetAfterRestart() {
        return pool.withTransaction(tx -> devices.markAllOffline(tx).compose(ids -> {
            Future<Void> chain = Future.succeededFuture();
            for (DeviceId id : ids) {
                chain = chain.compose(v -> events.record(tx, id, DeviceEventKind.DISCONNECTED,
                        new JsonObject().put("reason", "hub restarted")));
            }
            return chain.map(ids.size());
        }));
    }

    /** Registers a new session; an older session of the same device is closed as replaced. */
    public Future<Void> connected(Session session, String remoteAddress) {
        Session previous = sessions.put(session.deviceId(), session);
        if (previous != null && previous != session) {
            previous.close(CloseCode.REPLACED);
            events.record(session.deviceId(), DeviceEventKind.REPLACED, new JsonObject().put("remote", remoteAddress));
        }
        return pool.withTransaction(tx -> devices.setPresence(tx, session.deviceId(), true, Instant.now())
                .compose(v -> events.record(tx, session.deviceId(), DeviceEventKind.CONNECTED,
                        new JsonObject().put("remote", remoteAddress))));
    }

    /** A session ended. Only the device's current session makes it offline. */
    public Future<Void> disconnected(Session session, int code, String reason) {
        if (!sessions.remove(session.deviceId(), session)) {
            return Future.succeededFuture();
        }
        return pool.withTransaction(tx -> devices.setPresence(tx, session.deviceId(), false, session.lastSeen())
                .compose(v -> events.record(tx, session.deviceId(), DeviceEventKind.DISCONNECTED,
                        new JsonObject().put("code", code).put("reason", reason))));
    }

    public Optional<Session> session(DeviceId id) {
        return Optional.ofNullable(sessions.get(id));
    }

    public boolean isOnline(DeviceId id) {
        return sessions.containsKey(id);
    }

    public Collection<Session> sessions() {
        return sessions.values();
    }

    public int count() {
        return sessions.size();
    }

    /** Closes the device's socket, if it has one, with the given code. */
    public void disconnect(DeviceId id, CloseCode code) {
        Session s = sessions.get(id);
        if (s != null) {
            s.close(code);
        }
    }
}
