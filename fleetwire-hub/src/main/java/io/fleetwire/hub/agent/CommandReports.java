package io.fleetwire.hub.agent;

import io.fleetwire.hub.api.ApiException;
import io.fleetwire.hub.command.CommandService;
import io.fleetwire.protocol.CommandId;
import io.fleetwire.protocol.DeviceId;
import io.fleetwire.protocol.ErrorCode;
import io.fleetwire.protocol.Message;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * A device's {@code command_ack} and {@code command_result} frames: stored through the
 * {@link CommandService}, then acknowledged by their seq. A report for a command that was cancelled
 * or expired is answered with {@code command_cancel} so the device does not run it; one for a
 * command this device never got is refused with an error frame naming it.
 */
final class CommandReports {

    private static final Logger log = LoggerFactory.getLogger(CommandReports.class);

    private final DeviceId deviceId;
    private final CommandService service;
    private final Consumer<Message> send;
    private final Consumer<Message.Error> refuse;

    CommandReports(DeviceId deviceId, CommandService service, Consumer<Message> send, Consumer<Message.Error> refuse) {
        this.deviceId = deviceId;
        this.service = service;
        this.send = send;
        this.refuse = refuse;
    }

    void onAck(Message.CommandAck ack) {
        service.acknowledge(deviceId, ack.id(), "socket").onComplete(ar -> {
            if (ar.succeeded() && ar.result().outcome() == CommandService.Outcome.STOPPED) {
                send.accept(new Message.CommandCancel(ack.id()));
            }
            answer(ar, ack.type(), ack.seq(), ack.id());
        });
    }

    void onResult(Message.CommandResult result) {
        Future<CommandService.Report> stored;
        try {
            Object output = result.output() == null ? null : Json.decodeValue(result.output().toString());
            stored = service.complete(deviceId, result.id(), result.status(), output, result.error(), "socket");
        } catch (ApiException e) {
            refuse.accept(new Message.Error(ErrorCode.INVALID_MESSAGE, e.getMessage(), result.type(), result.seq()));
            return;
        }
        stored.onComplete(ar -> answer(ar, result.type(), result.seq(), result.id()));
    }

    private void answer(AsyncResult<CommandService.Report> ar, String type, Long seq, CommandId id) {
        if (ar.failed()) {
            log.warn("Could not store {} of device {}: {}", type, deviceId, ar.cause().toString());
            refuse.accept(new Message.Error(ErrorCode.INTERNAL, "could not store the " + type + "; send it again later", type, seq));
            return;
        }
        switch (ar.result().outcome()) {
            case STORED, DUPLICATE, STOPPED -> {
                if (seq != null) {
                    send.accept(new Message.Ack(seq));
                }
            }
            case NOT_SENT -> refuse.accept(new Message.Error(ErrorCode.INVALID_MESSAGE, "command " + id
                    + " was never sent to this device", type, seq));
            case NOT_FOUND -> refuse.accept(new Message.Error(ErrorCode.NOT_FOUND, "no command " + id + " for this device",
                    type, seq));
        }
    }
}
