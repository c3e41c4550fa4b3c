package io.fleetwire.hub.command;

import io.fleetwire.hub.api.ApiException;
import io.fleetwire.hub.api.Json;
import io.fleetwire.hub.api.Requests;
import io.fleetwire.protocol.CommandId;
import io.fleetwire.protocol.CommandStatus;
import io.fleetwire.protocol.DeviceId;
import io.fleetwire.protocol.MessageCodec;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.UUID;

import static io.fleetwire.hub.api.Requests.reply;
import static io.fleetwire.hub.api.Requests.uuidParam;

/**
 * Fallback polling for devices whose socket is down or blocked (seed 000), with the device's own
 * token: {@code GET /api/v1/agent/commands} returns every command the device may run now, in order,
 * as the same objects the socket carries; {@code POST /api/v1/agent/commands/{id}/ack} and
 * {@code …/result} report receipt and outcome. Polling and the socket may run side by side: the
 * device runs each id once, and a result is stored once whichever way it comes.
 */
public final class AgentCommandEndpoint {

    private final CommandService service;
    private final MessageCodec codec;

    public AgentCommandEndpoint(CommandService service, MessageCodec codec) {
        this.service = service;
        this.codec = codec;
    }

    public void mount(Router router, Handler<RoutingContext> deviceAuth) {
        router.get("/api/v1/agent/commands").handler(deviceAuth).handler(this::poll);
        router.post("/api/v1/agent/commands/:id/ack").handler(deviceAuth).handler(this::ack);
        router.post("/api/v1/agent/commands/:id/result").handler(deviceAuth).handler(this::result);
    }

    private void poll(RoutingContext ctx) {
        DeviceId device = ctx.get(Requests.DEVICE);
        reply(ctx, 200, service.poll(device).map(list -> {
            JsonArray items = new JsonArray();
            list.forEach(c -> items.add(new JsonObject(codec.encode(CommandDelivery.frame(c)))));
            return new JsonObject().put("items", items);
        }));
    }

    private void ack(RoutingContext ctx) {
        DeviceId device = ctx.get(Requests.DEVICE);
        CommandId id = CommandEndpoint.commandId(ctx);
        reply(ctx, 200, service.acknowledge(device, id, "http").map(r -> answer(r, id)));
    }

    private void result(RoutingContext ctx) {
        DeviceId device = ctx.get(Requests.DEVICE);
        CommandId id = CommandEndpoint.commandId(ctx);
        JsonObject body = Json.body(ctx);
        Json.onlyFields(body, Set.of("status", "output", "error"));
        String status = Json.string(body, "status", 16, true);
        if (!status.equals("succeeded") && !status.equals("failed")) {
            throw new ApiException.BadRequest("'status' must be succeeded or failed");
        }
        String error = Json.string(body, "error", MessageCodec.MAX_RESULT_ERROR, false);
        reply(ctx, 200, service.complete(device, id, CommandStatus.fromWire(status), body.getValue("output"), error, "http")
                .map(r -> answer(r, id)));
    }

    /**
     * 200 with the command's status; {@code run} is true only for the first receipt of a command that
     * may run (a repeat says false; devices still de-duplicate by id); 404 / 409 otherwise.
     */
    private static JsonObject answer(CommandService.Report r, CommandId id) {
        return switch (r.outcome()) {
            case NOT_FOUND -> throw new ApiException.NotFound("no command " + id + " for this device");
            case NOT_SENT -> throw new ApiException.Conflict("command " + id + " was never sent to this device; poll for it first");
            case STORED, DUPLICATE, STOPPED -> new JsonObject().put("id", id.toString())
                    .put("status", r.command().status().wireName())
                    .put("run", r.outcome() == CommandService.Outcome.STORED && r.command().status() == CommandStatus.DELIVERED);
        };
    }

}
