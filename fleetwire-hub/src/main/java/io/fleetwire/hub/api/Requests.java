package io.fleetwire.hub.api;

import io.fleetwire.protocol.DeviceId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Path and query parameters, and JSON answers, shared by every REST endpoint. */
public final class Requests {

    /** Context key under which authentication leaves the caller's audit name. */
    public static final String ACTOR = "fleetwire.actor";
    /** Context key under which device authentication leaves the calling device's id. */
    public static final String DEVICE = "fleetwire.device";
    /** The {@code DeviceRepository.Credentials} behind a device token (set by {@code DeviceAuth}). */
    public static final String CREDENTIALS = "fleetwire.credentials";

    private Requests() {
    }

    /** Who is calling, as the audit trail names them. */
    public static String actor(RoutingContext ctx) {
        String actor = ctx.get(ACTOR);
        if (actor == null) {
            throw new IllegalStateException("route has no authentication handler");
        }
        return actor;
    }

    /** The UUID in path parameter {@code name}; anything else names nothing, so 404. */
    public static java.util.UUID uuidParam(RoutingContext ctx, String name, String what) {
        try {
            return DeviceId.parse(ctx.pathParam(name)).value();
        } catch (IllegalArgumentException e) {
            throw new ApiException.NotFound("no " + what + " " + ctx.pathParam(name));
        }
    }

    /** The {@code :id} path parameter; an id that is not a UUID cannot name a device, so 404. */
    public static DeviceId deviceId(RoutingContext ctx) {
        try {
            return DeviceId.parse(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw new ApiException.NotFound("no device " + ctx.pathParam("id"));
        }
    }

    public static int queryInt(RoutingContext ctx, String name, int min, int max, int dflt) {
        String v = ctx.request().getParam(name);
        if (v == null) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v);
            if (i >= min && i <= max) {
                return i;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new ApiException.BadRequest("'" + name + "' must be an integer between " + min + " and " + max);
    }

    /** A numeric paging cursor (a previous page's {@code next}), or null when absent. */
    public static Long pageCursor(RoutingContext ctx, String name) {
        String v = ctx.request().getParam(name);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ApiException.BadRequest("'" + name + "' must be the 'next' value of a previous page");
        }
    }

    /** Answers with the future's JSON; status 0 keeps a status the mapping function set. */
    public static void reply(RoutingContext ctx, int status, Future<JsonObject> result) {
        result.onSuccess(json -> {
            if (status != 0) {
                ctx.response().setStatusCode(status);
            }
            ctx.response().putHeader("content-type", "application/json").end(json.encode());
        }).onFailure(ctx::fail);
    }
}
