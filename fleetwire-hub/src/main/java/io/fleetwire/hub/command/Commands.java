package io.fleetwire.hub.command;

import io.fleetwire.hub.audit.AuditLog;
import io.fleetwire.hub.bus.Bus;
import io.fleetwire.hub.event.DeviceEventKind;
import io.fleetwire.hub.event.EventLog;
import io.fleetwire.hub.ops.HubMetrics;
import io.fleetwire.hub.presence.PresenceRegistry;
import io.fleetwire.protocol.DeviceId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The command feature, wired: types, delivery, lifecycle, jobs and the sweeper. The hub creates one
 * and hands its parts to the REST endpoints and the device socket.
 */
public final class Commands {

    private static final Logger log = LoggerFactory.getLogger(Commands.class);

    private final CommandTypeRegistry types;
    private final CommandDelivery delivery;
    private final CommandService service;
    private final JobService jobs;
    private final CommandSweeper sweeper;

    public Commands(Vertx vertx, Pool pool, Bus bus, AuditLog audit, PresenceRegistry presence, HubMetrics metrics,
                    Duration ackTimeout, Duration resultTimeout, CommandTypeRegistry.ArtifactLookup artifacts) {
        CommandRepository repository = new CommandRepository(pool);
        CommandEvents events = new CommandEvents(bus);
        this.types = new CommandTypeRegistry(pool, audit, bus, artifacts);
        this.delivery = new CommandDelivery(repository, presence, events, ackTimeout, metrics);
        this.service = new CommandService(repository, types, delivery, audit, events, presence);
        this.jobs = new JobService(new JobRepository(pool), types, delivery, audit, events, presence);
        // A connecting device is poked only when it has something to send: most have nothing.
        presence.checkCommandsOnConnect(repository::sendable);
        this.sweeper = new CommandSweeper(vertx, repository, delivery, jobs, events, Duration.ofSeconds(1), resultTimeout);
        // A deleted device will never take its commands: they end as cancelled, not stuck.
        bus.subscribe(EventLog.TOPIC, e -> {
            if (DeviceEventKind.UPDATED.wireName().equals(e.getString("kind"))) {
                // e.g. sequential → burst: what was held back may go now.
                delivery.poke(DeviceId.parse(e.getString("deviceId")), false);
            }
            if (DeviceEventKind.DELETED.wireName().equals(e.getString("kind"))) {
                DeviceId device = DeviceId.parse(e.getString("deviceId"));
                repository.cancelAllOf(device, "device deleted")
                        .onSuccess(moved -> moved.forEach(events::published))
                        .onFailure(err -> log.warn("Could not cancel the commands of deleted device {}: {}", device, err.toString()));
            }
        });
    }

    public Future<Void> start() {
        return types.reload().onSuccess(v -> sweeper.start());
    }

    public void stop() {
        sweeper.stop();
    }

    /**
     * A device's socket is up on this hub (and it has commands that may go, as the presence batch
     * found): every command it should have goes now.
     */
    public void deviceConnected(DeviceId device, java.time.Instant since) {
        delivery.connected(device, since);
    }

    public CommandTypeRegistry types() {
        return types;
    }

    public CommandService service() {
        return service;
    }

    public JobService jobs() {
        return jobs;
    }

    /** One sweep now, for tests that cannot wait for the clock. */
    public Future<Void> sweepNow() {
        return sweeper.sweep();
    }
}
