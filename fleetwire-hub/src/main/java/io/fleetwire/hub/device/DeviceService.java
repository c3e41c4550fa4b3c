package io.fleetwire.hub.device;

import io.fleetwire.hub.api.ApiException;
import io.fleetwire.hub.auth.Tokens;
import io.fleetwire.hub.event.DeviceEventKind;
import io.fleetwire.hub.event.EventLog;
import io.fleetwire.hub.presence.PresenceRegistry;
import io.fleetwire.protocol.CloseCode;
import io.fleetwire.protocol.DeviceId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.util.Map;
import java.util.UUID;

/** Creating, registering and deleting devices. */
public final class DeviceService {

    private final Pool pool;
    private final DeviceRepository devices;
    private final EnrollmentRepository enrollments;
    private final PresenceRegistry presence;
    private final EventLog events;

    public DeviceService(Pool pool, DeviceRepository devices, EnrollmentRepository enrollments,
                         PresenceRegistry presence, EventLog events) {
        this.pool = pool;
        this.devices = devices;
        this.enrollments = enrollments;
        this.presence = presence;
        this.events = events;
    }

    /** A device and its token, which exists in clear only in this answer. */
    public record Issued(DeviceId id, String name, String token, boolean created) {
        public JsonObject toJson() {
            return new JsonObject().put("id", id.toString()).put("name", name).put("token", token);
        }
    }

    public Future<Issued> create(String name, String hostname, Map<String, String> labels) {
        DeviceId id = DeviceId.random();
        String token = Tokens.generate(Tokens.DEVICE);
        return pool.withTransaction(tx -> devices.insert(tx, id, name, hostname, new JsonObject(Map.copyOf(labels)),
                        Tokens.hash(token), null, null, new JsonObject())
                .compose(v -> events.record(tx, id, DeviceEventKind.CREATED, new JsonObject().put("name", name))))
                .map(v -> new Issued(id, name, token, true));
    }

    /**
     * Seed 003's self-registration. The same hostname under the same enrollment token is the same
     * device: it gets a fresh token (the old one stops working) and its capabilities are replaced.
     */
    public Future<Issued> register(String enrollmentToken, String hostname, String agentId, String name,
                                   JsonObject capabilities, Map<String, String> labels) {
        String token = Tokens.generate(Tokens.DEVICE);
        byte[] hash = Tokens.hash(token);
        return pool.withTransaction(tx -> enrollments.findUsable(tx, Tokens.hash(enrollmentToken)).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(new ApiException.Unauthorized("enrollment token is unknown, expired or revoked"));
            }
            UUID enrollmentId = found.get();
            return devices.findEnrolled(tx, enrollmentId, hostname).compose(existing -> {
                if (existing.isPresent()) {
                    DeviceId id = existing.get();
                    return devices.reRegister(tx, id, hash, agentId, capabilities)
                            .compose(v -> events.record(tx, id, DeviceEventKind.REGISTERED,
                                    new JsonObject().put("hostname", hostname).put("again", true)))
                            .map(v -> new Issued(id, null, token, false));
                }
                DeviceId id = DeviceId.random();
                // Names follow the API's limit: 128 characters, suffix included.
                String wanted = name != null ? name : hostname.length() > 119 ? hostname.substring(0, 119) : hostname;
                return enrollments.use(tx, enrollmentId)
                        .compose(v -> devices.nameTaken(tx, wanted))
                        .map(taken -> taken ? wanted + "-" + id.toString().substring(0, 8) : wanted)
                        .compose(finalName -> devices.insert(tx, id, finalName, hostname,
                                        new JsonObject(Map.copyOf(labels)), hash, agentId, enrollmentId, capabilities)
                                .compose(v -> events.record(tx, id, DeviceEventKind.REGISTERED,
                                        new JsonObject().put("hostname", hostname)))
                                .map(v -> new Issued(id, finalName, token, true)));
            });
        })).compose(issued -> issued.created() ? Future.succeededFuture(issued) : presenceAfterReRegister(issued));
    }

    private Future<Issued> presenceAfterReRegister(Issued issued) {
        // The socket holding the old token is no longer authorised.
        presence.disconnect(issued.id(), CloseCode.REVOKED);
        return devices.find(issued.id()).map(d -> new Issued(issued.id(), d.map(Device::name).orElse(null),
                issued.token(), false));
    }

    /** Deletes the device, revoking its token and closing its socket. */
    public Future<Void> delete(DeviceId id) {
        return pool.withTransaction(tx -> devices.delete(tx, id).compose(deleted -> deleted
                        ? events.record(tx, id, DeviceEventKind.DELETED, new JsonObject())
                        : Future.failedFuture(new ApiException.NotFound("no device " + id))))
                .onSuccess(v -> presence.disconnect(id, CloseCode.REVOKED));
    }
}
