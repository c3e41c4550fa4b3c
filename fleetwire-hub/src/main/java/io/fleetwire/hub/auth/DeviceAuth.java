package io.fleetwire.hub.auth;

import io.fleetwire.hub.api.ApiException;
import io.fleetwire.hub.api.Requests;
import io.fleetwire.hub.device.DeviceRepository;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Guards the HTTP routes devices call with their own token ({@code Authorization: Bearer fwd_…});
 * the device's id is left in the context under {@link Requests#DEVICE}. A device can only ever act
 * as itself.
 */
public final class DeviceAuth implements Handler<RoutingContext> {

    private final DeviceRepository devices;

    public DeviceAuth(DeviceRepository devices) {
        this.devices = devices;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String token = Tokens.bearer(ctx.request().getHeader("Authorization"));
        if (token == null || token.isEmpty() || token.length() > 512) {
            ctx.fail(new ApiException.Unauthorized("a device token is required (Authorization: Bearer <token>)"));
            return;
        }
        devices.findByToken(Tokens.hash(token)).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else if (ar.result().isEmpty()) {
                ctx.fail(new ApiException.Unauthorized("unknown or revoked device token"));
            } else {
                ctx.put(Requests.DEVICE, ar.result().get().id());
                ctx.put(Requests.CREDENTIALS, ar.result().get());
                ctx.put(Requests.ACTOR, "device:" + ar.result().get().id());
                ctx.next();
            }
        });
    }
}
