package io.fleetwire.hub.device;

import io.fleetwire.hub.api.ApiException;
import io.fleetwire.hub.api.Json;
import static io.fleetwire.hub.api.Requests.deviceId;
import static io.fleetwire.hub.api.Requests.queryInt;
import static io.fleetwire.hub.api.Requests.reply;
import io.fleetwire.hub.auth.Tokens;
import io.fleetwire.hub.event.EventLog;
import io.fleetwire.hub.presence.PresenceRegistry;
import io.fleetwire.hub.presence.Session;
import io.fleetwire.protocol.DeviceId;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * REST for devices and enrollment: {@code /api/v1/devices}, {@code /api/v1/enrollment-tokens}
 * (admin token) and {@code /api/v1/register} (enrollment token).
 */
public final class DeviceEndpoint {

    private final DeviceService service;
    private final DeviceRepository devices;
    private final EnrollmentRepository enrollments;
    private final PresenceRegistry presence;
    private final EventLog events;

    public DeviceEndpoint(DeviceService service, DeviceRepository devices, EnrollmentRepository enrollments,
                          PresenceRegistry presence, EventLog events) {
        this.service = service;
        this.devices = devices;
        this.enrollments = enrollments;
        this.presence = presence;
        this.events = events;
    }

    /** Mounts the routes; {@code admin} guards everything but registration. */
    public void mount(Router router, Handler<RoutingContext> admin) {
        router.post("/api/v1/devices").handler(admin).handler(this::create);
        router.get("/api/v1/devices").handler(admin).handler(this::list);
        router.get("/api/v1/devices/:id").handler(admin).handler(this::get);
        router.delete("/api/v1/devices/:id").handler(admin).handler(this::delete);
        router.patch("/api/v1/devices/:id").handler(admin).handler(this::update);
        router.get("/api/v1/devices/:id/events").handler(admin).handler(this::events);
        router.post("/api/v1/enrollment-tokens").handler(admin).handler(this::createEnrollment);
        router.get("/api/v1/enrollment-tokens").handler(admin).handler(ctx ->
                reply(ctx, 200, enrollments.list().map(items -> new JsonObject().put("items", items))));
        router.delete("/api/v1/enrollment-tokens/:id").handler(admin).handler(this::revokeEnrollment);
        router.post("/api/v1/register").handler(this::register);
    }

    private void create(RoutingContext ctx) {
        JsonObject body = Json.body(ctx);
        String name = Json.string(body, "name", 128, true);
        String hostname = Json.string(body, "hostname", 253, false);
        var labels = Json.labels(body);
        reply(ctx, 201, service.create(name, hostname, labels).map(DeviceService.Issued::toJson));
    }

    private void list(RoutingContext ctx) {
        int limit = queryInt(ctx, "limit", 1, 500, 100);
        String after = ctx.request().getParam("after");
        Instant afterCreated = null;
        UUID afterId = null;
        if (after != null) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8).split("\\|");
                afterCreated = Instant.parse(parts[0]);
                afterId = UUID.fromString(parts[1]);
            } catch (RuntimeException e) {
                throw new ApiException.BadRequest("'after' is not a cursor returned by this endpoint");
            }
        }
        String onlineParam = ctx.request().getParam("online");
        Boolean online = null;
        if (onlineParam != null) {
            if (!onlineParam.equals("true") && !onlineParam.equals("false")) {
                throw new ApiException.BadRequest("'online' must be true or false");
            }
            online = Boolean.parseBoolean(onlineParam);
        }
        reply(ctx, 200, devices.list(limit, afterCreated, afterId, online).map(page -> {
            JsonArray items = new JsonArray();
            page.forEach(d -> items.add(view(d)));
            JsonObject out = new JsonObject().put("items", items);
            if (page.size() == limit) {
                Device last = page.getLast();
                out.put("next", Base64.getUrlEncoder().withoutPadding().encodeToString(
                        (last.createdAt() + "|" + last.id()).getBytes(StandardCharsets.UTF_8)));
            }
            return out;
        }));
    }

    private void get(RoutingContext ctx) {
        DeviceId id = deviceId(ctx);
        reply(ctx, 200, devices.find(id).map(d -> view(d.orElseThrow(() -> new ApiException.NotFound("no device " + id)))));
    }

    /** {@code PATCH}: {@code labels} (replaced whole) and {@code commandOrdering} ({@code burst} or {@code sequential}). */
    private void update(RoutingContext ctx) {
        DeviceId id = deviceId(ctx);
        JsonObject body = Json.body(ctx);
        Json.onlyFields(body, java.util.Set.of("labels", "commandOrdering"));
        JsonObject labels = body.containsKey("labels") ? new JsonObject(new java.util.LinkedHashMap<>(Json.labels(body))) : null;
        String ordering = Json.string(body, "commandOrdering", 16, false);
        if (ordering != null && !ordering.equals("burst") && !ordering.equals("sequential")) {
            throw new ApiException.BadRequest("'commandOrdering' must be burst or sequential");
        }
        JsonObject change = new JsonObject();
        if (labels != null) {
            change.put("labels", labels);
        }
        if (ordering != null) {
            change.put("commandOrdering", ordering);
        }
        reply(ctx, 200, devices.update(id, labels, ordering).compose(found -> {
            if (!found) {
                return Future.failedFuture(new ApiException.NotFound("no device " + id));
            }
            return events.record(id, io.fleetwire.hub.event.DeviceEventKind.UPDATED, change)
                    .compose(v -> devices.find(id)).map(d -> view(d.orElseThrow(() -> new ApiException.NotFound("no device " + id))));
        }));
    }

    private void delete(RoutingContext ctx) {
        service.delete(deviceId(ctx)).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
    }

    private void events(RoutingContext ctx) {
        DeviceId id = deviceId(ctx);
        int limit = queryInt(ctx, "limit", 1, 1000, 100);
        reply(ctx, 200, events.recent(id, limit).map(items -> new JsonObject().put("items", items)));
    }

    private void createEnrollment(RoutingContext ctx) {
        JsonObject body = Json.body(ctx);
        String name = Json.string(body, "name", 128, true);
        Integer ttl = Json.integer(body, "ttlSeconds", 60, 366 * 86_400);
        Integer maxUses = Json.integer(body, "maxUses", 1, 1_000_000);
        UUID id = UUID.randomUUID();
        String token = Tokens.generate(Tokens.ENROLLMENT);
        Instant expires = ttl == null ? null : Instant.now().plusSeconds(ttl);
        reply(ctx, 201, enrollments.insert(id, name, Tokens.hash(token), expires, maxUses)
                .map(v -> new JsonObject().put("id", id.toString()).put("name", name).put("token", token)
                        .put("expiresAt", expires == null ? null : expires.toString()).put("maxUses", maxUses)));
    }

    private void revokeEnrollment(RoutingContext ctx) {
        UUID id;
        try {
            id = UUID.fromString(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw new ApiException.NotFound("no enrollment token " + ctx.pathParam("id"));
        }
        enrollments.revoke(id).onSuccess(done -> {
            if (done) {
                ctx.response().setStatusCode(204).end();
            } else {
                ctx.fail(new ApiException.NotFound("no active enrollment token " + id));
            }
        }).onFailure(ctx::fail);
    }

    /**
     * {@code POST /api/v1/register}: {@code {"hostname":..,"agentId":..,"name":..,"os":{..},
     * "sensors":[..],"fans":[..],"labels":{..}}} with the enrollment token as bearer.
     */
    private void register(RoutingContext ctx) {
        String token = Tokens.bearer(ctx.request().getHeader("Authorization"));
        JsonObject body;
        try {
            body = Json.body(ctx);
        } catch (ApiException.BadRequest e) {
            // Without a header token the body was the only place left for one: the request is unauthenticated.
            if (token == null) {
                throw new ApiException.Unauthorized("an enrollment token is required (Authorization: Bearer <token>)");
            }
            throw e;
        }
        if (token == null) {
            token = Json.string(body, "enrollmentToken", 512, false);
        }
        if (token == null) {
            throw new ApiException.Unauthorized("an enrollment token is required (Authorization: Bearer <token>)");
        }
        String hostname = Json.string(body, "hostname", 253, true);
        String agentId = Json.string(body, "agentId", 128, false);
        String name = Json.string(body, "name", 128, false);
        JsonObject capabilities = Json.object(body, "capabilities").copy();
        for (String key : List.of("os", "sensors", "fans", "commands")) {
            Object v = body.getValue(key);
            if (v != null) {
                if (!(v instanceof JsonObject) && !(v instanceof JsonArray)) {
                    throw new ApiException.BadRequest("'" + key + "' must be an object or an array");
                }
                capabilities.put(key, v);
            }
        }
        var labels = Json.labels(body);
        reply(ctx, 0, service.register(token, hostname, agentId, name, capabilities, labels).map(issued -> {
            ctx.response().setStatusCode(issued.created() ? 201 : 200);
            return issued.toJson();
        }));
    }

    private JsonObject view(Device d) {
        Instant lastSeen = presence.session(d.id()).map(Session::lastSeen).orElse(d.lastSeen());
        return d.toJson(presence.isOnline(d.id()), lastSeen);
    }
}
