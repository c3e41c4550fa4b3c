package io.fleetwire.hub.ops;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/** {@code GET /health} (200 when serving and the database answers, else 503) and {@code GET /metrics}. */
public final class OpsEndpoint {

    private final Pool pool;
    private final HubMetrics metrics;
    private final BooleanSupplier draining;
    private final IntSupplier connections;

    public OpsEndpoint(Pool pool, HubMetrics metrics, BooleanSupplier draining, IntSupplier connections) {
        this.pool = pool;
        this.metrics = metrics;
        this.draining = draining;
        this.connections = connections;
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
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.render()));
    }
}
