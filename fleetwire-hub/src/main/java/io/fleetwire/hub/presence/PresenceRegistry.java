package io.fleetwire.hub.presence;

import io.fleetwire.hub.db.BatchWriter;
import io.fleetwire.hub.device.DeviceRepository;
import io.fleetwire.hub.event.DeviceEventKind;
import io.fleetwire.hub.event.EventLog;
import io.fleetwire.hub.ops.HubMetrics;
import io.fleetwire.protocol.CloseCode;
import io.fleetwire.protocol.DeviceId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which devices are connected to this hub, one session each. A device is online from its socket's
 * upgrade until the socket ends (closed by either side, replaced, or silent for the presence timeout);
 * each transition is written to {@code devices.online} and recorded as an event by the
 * {@link PresenceWriter}, batched with other devices' transitions. A device's transitions are queued
 * in the order its sessions change here (under the map's lock for that device), so what is stored
 * after a storm settles is what this registry holds.
 */
public final class PresenceRegistry {

    private static final Logger log = LoggerFactory.getLogger(PresenceRegistry.class);

    /**
     * Which of these just-connected devices have commands that may be sent now; read inside the
     * presence transaction, so a command committed after it finds the device online here.
     */
    @FunctionalInterface
    public interface CommandCheck {
        Future<Set<DeviceId>> sendable(SqlClient tx, List<DeviceId> devices);
    }

    private final Map<DeviceId, Session> sessions = new ConcurrentHashMap<>();
    private final Pool pool;
    private final DeviceRepository devices;
    private final EventLog events;
    private final PresenceWriter writer;
    private final HubMetrics metrics;

    public PresenceRegistry(Vertx vertx, Pool pool, DeviceRepository devices, EventLog events, HubMetrics metrics,
                            BatchWriter.Config batches) {
        this.pool = pool;
        this.devices = devices;
        this.events = events;
        this.metrics = metrics;
        this.writer = new PresenceWriter(vertx, pool, devices, events, batches);
        metrics.gauge("fleetwire_presence_queue_depth", "Presence changes (connects, disconnects, hellos) waiting for commit",
                writer::depth);
        metrics.describe("fleetwire_presence_dropped_total", "Presence changes not stored because the presence queue was full, by change");
    }

    /** Set once by the command feature at wiring; until then every connect counts as having commands. */
    public void checkCommandsOnConnect(CommandCheck check) {
        writer.checkCommandsWith(check);
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

    /**
     * Registers a new session; an older session of the same device is closed as replaced. The future
     * completes once the connect is stored: true when the device has commands that may be sent now.
     * It fails with {@link BatchWriter.Full} when the presence queue is full.
     */
    public Future<Boolean> connected(Session session, String remoteAddress) {
        DeviceId id = session.deviceId();
        Session[] previous = new Session[1];
        @SuppressWarnings("unchecked")
        Future<Boolean>[] stored = new Future[1];
        sessions.compute(id, (k, prev) -> {
            previous[0] = prev;
            if (prev != null && prev != session) {
                dropped(writer.submit(new PresenceWriter.Replaced(id, remoteAddress)), "replaced");
            }
            stored[0] = writer.submit(new PresenceWriter.Online(id, Instant.now(), remoteAddress));
            return session;
        });
        if (previous[0] != null && previous[0] != session) {
            previous[0].close(CloseCode.REPLACED);
        }
        return dropped(stored[0], "online");
    }

    /** A session ended. Only the device's current session makes it offline. */
    public Future<Void> disconnected(Session session, int code, String reason) {
        @SuppressWarnings("unchecked")
        Future<Boolean>[] stored = new Future[1];
        sessions.computeIfPresent(session.deviceId(), (k, current) -> {
            if (current != session) {
                return current;
            }
            stored[0] = writer.submit(new PresenceWriter.Offline(k, session.lastSeen(), code, reason));
            return null;
        });
        return stored[0] == null ? Future.succeededFuture() : dropped(stored[0], "offline").mapEmpty();
    }

    /** What the agent said in its hello, stored with the next batch (its row only if something changed). */
    public Future<Void> hello(DeviceRepository.AgentInfo agent) {
        return dropped(writer.submit(new PresenceWriter.Hello(agent)), "hello").mapEmpty();
    }

    /** Completes once every change queued so far is stored (or failed). */
    public Future<Void> drain() {
        return writer.drain();
    }

    private <T> Future<T> dropped(Future<T> stored, String change) {
        return stored.onFailure(e -> {
            if (e instanceof BatchWriter.Full) {
                log.error("Presence queue full: a device's {} change was not stored", change);
                metrics.increment("fleetwire_presence_dropped_total", "change=\"" + change + "\"");
            }
        });
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
