package io.fleetwire.hub.telemetry;

import io.fleetwire.hub.api.ApiException;
import io.fleetwire.hub.device.DeviceRepository;
import io.fleetwire.protocol.DeviceId;
import io.fleetwire.protocol.MetricName;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import static io.fleetwire.hub.api.Requests.deviceId;
import static io.fleetwire.hub.api.Requests.queryInt;
import static io.fleetwire.hub.api.Requests.reply;

/**
 * {@code GET /api/v1/devices/{id}/telemetry?metric=&from=&to=&limit=}: one metric's points, or
 * without {@code metric} whole samples, in [from, to) oldest first. Times are ISO-8601 or epoch
 * milliseconds; the default window is the last 24 hours.
 */
public final class TelemetryEndpoint {

    private final TelemetryService telemetry;
    private final DeviceRepository devices;

    public TelemetryEndpoint(TelemetryService telemetry, DeviceRepository devices) {
        this.telemetry = telemetry;
        this.devices = devices;
    }

    public void mount(Router router, Handler<RoutingContext> admin) {
        router.get("/api/v1/devices/:id/telemetry").handler(admin).handler(this::query);
    }

    private void query(RoutingContext ctx) {
        DeviceId id = deviceId(ctx);
        String metric = ctx.request().getParam("metric");
        if (metric != null && !MetricName.isValid(metric)) {
            throw new ApiException.BadRequest("'metric' must be 1–128 of letters, digits and . _ - : /");
        }
        Instant to = time(ctx, "to", Instant.now().plusSeconds(1));
        Instant from = time(ctx, "from", to.minus(Duration.ofDays(1)));
        if (!from.isBefore(to)) {
            throw new ApiException.BadRequest("'from' must be before 'to'");
        }
        int limit = queryInt(ctx, "limit", 1, 10_000, 1_000);
        reply(ctx, 200, devices.find(id).compose(found -> {
            if (found.isEmpty()) {
                throw new ApiException.NotFound("no device " + id);
            }
            JsonObject out = new JsonObject().put("deviceId", id.toString()).put("from", from.toString())
                    .put("to", to.toString());
            if (metric != null) {
                return telemetry.series(id, metric, from, to, limit).map(points -> out.put("metric", metric).put("points", points));
            }
            return telemetry.samples(id, from, to, limit).map(samples -> out.put("samples", samples));
        }));
    }

    private static Instant time(RoutingContext ctx, String name, Instant dflt) {
        String v = ctx.request().getParam(name);
        if (v == null) {
            return dflt;
        }
        try {
            return v.chars().allMatch(Character::isDigit) && !v.isEmpty() && v.length() < 16
                    ? Instant.ofEpochMilli(Long.parseLong(v)) : Instant.parse(v);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new ApiException.BadRequest("'" + name + "' must be an ISO-8601 instant or epoch milliseconds");
        }
    }
}
