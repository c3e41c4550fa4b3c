package io.fleetwire.hub.audit;

import io.fleetwire.hub.api.ApiException;
import io.fleetwire.hub.api.Requests;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;

import static io.fleetwire.hub.api.Requests.queryInt;
import static io.fleetwire.hub.api.Requests.reply;

/**
 * {@code GET /api/v1/audit?device=&command=&job=&actor=&action=&limit=&before=}: the audit trail,
 * newest first; {@code next} is the {@code before} of the following page.
 */
public final class AuditEndpoint {

    private final AuditLog audit;

    public AuditEndpoint(AuditLog audit) {
        this.audit = audit;
    }

    public void mount(Router router, Handler<RoutingContext> admin) {
        router.get("/api/v1/audit").handler(admin).handler(this::find);
    }

    private void find(RoutingContext ctx) {
        int limit = queryInt(ctx, "limit", 1, 1000, 100);
        Long before = Requests.pageCursor(ctx, "before");
        AuditLog.Query q = new AuditLog.Query(uuid(ctx, "device"), uuid(ctx, "command"), uuid(ctx, "job"),
                text(ctx, "actor"), text(ctx, "action"), before, limit);
        reply(ctx, 200, audit.find(q).map(items -> {
            JsonObject out = new JsonObject().put("items", items);
            if (items.size() == limit) {
                out.put("next", String.valueOf(items.getJsonObject(items.size() - 1).getLong("id")));
            }
            return out;
        }));
    }

    private static UUID uuid(RoutingContext ctx, String name) {
        String v = ctx.request().getParam(name);
        if (v == null) {
            return null;
        }
        try {
            return io.fleetwire.protocol.DeviceId.parse(v).value();
        } catch (IllegalArgumentException e) {
            throw new ApiException.BadRequest("'" + name + "' must be a UUID");
        }
    }

    private static String text(RoutingContext ctx, String name) {
        String v = ctx.request().getParam(name);
        if (v != null && (v.isEmpty() || v.length() > 200)) {
            throw new ApiException.BadRequest("'" + name + "' must be 1–200 characters");
        }
        return v;
    }
}
