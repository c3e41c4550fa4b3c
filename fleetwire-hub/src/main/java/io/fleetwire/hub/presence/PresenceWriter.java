package io.fleetwire.hub.presence;

import io.fleetwire.hub.db.BatchWriter;
import io.fleetwire.hub.device.DeviceRepository;
import io.fleetwire.hub.event.DeviceEventKind;
import io.fleetwire.hub.event.EventLog;
import io.fleetwire.protocol.DeviceId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes what sockets do to the {@code devices} row — online, offline, replaced, the hello — for
 * every device at once: one transaction per batch (see {@link BatchWriter}) updates the flags of all
 * devices in one statement, stores the agents' hellos in one more (a row only where something
 * changed), inserts every event in order in one more, and reads which just-connected devices have
 * commands that may go now. Within a batch a device's last transition wins and its events are kept
 * in order, so a device that connects and drops before the batch is written ends offline with both
 * events. One batch at a time: a later transition never commits before an earlier one.
 */
final class PresenceWriter {

    /** One thing a socket did. */
    sealed interface Change {
        DeviceId device();
    }

    record Online(DeviceId device, Instant at, String remote) implements Change {
    }

    record Offline(DeviceId device, Instant lastSeen, int code, String reason) implements Change {
    }

    /** An older socket of the device was closed for this one (recorded before the new socket's {@link Online}). */
    record Replaced(DeviceId device, String remote) implements Change {
    }

    record Hello(DeviceRepository.AgentInfo agent) implements Change {
        @Override
        public DeviceId device() {
            return agent.id();
        }
    }

    private final DeviceRepository devices;
    private final EventLog events;
    private final BatchWriter<Change, Boolean> writer;
    private volatile PresenceRegistry.CommandCheck commands = (tx, ids) -> Future.succeededFuture(Set.copyOf(ids));

    PresenceWriter(Vertx vertx, Pool pool, DeviceRepository devices, EventLog events, BatchWriter.Config config) {
        this.devices = devices;
        this.events = events;
        this.writer = new BatchWriter<>("Presence", vertx, pool, config, this::flush);
    }

    void checkCommandsWith(PresenceRegistry.CommandCheck check) {
        this.commands = check;
    }

    /**
     * Queues a change. The future completes after its commit; for an {@link Online}, with whether the
     * device has commands that may be sent now (false when it went offline again in the same batch).
     */
    Future<Boolean> submit(Change change) {
        return writer.submit(change);
    }

    int depth() {
        return writer.depth();
    }

    Future<Void> drain() {
        return writer.drain();
    }

    private Future<BatchWriter.Written<Boolean>> flush(SqlClient tx, List<Change> changes) {
        Map<DeviceId, DeviceRepository.Presence> presence = new LinkedHashMap<>();
        Map<DeviceId, DeviceRepository.AgentInfo> agents = new LinkedHashMap<>();
        List<EventLog.Entry> entries = new ArrayList<>();
        for (Change c : changes) {
            switch (c) {
                case Online o -> {
                    presence.merge(o.device(), new DeviceRepository.Presence(o.device(), true, o.at()), PresenceWriter::then);
                    entries.add(new EventLog.Entry(o.device(), DeviceEventKind.CONNECTED, new JsonObject().put("remote", o.remote())));
                }
                case Offline o -> {
                    presence.merge(o.device(), new DeviceRepository.Presence(o.device(), false, o.lastSeen()), PresenceWriter::then);
                    entries.add(new EventLog.Entry(o.device(), DeviceEventKind.DISCONNECTED,
                            new JsonObject().put("code", o.code()).put("reason", o.reason())));
                }
                case Replaced r -> entries.add(new EventLog.Entry(r.device(), DeviceEventKind.REPLACED,
                        new JsonObject().put("remote", r.remote())));
                case Hello h -> agents.put(h.device(), h.agent());
            }
        }
        List<DeviceId> online = presence.values().stream().filter(DeviceRepository.Presence::online)
                .map(DeviceRepository.Presence::id).toList();
        java.util.Set<DeviceId> touched = new java.util.HashSet<>(presence.keySet());
        touched.addAll(agents.keySet());
        return DeviceRepository.lockInIdOrder(tx, touched)
                .compose(v -> devices.setPresence(tx, List.copyOf(presence.values())))
                .compose(v -> devices.updateAgents(tx, List.copyOf(agents.values())))
                .compose(v -> events.recordAll(tx, entries))
                .compose(recorded -> (online.isEmpty() ? Future.succeededFuture(Set.<DeviceId>of()) : commands.sendable(tx, online))
                        .map(sendable -> {
                            List<Boolean> results = new ArrayList<>(changes.size());
                            for (Change c : changes) {
                                results.add(c instanceof Online && sendable.contains(c.device()));
                            }
                            return new BatchWriter.Written<>(results, () -> events.publish(recorded));
                        }));
    }

    /** The later transition's state, and the newest time seen of both. */
    private static DeviceRepository.Presence then(DeviceRepository.Presence earlier, DeviceRepository.Presence later) {
        Instant seen = later.seen().isBefore(earlier.seen()) ? earlier.seen() : later.seen();
        return new DeviceRepository.Presence(later.id(), later.online(), seen);
    }
}
