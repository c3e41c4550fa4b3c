package io.fleetwire.hub.agent;

import io.fleetwire.hub.api.ApiErrors;
import io.fleetwire.hub.auth.Tokens;
import io.fleetwire.hub.command.Commands;
import io.fleetwire.hub.device.DeviceRepository;
import io.fleetwire.hub.ops.HubMetrics;
import io.fleetwire.hub.presence.PresenceRegistry;
import io.fleetwire.hub.telemetry.TelemetryService;
import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.MessageCodec;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BooleanSupplier;

/**
 * {@code /ws/agent}: the device socket. The device token is checked before the upgrade (header
 * {@code Authorization: Bearer}, or query parameter {@code token}); a missing, unknown or revoked
 * token gets HTTP 401 and no socket.
 */
public final class AgentEndpoint {

    private static final Logger log = LoggerFactory.getLogger(AgentEndpoint.class);
    public static final String PATH = "/ws/agent";

    /**
     * Per-connection limits, and how many upgrades (token lookup, then the connect stored) may be in
     * progress at once: the ones over it are answered 503 at once (with Retry-After) instead of
     * queueing without bound in the database pool, where at 10,000 devices they timed out together
     * and the devices retried together.
     */
    public record Config(int deviceRate, int deviceBurst, int maxUpgradesInProgress, int maxMessageBytes) {
    }

    /** How long a socket waits for the device's close frame after sending its own (Vert.x's default). */
    static final java.time.Duration CLOSING_TIMEOUT = java.time.Duration.ofSeconds(10);

    private final DeviceRepository devices;
    private final AgentConnection.AgentContext context;
    private final BooleanSupplier draining;
    private final int maxAdmitting;
    private final RetryAfter retryAfter;

    public AgentEndpoint(Config config, MessageCodec codec, TelemetryService telemetry, PresenceRegistry presence,
                         DeviceRepository devices, HubMetrics metrics, io.fleetwire.hub.settings.DeviceSettings settings,
                         Commands commands, BooleanSupplier draining) {
        this.devices = devices;
        this.context = new AgentConnection.AgentContext(config, codec, telemetry, presence, devices, metrics, settings,
                commands);
        this.draining = draining;
        this.maxAdmitting = config.maxUpgradesInProgress();
        this.retryAfter = new RetryAfter(maxAdmitting, System.nanoTime());
        metrics.gauge("fleetwire_devices_connected", "Device sockets open on this hub", presence::count);
        metrics.describe("fleetwire_device_frames_rejected_total", "Device frames answered with an error frame, by code");
        metrics.describe("fleetwire_device_closes_total", "Device sockets closed for a reason, by close code");
        metrics.describe("fleetwire_device_upgrades_refused_total", "Device upgrades answered 503 because too many were in progress");
        metrics.gauge("fleetwire_device_upgrades_in_progress", "Device upgrades between the token lookup and the connect stored",
                admitting::get);
    }

    private final java.util.concurrent.atomic.AtomicInteger admitting = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * The HTTP server's request handler: {@code GET /ws/agent} is served here, every other request by the
     * router. The device socket is served before the router because the router hands out wrapped requests,
     * whose sockets {@link DeviceChannel#takeOver} cannot take over; other methods on the path get the
     * router's 405 (see {@link #mount}).
     */
    public Handler<HttpServerRequest> inFrontOf(Router router) {
        return request -> {
            String path = request.path();
            if (request.method() == HttpMethod.GET && (PATH.equals(path) || (PATH + "/").equals(path))) {
                upgrade(request);
            } else {
                router.handle(request);
            }
        };
    }

    /** The path's other methods: 405, as for any route that exists with another method. */
    public void mount(Router router) {
        router.route(PATH).handler(ctx -> ctx.fail(405));
    }

    private void upgrade(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        if (draining.getAsBoolean()) {
            ApiErrors.send(response, 503, "unavailable", "hub is shutting down; reconnect later");
            return;
        }
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            ApiErrors.send(response, 400, "bad_request", "expected a WebSocket upgrade");
            return;
        }
        String token = Tokens.bearer(request.getHeader("Authorization"));
        if (token == null) {
            token = request.getParam("token");
        }
        if (token == null || token.isEmpty() || token.length() > 512) {
            ApiErrors.send(response, 401, "unauthorized", "a device token is required");
            return;
        }
        if (admitting.incrementAndGet() > maxAdmitting) {
            admitting.decrementAndGet();
            context.metrics().increment("fleetwire_device_upgrades_refused_total", "reason=\"busy\"");
            response.putHeader("Retry-After", Integer.toString(retryAfter.refused(System.nanoTime())));
            ApiErrors.send(response, 503, "unavailable", "the hub is busy connecting other devices; retry in a moment");
            return;
        }
        request.pause();
        devices.findByToken(Tokens.hash(token)).onComplete(ar -> {
            if (ar.failed()) {
                admitting.decrementAndGet();
                log.warn("Device token lookup failed: {}", ar.cause().toString());
                ApiErrors.send(response, 503, "unavailable", "cannot check the token now; retry later");
                return;
            }
            if (ar.result().isEmpty()) {
                admitting.decrementAndGet();
                ApiErrors.send(response, 401, "unauthorized", "unknown or revoked device token");
                return;
            }
            request.toWebSocket()
                    .onSuccess(ws -> new AgentConnection(ws, ar.result().get(), context).start()
                            .onComplete(done -> {
                                admitting.decrementAndGet();
                                retryAfter.admitted(System.nanoTime());
                            }))
                    .onFailure(e -> {
                        admitting.decrementAndGet();
                        log.debug("Upgrade failed: {}", e.toString());
                    });
        });
    }
}
