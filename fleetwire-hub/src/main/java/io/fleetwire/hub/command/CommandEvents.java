package io.fleetwire.hub.command;

import io.fleetwire.hub.bus.Bus;
import io.fleetwire.protocol.CommandStatus;
import io.fleetwire.protocol.DeviceId;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.UUID;

/**
 * Every command transition, published on the bus topic {@value #TOPIC} after it is committed (the
 * feed dashboards will stream) and logged on {@code fleetwire.commands}.
 */
public final class CommandEvents {

    public static final String TOPIC = "command.events";
    private static final Logger log = LoggerFactory.getLogger("fleetwire.commands");

    private final Bus bus;

    public CommandEvents(Bus bus) {
        this.bus = bus;
    }

    public Bus bus() {
        return bus;
    }

    void published(Command c) {
        publish(c.id(), c.deviceId(), c.jobId(), c.type(), c.status(), c.attempts());
    }

    void published(CommandRepository.Moved m) {
        publish(m.id(), m.deviceId(), m.jobId(), m.type(), m.to(), null);
    }

    private void publish(io.fleetwire.protocol.CommandId id, DeviceId device, UUID job, String type, CommandStatus status, Integer attempts) {
        log.debug("command {} for device {} is {}", id, device, status.wireName());
        JsonObject event = new JsonObject()
                .put("commandId", id.toString())
                .put("deviceId", device.toString())
                .put("type", type)
                .put("status", status.wireName())
                .put("ts", Instant.now().toString());
        if (job != null) {
            event.put("jobId", job.toString());
        }
        if (attempts != null) {
            event.put("attempts", attempts);
        }
        bus.publish(TOPIC, event);
    }
}
