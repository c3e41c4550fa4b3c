package io.fleetwire.hub.ops;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * {@code GET /health} (200 when serving and the database answers, else 503), {@code GET /metrics}
 * (Prometheus text) and {@code GET /openapi.json} (the REST API's OpenAPI document).
 */
public final class OpsEndpoint {

    private final Pool pool;
    private final HubMetrics metrics;
    private final BooleanSupplier draining;
    private final IntSupplier connections;
    private final String openApi = loadOpenApi();

    public OpsEndpoint(Pool pool, HubMetrics metrics, BooleanSupplier draining, IntSupplier connections) {
        this.pool = pool;
        this.metrics = metrics;
        this.draining = draining;
        this.connections = connections;
    }

    private static String loadOpenApi() {
        try (var in = OpsEndpoint.class.getResourceAsStream("/openapi.json")) {
            return in == null ? null : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    public void mount(Router router) {
        router.get("/health").handler(ctx -> pool.query("SELECT 1").execute().onComplete(ar -> {
            boolean dbUp = ar.succeeded();
            boolean ok = dbUp && !draining.getAsBoolean();
            JsonObject body = new JsonObject()
                    .put("status", ok ? "ok" : draining.getAsBoolean() ? "draining" : "degraded")
                    .put("database", dbUp ? "up" : "down")
                    .put("devicesConnected", connections.getAsInt());
            ctx.response().setStatusCode(ok ? 200 : 503).putHeader("content-type", "application/json").end(body.encode());
        }));
        router.get("/openapi.json").handler(ctx -> {
            if (openApi == null) {
                ctx.fail(404);
            } else {
                ctx.response().putHeader("content-type", "application/json").end(openApi);
            }
        });
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.render()));
    }
}
