package io.fleetwire.hub.settings;

import io.fleetwire.hub.api.ApiException;
import io.fleetwire.hub.api.Json;
import io.fleetwire.hub.api.Requests;
import io.fleetwire.hub.device.DeviceRepository;
import io.fleetwire.protocol.DeviceId;
import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.MessageCodec;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

import static io.fleetwire.hub.api.Requests.reply;

/**
 * Device and fleet configuration over REST (admin token):
 * {@code GET|PATCH /api/v1/config} and {@code GET|PATCH /api/v1/devices/{id}/config}. A PATCH body is
 * a JSON merge patch of the overrides: a value sets one, {@code null} removes it.
 *
 * <p>And the HTTP form of {@code welcome}'s settings and {@code config_applied} for a device that
 * can only poll (device token, protocol §9.5): {@code GET /api/v1/agent/config} and
 * {@code POST /api/v1/agent/config/applied}.
 */
public final class SettingsEndpoint {

    private final DeviceSettings settings;

    public SettingsEndpoint(DeviceSettings settings) {
        this.settings = settings;
    }

    public void mount(Router router, Handler<RoutingContext> admin, Handler<RoutingContext> deviceAuth) {
        router.get("/api/v1/config").handler(admin).handler(ctx -> reply(ctx, 200, settings.fleetView()));
        router.patch("/api/v1/config").handler(admin).handler(ctx ->
                reply(ctx, 200, settings.patchFleet(Json.body(ctx), Requests.actor(ctx))));
        router.get("/api/v1/devices/:id/config").handler(admin).handler(ctx ->
                reply(ctx, 200, settings.deviceView(Requests.deviceId(ctx))));
        router.patch("/api/v1/devices/:id/config").handler(admin).handler(ctx ->
                reply(ctx, 200, settings.patchDevice(Requests.deviceId(ctx), Json.body(ctx), Requests.actor(ctx))));
        router.get("/api/v1/agent/config").handler(deviceAuth).handler(this::current);
        router.post("/api/v1/agent/config/applied").handler(deviceAuth).handler(this::applied);
    }

    /** The device's settings now, as its next {@code welcome} would carry them. */
    private void current(RoutingContext ctx) {
        DeviceRepository.Credentials c = ctx.get(Requests.CREDENTIALS);
        reply(ctx, 200, Future.succeededFuture(wire(settings.effective(c.settingsOverrides(), c.settingsVersion()))));
    }

    /**
     * {@code {"version": N}}: stored as the device's applied version; answered with {@code inSync},
     * and the current settings when the device is behind (as the socket resends a {@code config}).
     */
    private void applied(RoutingContext ctx) {
        DeviceId device = ctx.get(Requests.DEVICE);
        JsonObject body = Json.body(ctx);
        Json.onlyFields(body, Set.of("version"));
        Integer version = Json.integer(body, "version", 1, Integer.MAX_VALUE);
        if (version == null) {
            throw new ApiException.BadRequest("'version' is required");
        }
        reply(ctx, 200, settings.applied(device, version).map(behind -> {
            JsonObject out = new JsonObject().put("version", (long) version).put("inSync", behind.isEmpty());
            behind.ifPresent(s -> out.mergeIn(wire(s)));
            return out;
        }));
    }

    private static JsonObject wire(Message.Settings s) {
        return new JsonObject().put("settings", new JsonObject(MessageCodec.settingsJson(s).toString()));
    }
}
