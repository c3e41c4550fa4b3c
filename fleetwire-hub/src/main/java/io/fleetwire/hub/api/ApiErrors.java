package io.fleetwire.hub.api;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps every failure of an HTTP route to {@code {"error":{"code","message"}}} with its status. */
public final class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {
    }

    /** Router failure handler. */
    public static void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof ApiException e) {
            send(ctx.response(), e.status(), e.code(), e.getMessage());
            return;
        }
        int status = ctx.statusCode();
        switch (status) {
            case 404 -> send(ctx.response(), 404, "not_found", "no such endpoint: " + ctx.request().path());
            case 405 -> send(ctx.response(), 405, "method_not_allowed",
                    ctx.request().method() + " is not allowed on " + ctx.request().path());
            case 413 -> send(ctx.response(), 413, "too_large", "request body too large");
            case 400 -> send(ctx.response(), 400, "bad_request", "malformed request");
            default -> {
                if (status >= 400 && status < 500) {
                    send(ctx.response(), status, "bad_request", "request refused");
                } else {
                    log.error("Request {} {} failed", ctx.request().method(), ctx.request().path(), failure);
                    send(ctx.response(), 500, "internal", "internal error");
                }
            }
        }
    }

    public static void send(HttpServerResponse response, int status, String code, String message) {
        if (response.ended() || response.closed()) {
            return;
        }
        JsonObject body = new JsonObject().put("error", new JsonObject().put("code", code).put("message", message));
        response.setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
}
