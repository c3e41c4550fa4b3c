package io.fleetwire.hub.command;

import io.fleetwire.hub.api.ApiException;
import io.fleetwire.hub.api.Requests;
import io.fleetwire.hub.api.Idempotency;
import io.fleetwire.hub.api.Json;
import io.fleetwire.hub.config.HubConfig;
import io.fleetwire.protocol.CommandStatus;
import io.fleetwire.protocol.DeviceId;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.fleetwire.hub.api.Requests.actor;
import static io.fleetwire.hub.api.Requests.deviceId;
import static io.fleetwire.hub.api.Requests.queryInt;
import static io.fleetwire.hub.api.Requests.reply;
import static io.fleetwire.hub.api.Requests.uuidParam;

/**
 * Operator REST for commands, jobs and command types (admin token):
 * {@code /api/v1/devices/{id}/commands}, {@code /api/v1/commands}, {@code /api/v1/jobs},
 * {@code /api/v1/command-types}.
 */
public final class CommandEndpoint {

    private static final Set<String> COMMAND_FIELDS = Set.of("type", "params", "ttlSeconds");
    private static final Set<String> JOB_FIELDS = Set.of("type", "params", "ttlSeconds", "target", "rollout", "abort");
    private static final int MAX_TARGETS = 10_000;

    private final Commands commands;
    private final int defaultTtl;

    public CommandEndpoint(Commands commands, int defaultTtlSeconds) {
        this.commands = commands;
        this.defaultTtl = defaultTtlSeconds;
    }

    public void mount(Router router, Handler<RoutingContext> admin) {
        router.post("/api/v1/devices/:id/commands").handler(admin).handler(this::create);
        router.get("/api/v1/devices/:id/commands").handler(admin).handler(this::list);
        router.post("/api/v1/commands").handler(admin).handler(this::createJob);
        router.get("/api/v1/commands/:id").handler(admin).handler(ctx ->
                reply(ctx, 200, commands.service().get(commandId(ctx)).map(Command::toJson)));
        router.post("/api/v1/commands/:id/cancel").handler(admin).handler(ctx ->
                reply(ctx, 200, commands.service().cancel(commandId(ctx), actor(ctx)).map(Command::toJson)));
        router.get("/api/v1/jobs").handler(admin).handler(ctx -> reply(ctx, 200, commands.jobs()
                .list(queryInt(ctx, "limit", 1, 500, 50))
                .map(jobs -> new JsonObject().put("items", new JsonArray(jobs.stream().map(Job::toJson).toList())))));
        router.get("/api/v1/jobs/:id").handler(admin).handler(ctx ->
                reply(ctx, 200, commands.jobs().get(uuidParam(ctx, "id", "job")).map(Job::toJson)));
        router.post("/api/v1/jobs/:id/cancel").handler(admin).handler(ctx ->
                reply(ctx, 200, commands.jobs().cancel(uuidParam(ctx, "id", "job"), actor(ctx)).map(Job::toJson)));
        router.get("/api/v1/command-types").handler(admin).handler(ctx ->
                reply(ctx, 200, Future.succeededFuture(new JsonObject().put("items", commands.types().list()))));
        router.get("/api/v1/command-types/:name").handler(admin).handler(ctx -> reply(ctx, 200, Future.succeededFuture(
                commands.types().get(ctx.pathParam("name")).orElseThrow(() ->
                        new ApiException.NotFound("no command type " + CommandTypeRegistry.clip(ctx.pathParam("name")))))));
        router.put("/api/v1/command-types/:name").handler(admin).handler(this::putType);
        router.delete("/api/v1/command-types/:name").handler(admin).handler(ctx ->
                commands.types().delete(ctx.pathParam("name"), actor(ctx))
                        .onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail));
    }

    private void create(RoutingContext ctx) {
        DeviceId device = deviceId(ctx);
        JsonObject body = Json.body(ctx);
        Json.onlyFields(body, COMMAND_FIELDS);
        String type = Json.string(body, "type", 64, true);
        JsonObject params = Json.object(body, "params");
        int ttl = ttl(body);
        Idempotency.Key key = Idempotency.of(ctx, "device-command:" + device);
        commands.service().create(device, type, params, ttl, actor(ctx), key).onSuccess(created -> {
            created(ctx, created.replayed(), "/api/v1/commands/" + created.command().id(), created.command().toJson());
        }).onFailure(ctx::fail);
    }

    private void list(RoutingContext ctx) {
        DeviceId device = deviceId(ctx);
        int limit = queryInt(ctx, "limit", 1, 500, 100);
        Set<CommandStatus> statuses = statuses(ctx.request().getParam("status"));
        Long before = Requests.pageCursor(ctx, "before");
        reply(ctx, 200, commands.service().list(device, statuses, before, limit).map(list -> {
            JsonObject out = new JsonObject().put("items", new JsonArray(list.stream().map(Command::toJson).toList()));
            if (list.size() == limit) {
                out.put("next", String.valueOf(list.getLast().seq()));
            }
            return out;
        }));
    }

    private static Set<CommandStatus> statuses(String param) {
        if (param == null) {
            return null;
        }
        Set<CommandStatus> out = EnumSet.noneOf(CommandStatus.class);
        for (String s : param.split(",")) {
            try {
                out.add(CommandStatus.fromWire(s.trim()));
            } catch (IllegalArgumentException e) {
                throw new ApiException.BadRequest("'status' must be a comma-separated list of pending, sent, delivered, "
                        + "succeeded, failed, expired, cancelled");
            }
        }
        return out;
    }

    private void createJob(RoutingContext ctx) {
        JsonObject body = Json.body(ctx);
        Json.onlyFields(body, JOB_FIELDS);
        String type = Json.string(body, "type", 64, true);
        JsonObject params = Json.object(body, "params");
        int ttl = ttl(body);
        JobRepository.Target target = target(body);
        JsonObject rollout = Json.object(body, "rollout");
        Json.onlyFields(rollout, Set.of("perMinute"));
        Integer perMinute = Json.integer(rollout, "perMinute", 1, 1_000_000);
        JsonObject abort = Json.object(body, "abort");
        Json.onlyFields(abort, Set.of("failurePercent", "minFinished"));
        Double pct = null;
        Object p = abort.getValue("failurePercent");
        if (p != null) {
            if (!(p instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() >= 100) {
                throw new ApiException.BadRequest("'abort.failurePercent' must be a number from 0 to below 100");
            }
            pct = n.doubleValue();
        }
        Integer min = Json.integer(abort, "minFinished", 1, JobService.MAX_DEVICES);
        if (min != null && pct == null) {
            throw new ApiException.BadRequest("'abort.minFinished' needs 'abort.failurePercent'");
        }
        var spec = new JobService.Spec(type, params, ttl, target, perMinute, pct, min);
        commands.jobs().create(spec, actor(ctx), Idempotency.of(ctx, "job")).onSuccess(created -> {
            created(ctx, created.replayed(), "/api/v1/jobs/" + created.job().id(), created.job().toJson());
        }).onFailure(ctx::fail);
    }

    private static JobRepository.Target target(JsonObject body) {
        Object t = body.getValue("target");
        if (!(t instanceof JsonObject target) || target.size() != 1) {
            throw new ApiException.BadRequest("'target' must be an object with exactly one of 'deviceIds', 'labels', 'hostnames'");
        }
        if (target.containsKey("deviceIds")) {
            List<UUID> ids = new ArrayList<>(new LinkedHashSet<>(strings(target, "deviceIds", 36).stream().map(s -> {
                try {
                    return DeviceId.parse(s).value();
                } catch (IllegalArgumentException e) {
                    throw new ApiException.BadRequest("'target.deviceIds' holds '" + CommandTypeRegistry.clip(s) + "', not a device id");
                }
            }).toList()));
            return new JobRepository.Target(ids, null, null);
        }
        if (target.containsKey("labels")) {
            var labels = Json.labels(target);
            if (labels.isEmpty()) {
                throw new ApiException.BadRequest("'target.labels' must name at least one label");
            }
            return new JobRepository.Target(null, new JsonObject(new java.util.LinkedHashMap<>(labels)), null);
        }
        if (target.containsKey("hostnames")) {
            return new JobRepository.Target(null, null, List.copyOf(new LinkedHashSet<>(strings(target, "hostnames", 253))));
        }
        throw new ApiException.BadRequest("'target' must have one of 'deviceIds', 'labels', 'hostnames'");
    }

    private static List<String> strings(JsonObject o, String field, int maxLength) {
        Object v = o.getValue(field);
        if (!(v instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_TARGETS) {
            throw new ApiException.BadRequest("'target." + field + "' must be an array of 1 to " + MAX_TARGETS + " strings");
        }
        List<String> out = new ArrayList<>();
        for (Object e : array) {
            if (!(e instanceof String s) || s.isEmpty() || s.length() > maxLength) {
                throw new ApiException.BadRequest("'target." + field + "' must hold non-empty strings of at most "
                        + maxLength + " characters");
            }
            out.add(s);
        }
        return out;
    }

    private int ttl(JsonObject body) {
        Integer ttl = Json.integer(body, "ttlSeconds", 1, HubConfig.MAX_COMMAND_TTL_SECONDS);
        return ttl == null ? defaultTtl : ttl;
    }

    private void putType(RoutingContext ctx) {
        JsonObject body = Json.body(ctx);
        Json.onlyFields(body, Set.of("description", "schema"));
        String description = Json.string(body, "description", 1_000, false);
        Object schema = body.getValue("schema");
        if (!(schema instanceof JsonObject s)) {
            throw new ApiException.BadRequest("'schema' is required: a JSON schema (draft 2020-12) object for the params");
        }
        String name = ctx.pathParam("name");
        commands.types().put(name, description, s, actor(ctx)).onSuccess(created ->
                ctx.response().setStatusCode(created ? 201 : 200).putHeader("content-type", "application/json")
                        .end(commands.types().get(name).orElseThrow().encode())).onFailure(ctx::fail);
    }

    /** 201 with the resource and its Location; a replayed Idempotency-Key answers the same, marked as a replay. */
    private static void created(RoutingContext ctx, boolean replayed, String location, JsonObject body) {
        if (replayed) {
            ctx.response().putHeader("Idempotent-Replayed", "true");
        }
        ctx.response().setStatusCode(201).putHeader("content-type", "application/json").putHeader("Location", location)
                .end(body.encode());
    }

    static io.fleetwire.protocol.CommandId commandId(RoutingContext ctx) {
        return new io.fleetwire.protocol.CommandId(uuidParam(ctx, "id", "command"));
    }
}
