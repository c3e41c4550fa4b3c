package io.fleetwire.hub.settings;

import io.fleetwire.hub.api.Json;
import io.fleetwire.hub.api.Requests;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import static io.fleetwire.hub.api.Requests.reply;

/**
 * Device and fleet configuration over REST (admin token):
 * {@code GET|PATCH /api/v1/config} and {@code GET|PATCH /api/v1/devices/{id}/config}. A PATCH body is
 * a JSON merge patch of the overrides: a value sets one, {@code null} removes it.
 */
public final class SettingsEndpoint {

    private final DeviceSettings settings;

    public SettingsEndpoint(DeviceSettings settings) {
        this.settings = settings;
    }

    public void mount(Router router, Handler<RoutingContext> admin) {
        router.get("/api/v1/config").handler(admin).handler(ctx -> reply(ctx, 200, settings.fleetView()));
        router.patch("/api/v1/config").handler(admin).handler(ctx ->
                reply(ctx, 200, settings.patchFleet(Json.body(ctx), Requests.actor(ctx))));
        router.get("/api/v1/devices/:id/config").handler(admin).handler(ctx ->
                reply(ctx, 200, settings.deviceView(Requests.deviceId(ctx))));
        router.patch("/api/v1/devices/:id/config").handler(admin).handler(ctx ->
                reply(ctx, 200, settings.patchDevice(Requests.deviceId(ctx), Json.body(ctx), Requests.actor(ctx))));
    }
}
