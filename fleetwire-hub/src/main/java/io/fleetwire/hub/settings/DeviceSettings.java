package io.fleetwire.hub.settings;

import io.fleetwire.hub.api.ApiException;
import io.fleetwire.hub.audit.AuditLog;
import io.fleetwire.hub.bus.Bus;
import io.fleetwire.hub.db.BatchWriter;
import io.fleetwire.hub.presence.PresenceRegistry;
import io.fleetwire.hub.presence.Session;
import io.fleetwire.protocol.DeviceId;
import io.fleetwire.protocol.Message;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The settings each device gets (seed 003: the hub manages every agent setting): the hub's
 * defaults, overridden fleet-wide, overridden per device. A change is stored with a new version in
 * one transaction with its audit line, then announced on the bus topic {@link #TOPIC}; every hub
 * node sends a {@code config} message to the devices it holds, and remembers the fleet overrides
 * for the welcomes it sends. Devices answer with {@code config_applied}; a device whose reported
 * version is not its current one is sent its settings again, so a device never stays on old ones.
 */
public final class DeviceSettings {

    /** Bus topic of settings changes: {@code {"scope":"fleet"|"device","deviceId":…,"overrides":…,"version":…}}. */
    public static final String TOPIC = "settings.changed";

    private static final Logger log = LoggerFactory.getLogger(DeviceSettings.class);

    private final Pool pool;
    private final Bus bus;
    private final AuditLog audit;
    private final PresenceRegistry presence;
    private final Message.Settings defaults;
    private final SettingsRepository repository = new SettingsRepository();
    private volatile SettingsRepository.Overrides fleet = SettingsRepository.Overrides.NONE;

    /** Reports of applied versions, many devices' in one transaction (a reconnect storm sends one per device). */
    private final BatchWriter<SettingsRepository.AppliedReport, Optional<SettingsRepository.Overrides>> appliedWriter;

    /**
     * {@code defaults}: the hub's settings from its environment (their version is ignored);
     * {@code batches}: how {@code config_applied} reports are grouped into transactions.
     */
    public DeviceSettings(Vertx vertx, Pool pool, Bus bus, AuditLog audit, PresenceRegistry presence, Message.Settings defaults,
                          BatchWriter.Config batches) {
        this.appliedWriter = new BatchWriter<>("Applied settings", vertx, pool, batches,
                (tx, reports) -> repository.markApplied(tx, reports).map(own -> new BatchWriter.Written<>(own, () -> { })));
        this.pool = pool;
        this.bus = bus;
        this.audit = audit;
        this.presence = presence;
        this.defaults = defaults;
    }

    /** Loads the fleet overrides and starts pushing changes to connected devices. */
    public Future<Void> start() {
        bus.subscribe(TOPIC, this::onChanged);
        return repository.fleet(pool).onSuccess(this::rememberFleet).mapEmpty();
    }

    /** The settings of a device with these overrides of its own (from its credentials), now. */
    public Message.Settings effective(JsonObject deviceOverrides, long deviceVersion) {
        return merge(fleet, new SettingsRepository.Overrides(deviceOverrides, deviceVersion, null, null));
    }

    /** {@code GET /api/v1/config}. */
    public Future<JsonObject> fleetView() {
        return repository.fleet(pool).map(f -> {
            rememberFleet(f);
            return view(f, merge(f, SettingsRepository.Overrides.NONE));
        });
    }

    /** {@code PATCH /api/v1/config}: a JSON merge patch of the fleet overrides. */
    public Future<JsonObject> patchFleet(JsonObject body, String actor) {
        Change change = Change.of(body);
        return pool.withTransaction(tx -> repository.saveFleet(tx, change.set(), change.remove(), actor)
                        .compose(saved -> audit.record(tx, new AuditLog.Entry(actor, "config.updated", null, null, null,
                                new JsonObject().put("scope", "fleet").put("patch", body).put("version", saved.version())))
                                .map(saved)))
                .map(saved -> {
                    bus.publish(TOPIC, new JsonObject().put("scope", "fleet").put("overrides", saved.values())
                            .put("version", saved.version()));
                    rememberFleet(saved);
                    return view(saved, merge(saved, SettingsRepository.Overrides.NONE));
                });
    }

    /** {@code GET /api/v1/devices/{id}/config}. */
    public Future<JsonObject> deviceView(DeviceId id) {
        return repository.applied(pool, id).compose(applied -> {
            if (applied.isEmpty()) {
                return Future.failedFuture(new ApiException.NotFound("no device " + id));
            }
            return Future.all(repository.fleet(pool), repository.device(pool, id)).map(all -> {
                SettingsRepository.Overrides f = all.resultAt(0);
                SettingsRepository.Overrides d = all.resultAt(1);
                return deviceView(id, f, d, applied.get());
            });
        });
    }

    /** {@code PATCH /api/v1/devices/{id}/config}: a JSON merge patch of the device's own overrides. */
    public Future<JsonObject> patchDevice(DeviceId id, JsonObject body, String actor) {
        Change change = Change.of(body);
        return pool.withTransaction(tx -> repository.saveDevice(tx, id, change.set(), change.remove(), actor)
                        .compose(saved -> audit.record(tx, new AuditLog.Entry(actor, "config.updated", id.value(), null, null,
                                new JsonObject().put("scope", "device").put("patch", body).put("version", saved.version())))
                                .map(saved)))
                .recover(e -> Future.failedFuture(SettingsRepository.isMissingDevice(e) ? new ApiException.NotFound("no device " + id) : e))
                .compose(saved -> {
                    bus.publish(TOPIC, new JsonObject().put("scope", "device").put("deviceId", id.toString())
                            .put("overrides", saved.values()).put("version", saved.version()));
                    return deviceView(id);
                });
    }

    /**
     * A device reports the version it applied: stored, and answered with the device's current
     * settings when they differ (empty when the device is gone).
     */
    public Future<Optional<Message.Settings>> applied(DeviceId id, long version) {
        return appliedWriter.submit(new SettingsRepository.AppliedReport(id, version))
                .map(own -> own.map(o -> merge(fleet, o)).filter(current -> current.version() != version));
    }

    private void onChanged(JsonObject event) {
        SettingsRepository.Overrides changed = new SettingsRepository.Overrides(event.getJsonObject("overrides"),
                event.getLong("version"), null, null);
        if ("fleet".equals(event.getString("scope"))) {
            rememberFleet(changed);
            List<Session> sessions = new ArrayList<>(presence.sessions());
            if (sessions.isEmpty()) {
                return;
            }
            repository.devices(pool, sessions.stream().map(Session::deviceId).toList())
                    .onSuccess(own -> push(sessions, own))
                    .onFailure(e -> log.warn("Could not send the new fleet settings to connected devices: {}", e.toString()));
        } else {
            DeviceId id = new DeviceId(UUID.fromString(event.getString("deviceId")));
            presence.session(id).ifPresent(s -> s.configure(merge(fleet, changed)));
        }
    }

    private void push(List<Session> sessions, Map<DeviceId, SettingsRepository.Overrides> own) {
        for (Session s : sessions) {
            s.configure(merge(fleet, own.getOrDefault(s.deviceId(), SettingsRepository.Overrides.NONE)));
        }
    }

    private synchronized void rememberFleet(SettingsRepository.Overrides f) {
        if (f.version() >= fleet.version()) {
            fleet = f;
        }
    }

    private Message.Settings merge(SettingsRepository.Overrides f, SettingsRepository.Overrides d) {
        long interval = defaults.telemetryIntervalSeconds();
        long poll = defaults.pollIntervalSeconds();
        long budget = defaults.queueBudgetBytes();
        for (SettingsRepository.Overrides layer : List.of(f, d)) {
            interval = layer.values().getLong(SettingKey.TELEMETRY_INTERVAL_SECONDS.field(), interval);
            poll = layer.values().getLong(SettingKey.POLL_INTERVAL_SECONDS.field(), poll);
            budget = layer.values().getLong(SettingKey.QUEUE_BUDGET_BYTES.field(), budget);
        }
        return new Message.Settings(Math.max(1, Math.max(f.version(), d.version())), defaults.heartbeatSeconds(),
                defaults.missedHeartbeats(), (int) interval, defaults.maxMessageBytes(), (int) poll, budget);
    }

    private JsonObject view(SettingsRepository.Overrides own, Message.Settings effective) {
        JsonObject out = new JsonObject()
                .put("version", effective.version())
                .put("overrides", own.values().copy())
                .put("effective", settingsJson(effective))
                .put("defaults", settingsJson(defaults).copy().put("version", 1));
        if (own.updatedAt() != null) {
            out.put("updatedAt", own.updatedAt().toString()).put("updatedBy", own.updatedBy());
        }
        return out;
    }

    private JsonObject deviceView(DeviceId id, SettingsRepository.Overrides f, SettingsRepository.Overrides d,
                                  SettingsRepository.Applied applied) {
        Message.Settings effective = merge(f, d);
        JsonObject out = view(d, effective)
                .put("deviceId", id.toString())
                .put("fleetOverrides", f.values().copy());
        out.remove("defaults");
        JsonObject appliedJson = new JsonObject().put("version", applied.version());
        if (applied.at() != null) {
            appliedJson.put("at", applied.at().toString());
        }
        return out.put("applied", appliedJson)
                .put("inSync", applied.version() != null && applied.version() == effective.version());
    }

    private static JsonObject settingsJson(Message.Settings s) {
        return new JsonObject(io.fleetwire.protocol.MessageCodec.settingsJson(s).toString());
    }

    /** A checked merge patch: values to set and fields to remove. */
    private record Change(JsonObject set, List<String> remove) {
        static Change of(JsonObject body) {
            JsonObject set = new JsonObject();
            List<String> remove = new ArrayList<>();
            SettingKey.parsePatch(body).forEach((key, value) -> {
                if (value == null) {
                    remove.add(key.field());
                } else {
                    set.put(key.field(), value);
                }
            });
            return new Change(set, remove);
        }
    }
}
