package io.fleetwire.hub;

import io.fleetwire.hub.agent.AgentEndpoint;
import io.fleetwire.hub.api.ApiErrors;
import io.fleetwire.hub.artifact.ArtifactEndpoint;
import io.fleetwire.hub.artifact.ArtifactStore;
import io.fleetwire.hub.audit.AuditEndpoint;
import io.fleetwire.hub.audit.AuditLog;
import io.fleetwire.hub.auth.AdminAuth;
import io.fleetwire.hub.auth.DeviceAuth;
import io.fleetwire.hub.command.AgentCommandEndpoint;
import io.fleetwire.hub.command.CommandEndpoint;
import io.fleetwire.hub.command.Commands;
import io.fleetwire.hub.bus.LocalBus;
import io.fleetwire.hub.config.HubConfig;
import io.fleetwire.hub.config.HubTuning;
import io.fleetwire.hub.db.Database;
import io.fleetwire.hub.device.DeviceEndpoint;
import io.fleetwire.hub.device.DeviceRepository;
import io.fleetwire.hub.device.DeviceService;
import io.fleetwire.hub.device.EnrollmentRepository;
import io.fleetwire.hub.event.EventLog;
import io.fleetwire.hub.ops.HubMetrics;
import io.fleetwire.hub.ops.OpsEndpoint;
import io.fleetwire.hub.presence.PresenceRegistry;
import io.fleetwire.hub.presence.PresenceSweeper;
import io.fleetwire.hub.settings.DeviceSettings;
import io.fleetwire.hub.settings.SettingsEndpoint;
import io.fleetwire.hub.telemetry.TelemetryEndpoint;
import io.fleetwire.hub.telemetry.TelemetryService;
import io.fleetwire.protocol.CloseCode;
import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.MessageCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running hub: wires the features together, serves HTTP and WebSockets, and shuts down in order
 * (stop accepting, close device sockets with 1001, flush telemetry, stop the database).
 */
public final class Hub implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final HubConfig config;
    private final Vertx vertx;
    private final DataDirLock lock;
    private final Database database;
    private final TelemetryService telemetry;
    private final PresenceRegistry presence;
    private final PresenceSweeper sweeper;
    private final Commands commands;
    private final List<HttpServer> servers;
    private final HubMetrics metrics;
    /** Set on shutdown: new device sockets get 503 and /health reports draining. */
    private final AtomicBoolean draining;
    private volatile boolean stopped;

    private Hub(HubConfig config, Vertx vertx, DataDirLock lock, Database database, TelemetryService telemetry,
                PresenceRegistry presence, PresenceSweeper sweeper, Commands commands, List<HttpServer> servers,
                HubMetrics metrics, AtomicBoolean draining) {
        this.commands = commands;
        this.config = config;
        this.vertx = vertx;
        this.lock = lock;
        this.database = database;
        this.telemetry = telemetry;
        this.presence = presence;
        this.sweeper = sweeper;
        this.servers = List.copyOf(servers);
        this.metrics = metrics;
        this.draining = draining;
    }

    /** Starts a hub and returns once it serves. Blocking. */
    public static Hub start(HubConfig config) {
        return start(config, HubTuning.DEFAULTS);
    }

    /** Starts a hub with internal limits other than the defaults (tests). Blocking. */
    public static Hub start(HubConfig config, HubTuning tuning) {
        DataDirLock lock = DataDirLock.acquire(config.dataDir());
        Vertx vertx = Vertx.vertx();
        Database database = null;
        try {
            AdminAuth admin = AdminAuth.load(config.adminToken(), config.dataDir());
            database = Database.open(vertx, config.dbUrl(), config.dataDir(), config.dbPoolSize());
            return wire(config, tuning, vertx, lock, database, admin);
        } catch (RuntimeException e) {
            if (database != null) {
                database.close();
            }
            await(vertx.close(), TimeUnit.SECONDS.toMillis(30));
            lock.close();
            throw e;
        }
    }

    private static Hub wire(HubConfig config, HubTuning tuning, Vertx vertx, DataDirLock lock, Database database, AdminAuth admin) {
        var pool = database.pool();
        HubMetrics metrics = new HubMetrics();
        MessageCodec codec = new MessageCodec();
        LocalBus bus = new LocalBus();
        EventLog events = new EventLog(pool, bus);
        AuditLog audit = new AuditLog(pool);
        DeviceRepository devices = new DeviceRepository(pool, database.authClient());
        PresenceRegistry presence = new PresenceRegistry(vertx, pool, devices, events, metrics, tuning.batches());
        TelemetryService telemetry = new TelemetryService(vertx, pool, database.telemetryPool(), codec, metrics, config.telemetryQueue(),
                config.telemetryBatch(), config.latestStateEvery(), config.retentionDays(), Clock.systemUTC());
        await(telemetry.start(), TimeUnit.SECONDS.toMillis(60));
        int reset = await(presence.resetAfterRestart(), TimeUnit.SECONDS.toMillis(60));
        if (reset > 0) {
            log.info("Marked {} devices offline that were online when the hub last stopped", reset);
        }
        ArtifactStore artifacts = new ArtifactStore(pool, audit);
        Commands commands = new Commands(vertx, pool, bus, audit, presence, metrics, config.commandAckTimeout(),
                config.commandResultTimeout(), artifacts::sha256);
        await(commands.start(), TimeUnit.SECONDS.toMillis(60));
        Message.Settings defaults = new Message.Settings(1, (int) config.heartbeat().toSeconds(), config.missedHeartbeats(),
                (int) config.telemetryInterval().toSeconds(), config.maxMessageBytes());
        DeviceSettings settings = new DeviceSettings(vertx, pool, bus, audit, presence, defaults, tuning.batches());
        await(settings.start(), TimeUnit.SECONDS.toMillis(60));
        PresenceSweeper sweeper = new PresenceSweeper(vertx, presence, devices, config.heartbeat(), config.presenceTimeout());

        AtomicBoolean draining = new AtomicBoolean();
        Router router = Router.router(vertx);
        DeviceAuth deviceAuth = new DeviceAuth(devices);
        // Uploads first: they have their own body limit, larger than the one every other route gets.
        new ArtifactEndpoint(artifacts).mount(router, admin, admin.orElse(deviceAuth));
        router.route("/api/*").handler(BodyHandler.create().setBodyLimit(1 << 20));
        EnrollmentRepository enrollments = new EnrollmentRepository(pool);
        DeviceService deviceService = new DeviceService(pool, devices, enrollments, presence, events);
        new DeviceEndpoint(deviceService, devices, enrollments, presence, events).mount(router, admin);
        new TelemetryEndpoint(telemetry, devices).mount(router, admin);
        new CommandEndpoint(commands, config.commandTtlSeconds()).mount(router, admin);
        new AgentCommandEndpoint(commands.service(), codec).mount(router, deviceAuth);
        new AuditEndpoint(audit).mount(router, admin);
        new SettingsEndpoint(settings).mount(router, admin, deviceAuth);
        AgentEndpoint agents = new AgentEndpoint(new AgentEndpoint.Config(config.deviceRate(), config.deviceBurst(),
                tuning.maxUpgradesInProgress(), config.maxMessageBytes()), codec, telemetry, presence,
                devices, metrics, settings, commands, draining::get);
        agents.mount(router);
        new OpsEndpoint(pool, metrics, draining::get, presence::count).mount(router);
        router.route().last().handler(ctx -> ctx.fail(404));
        router.route().failureHandler(ApiErrors::handle);

        // Port 0 (any free port) becomes -1: Vert.x's "one random port shared by every server asking for -1".
        HttpServerOptions options = new HttpServerOptions()
                .setPort(config.port() == 0 ? -1 : config.port())
                .setHost(config.host())
                .setMaxWebSocketFrameSize(config.maxMessageBytes())
                .setMaxWebSocketMessageSize(config.maxMessageBytes())
                .setIdleTimeout(0);
        switch (config.compression()) {
            case OFF -> options.setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false);
            case NO_CONTEXT_TAKEOVER -> options.setPerMessageWebSocketCompressionSupported(true)
                    .setPerFrameWebSocketCompressionSupported(false)
                    .setWebSocketAllowServerNoContext(true)
                    .setWebSocketPreferredClientNoContext(true);
            case ON -> options.setPerMessageWebSocketCompressionSupported(true);
        }
        // One server per event loop on the same port: Vert.x hands each accepted socket to the next one, so
        // sockets, their frames and their database callbacks spread over the cores (one server is one loop).
        // Each from a verticle of its own: a deployment gets the next event loop (calls from this thread would
        // all land on one context, the one Vert.x keeps for a non-Vert.x thread).
        List<HttpServer> servers = new ArrayList<>();
        for (int i = 0; i < tuning.eventLoops(); i++) {
            ServerVerticle v = new ServerVerticle(() -> vertx.createHttpServer(options).requestHandler(agents.inFrontOf(router)));
            await(vertx.deployVerticle(v), TimeUnit.SECONDS.toMillis(30));
            servers.add(v.server());
        }
        sweeper.start();
        Hub hub = new Hub(config, vertx, lock, database, telemetry, presence, sweeper, commands, servers, metrics, draining);
        log.info("Fleetwire hub listening on {}:{} with {} event loops ({} PostgreSQL at {})", config.host(), servers.getFirst().actualPort(),
                servers.size(), database.embedded() ? "embedded" : "external", database.url());
        return hub;
    }

    /** Starts one HTTP server on the event loop of its deployment. */
    private static final class ServerVerticle extends io.vertx.core.VerticleBase {
        private final java.util.function.Supplier<HttpServer> factory;
        private volatile HttpServer server;

        ServerVerticle(java.util.function.Supplier<HttpServer> factory) {
            this.factory = factory;
        }

        @Override
        public Future<?> start() {
            server = factory.get();
            return server.listen();
        }

        HttpServer server() {
            return server;
        }
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return servers.getFirst().actualPort();
    }

    public HubConfig config() {
        return config;
    }

    /** The command feature, for tests that drive its clock. */
    public Commands commands() {
        return commands;
    }

    public HubMetrics metrics() {
        return metrics;
    }

    /**
     * Graceful stop: refuse new sockets and report draining on /health, close device sockets with
     * 1001, wait for queued telemetry to commit, stop serving, stop the database.
     */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        draining.set(true);
        Duration grace = config.shutdownGrace();
        log.info("Hub stopping: closing {} device sockets, flushing {} queued telemetry messages",
                presence.count(), telemetry.queueDepth());
        sweeper.stop();
        commands.stop();
        presence.sessions().forEach(s -> s.close(CloseCode.GOING_AWAY));
        try {
            await(telemetry.drain(), Math.max(1, grace.toMillis()));
        } catch (RuntimeException e) {
            log.warn("Telemetry not fully flushed within {} s: {}", grace.toSeconds(), e.toString());
        }
        telemetry.stop();
        try {
            await(Future.all(servers.stream().map(HttpServer::close).toList()), TimeUnit.SECONDS.toMillis(10));
        } catch (RuntimeException e) {
            log.warn("HTTP server did not close cleanly: {}", e.toString());
        }
        // Let close handlers record the devices as offline before the pool goes.
        waitUntil(() -> presence.count() == 0, Duration.ofSeconds(2));
        try {
            await(presence.drain(), TimeUnit.SECONDS.toMillis(5));
        } catch (RuntimeException e) {
            log.warn("Presence changes not fully stored: {}", e.toString());
        }
        database.close();
        await(vertx.close(), TimeUnit.SECONDS.toMillis(10));
        lock.close();
        log.info("Hub stopped");
    }

    /** Blocks for a future's result; a timeout or failure becomes an unchecked exception. */
    private static <T> T await(Future<T> future, long millis) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out after " + millis + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

}
