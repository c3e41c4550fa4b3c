package io.fleetwire.agent;

import io.fleetwire.agent.internal.AgentRuntime;
import io.fleetwire.agent.internal.HubUris;
import io.fleetwire.agent.internal.SettingsFile;
import io.fleetwire.agent.internal.command.CommandRunner;
import io.fleetwire.agent.internal.command.SeenCommands;
import io.fleetwire.agent.internal.connection.Backoff;
import io.fleetwire.agent.internal.connection.HubConnection;
import io.fleetwire.agent.internal.history.HistoryConfig;
import io.fleetwire.agent.internal.history.HistoryRequestHandler;
import io.fleetwire.agent.internal.history.HistoryStore;
import io.fleetwire.agent.internal.outbox.MemoryOutbox;
import io.fleetwire.agent.internal.outbox.Outbox;
import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.ParamsSchema;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A device's connection to a Fleetwire hub: one WebSocket, kept up through network loss and hub
 * restarts, over which the agent reports telemetry and runs the commands it is sent, each at most
 * once. Build one with {@link #builder()}, {@link #start()} it, {@link #close()} it when done.
 *
 * <pre>{@code
 * HubAgent agent = HubAgent.builder()
 *         .hub(URI.create("http://hub.example:8080"))
 *         .token(deviceToken)
 *         .stateDir(Path.of("/var/lib/my-device"))
 *         .handler("buzz", request -> CommandOutcome.succeeded(null))
 *         .build();
 * agent.start();
 * }</pre>
 *
 * Thread-safe.
 */
public final class HubAgent implements AutoCloseable {

    private final AgentRuntime runtime;
    private final HubConnection connection;
    private final CommandRunner runner;
    private final SeenCommands seen;
    private final Outbox outbox;
    private final TelemetrySource telemetrySource;
    /** The device's own telemetry history (null unless {@link Builder#history(boolean)}). */
    private final HistoryStore history;
    private final io.fleetwire.agent.internal.poll.FallbackPoller poller;
    /** Set in code on the builder: kept, instead of following the hub's setting of the same name. */
    private final boolean pinnedPollInterval;
    private final boolean pinnedQueueBudget;
    private final io.fleetwire.agent.internal.update.SoftwareUpdate update;

    private HubAgent(Builder b) {
        // First: it is the one part that may refuse to open (an unwritable state dir) before any other holds files.
        this.history = b.history ? HistoryStore.open(HistoryConfig.defaults(b.stateDir.resolve("history"))
                .withLimits(b.historyMaxAge, b.historyMaxBytes), Clock.systemUTC()) : null;
        Map<String, CommandHandler> handlers = new HashMap<>(b.handlers);
        if (history != null) {
            handlers.putIfAbsent(HistoryRequestHandler.TYPE, new HistoryRequestHandler(history));
        }
        this.outbox = b.memoryQueue > 0 ? new MemoryOutbox(b.memoryQueue)
                : new io.fleetwire.agent.internal.outbox.DiskOutbox(io.fleetwire.agent.internal.queue.DiskQueueConfig
                .defaults(b.stateDir.resolve("queue")).withBudgetBytes(b.queueBudgetBytes));
        this.telemetrySource = history == null || b.telemetry == null ? b.telemetry : history.recording(b.telemetry);
        this.pinnedPollInterval = b.pinnedPollInterval;
        this.pinnedQueueBudget = b.pinnedQueueBudget;
        SettingsFile settingsFile = new SettingsFile(b.stateDir.resolve("settings.json"));
        this.runtime = new AgentRuntime(outbox, b.replayPerSecond, settingsFile.read().orElse(null), settingsFile::write);
        this.connection = new HubConnection(new HubConnection.Config(HubUris.socket(b.hub), b.token, b.backoffBase, b.backoffMax,
                Duration.ofSeconds(60), Duration.ofSeconds(10)), runtime, b.listener,
                new Backoff(b.backoffBase, b.backoffMax, new SecureRandom()));
        this.seen = new SeenCommands(b.stateDir.resolve("commands-started"), Clock.systemUTC());
        runtime.agentVersion(b.version);
        this.update = b.installDir == null ? null : new io.fleetwire.agent.internal.update.SoftwareUpdate(
                io.fleetwire.agent.internal.update.InstallLayout.open(b.installDir), b.stateDir, HubUris.http(b.hub), b.token,
                b.version, b.restart, runtime::result, seen::done);
        if (update != null) {
            handlers.putIfAbsent("software_update", update::handle);
            runtime.onWelcome(update::welcomed);
        }
        this.runner = new CommandRunner(handlers, b.schemas, b.allowed, seen, b.commandTimeout, Clock.systemUTC(),
                runtime::hubOffset, runtime::result, update == null ? id -> false : update::owns);
        this.poller = new io.fleetwire.agent.internal.poll.FallbackPoller(new io.fleetwire.agent.internal.poll.FallbackPoller.Config(
                HubUris.http(b.hub), b.token, b.fallbackAfter, b.pollInterval), connection::state, runner, outbox,
                runtime::settingsFromPoll);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Connects (in the background) and keeps connecting until {@link #close()}. */
    public void start() {
        if (update != null) {
            update.atStart();
        }
        runner.reportUnfinished();
        runtime.followSettings(s -> {
            if (!pinnedPollInterval) {
                poller.interval(Duration.ofSeconds(s.pollIntervalSeconds()));
            }
            if (!pinnedQueueBudget) {
                outbox.budgetBytes(s.queueBudgetBytes());
            }
        });
        runtime.start(connection, runner, telemetrySource);
        poller.start();
    }

    public ConnectionState state() {
        return connection.state();
    }

    /** The settings the hub last gave this device, if any yet (kept across restarts). */
    public java.util.Optional<Message.Settings> settings() {
        return java.util.Optional.ofNullable(runtime.settings());
    }

    /**
     * Queues samples as one telemetry message; it is sent now if connected, else after the next
     * connect, and kept until the hub acknowledges it. Returns its sequence number.
     */
    public long sendTelemetry(List<Message.Sample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        long seq = runtime.telemetry(samples);
        if (history != null) {
            samples.forEach(history::record);
        }
        return seq;
    }

    @Override
    public void close() {
        // Stop taking work, let the runner report what it holds into the still-open outbox, then close files.
        closeQuietly(poller);
        closeQuietly(connection);
        closeQuietly(runtime);
        closeQuietly(runner);
        if (history != null) {
            closeQuietly(history);
        }
        closeQuietly(seen);
        closeQuietly(outbox);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(HubAgent.class).warn("Closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
        }
    }

    /** Settings for a {@link HubAgent}; {@link #hub}, {@link #token} and {@link #stateDir} are required. */
    public static final class Builder {
        private URI hub;
        private String token;
        private Path stateDir;
        private ConnectionListener listener = (from, to, reason) -> { };
        private final Map<String, CommandHandler> handlers = new HashMap<>();
        private final Map<String, ParamsSchema> schemas = new HashMap<>();
        private Set<String> allowed;
        private Duration commandTimeout = Duration.ofMinutes(5);
        private Duration backoffBase = Duration.ofSeconds(5);
        private Duration backoffMax = Duration.ofSeconds(300);
        private int replayPerSecond = 15;
        private TelemetrySource telemetry;
        private long queueBudgetBytes = io.fleetwire.agent.internal.queue.DiskQueueConfig.DEFAULT_BUDGET_BYTES;
        private int memoryQueue;
        private Duration fallbackAfter = Duration.ofSeconds(60);
        private Duration pollInterval = Duration.ofMinutes(5);
        private boolean pinnedPollInterval;
        private boolean pinnedQueueBudget;
        private String version = io.fleetwire.agent.internal.AgentVersion.VALUE;
        private Path installDir;
        private Runnable restart;
        private boolean history;
        private Duration historyMaxAge = HistoryConfig.DEFAULT_MAX_AGE;
        private long historyMaxBytes = HistoryConfig.DEFAULT_MAX_BYTES;

        private Builder() {
        }

        /** The hub, e.g. {@code http://hub.example:8080}. */
        public Builder hub(URI hub) {
            this.hub = Objects.requireNonNull(hub, "hub");
            return this;
        }

        /** This device's token ({@code fwd_…}). */
        public Builder token(String token) {
            this.token = Objects.requireNonNull(token, "token");
            return this;
        }

        /** Where the agent keeps what must survive a restart (started command ids, the hub's settings). */
        public Builder stateDir(Path stateDir) {
            this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
            return this;
        }

        public Builder listener(ConnectionListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Runs commands of a built-in type (params are checked against its schema first). */
        public Builder handler(String type, CommandHandler handler) {
            handlers.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /** Runs commands of an operator-registered type, checking params against {@code schemaJson} first. */
        public Builder handler(String type, com.fasterxml.jackson.databind.JsonNode schemaJson, CommandHandler handler) {
            schemas.put(type, ParamsSchema.compile(schemaJson));
            return handler(type, handler);
        }

        /**
         * Adds a plug-in's command type (checked against its {@link CommandPlugin#paramsSchema} first).
         * Throws IllegalArgumentException for a type name that is not valid or already has a handler.
         */
        public Builder plugin(CommandPlugin plugin) {
            String type = plugin.type();
            if (type == null || !type.matches("[a-z][a-z0-9_]{0,63}")) {
                throw new IllegalArgumentException("plug-in " + plugin.getClass().getName() + " names the command type '" + type
                        + "' (1-64 of a-z 0-9 _, starting with a letter)");
            }
            if (handlers.containsKey(type)) {
                throw new IllegalArgumentException("plug-in " + plugin.getClass().getName() + ": '" + type + "' already has a handler");
            }
            com.fasterxml.jackson.databind.JsonNode schema = plugin.paramsSchema();
            if (schema != null && !io.fleetwire.protocol.BuiltInParams.isBuiltIn(type)) {
                try {
                    schemas.put(type, ParamsSchema.compile(schema));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("plug-in " + plugin.getClass().getName() + ": its params schema is not usable: "
                            + e.getMessage());
                }
            }
            return handler(type, plugin);
        }

        /** The local allow-list: only these command types run here; others fail with a clear result. */
        public Builder allowCommands(Set<String> types) {
            this.allowed = Set.copyOf(types);
            return this;
        }

        /** How long a handler may run before it is interrupted and the command fails (default 5 min). */
        public Builder commandTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("commandTimeout must be positive");
            }
            this.commandTimeout = timeout;
            return this;
        }

        /** Reconnect backoff: full jitter from {@code base} doubling up to {@code max} (default 5 s → 300 s). */
        public Builder backoff(Duration base, Duration max) {
            this.backoffBase = base;
            this.backoffMax = max;
            new Backoff(base, max, new SecureRandom());
            return this;
        }

        /** Most queued messages sent per second when replaying a backlog (default 15; the hub's default allowance is 20). */
        public Builder replayPerSecond(int perSecond) {
            if (perSecond < 1) {
                throw new IllegalArgumentException("replayPerSecond must be at least 1");
            }
            this.replayPerSecond = perSecond;
            return this;
        }

        /** Samples this device once per telemetry interval set by the hub (default: no telemetry). */
        public Builder telemetry(TelemetrySource source) {
            this.telemetry = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * Disk space for messages waiting for the hub (default: the hub's {@code queueBudgetBytes} setting,
         * 64 MiB until it has said; in {@code stateDir/queue}). When it is full the oldest telemetry is
         * dropped, and counted; command receipts and results never are. Set here, it no longer follows the hub.
         */
        public Builder queueBudgetBytes(long bytes) {
            if (bytes < 1 << 20) {
                throw new IllegalArgumentException("the queue budget must be at least 1 MiB");
            }
            this.queueBudgetBytes = bytes;
            this.pinnedQueueBudget = true;
            return this;
        }

        /**
         * Keeps waiting messages in memory (at most {@code capacity}) instead of on disk: they are lost
         * with the process. For simulators and tests that run many agents in one process.
         */
        public Builder inMemoryQueue(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be at least 1");
            }
            this.memoryQueue = capacity;
            return this;
        }

        /**
         * Fallback polling (seed 000): once the socket has been down for {@code after}, fetch commands
         * over HTTP every {@code interval} (defaults 60 s, and the hub's {@code pollIntervalSeconds}
         * setting, 5 min until it has said). Set here, the interval no longer follows the hub.
         */
        public Builder fallbackPolling(Duration after, Duration interval) {
            if (after.isNegative() || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("fallback polling needs a non-negative delay and a positive interval");
            }
            this.fallbackAfter = after;
            this.pollInterval = interval;
            this.pinnedPollInterval = true;
            return this;
        }

        /**
         * The version this agent reports to the hub (its hello) and updates from (default: the
         * Implementation-Version of the agent jar's manifest).
         */
        public Builder version(String version) {
            String problem = io.fleetwire.agent.internal.update.Versions.problem(version);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            this.version = version;
            return this;
        }

        /**
         * Lets {@code software_update} commands replace this agent (docs/agent.md): {@code installDir}
         * is a layout made by packaging/linux/install.sh ({@code versions/<version>/fleetwire-agent.jar},
         * a {@code current} link). The new version is downloaded, checked, staged and made current, then
         * {@code restart} is called: it must end this agent so that its supervisor starts the new
         * version, which reports the command {@code succeeded} once the hub welcomes it. Without this,
         * software_update is refused unless a handler is registered for it.
         */
        public Builder selfUpdate(Path installDir, Runnable restart) {
            this.installDir = Objects.requireNonNull(installDir, "installDir");
            this.restart = Objects.requireNonNull(restart, "restart");
            return this;
        }

        /**
         * Keeps this device's telemetry history and answers the hub's {@code history_request} command
         * from it (default: off). Every sample — from the {@link #telemetry} source and from
         * {@link HubAgent#sendTelemetry} — is added, as the hub names its metrics, to per-minute
         * aggregates (count, min, max, sum) written once a minute to {@code stateDir/history}, one
         * file per UTC day, at most 7 days and 16 MiB (oldest first; see
         * {@link #history(Duration, long)}). A {@code history_request} returns them for a window,
         * merged into buckets coarse enough to fit the hub's output limit (docs/protocol.md §9.1).
         * A handler given for {@code history_request} with {@link #handler} takes precedence; an
         * {@link #allowCommands allow-list} must name it for it to run.
         */
        public Builder history(boolean keep) {
            this.history = keep;
            return this;
        }

        /** Keeps the history ({@link #history(boolean)}) for at most {@code maxAge} (1 h – 366 days) and {@code maxBytes} (≥ 16 KiB). */
        public Builder history(Duration maxAge, long maxBytes) {
            new HistoryConfig(Path.of("."), maxAge, maxBytes, HistoryConfig.DEFAULT_MAX_NAMES);
            this.historyMaxAge = maxAge;
            this.historyMaxBytes = maxBytes;
            this.history = true;
            return this;
        }

        public HubAgent build() {
            if (hub == null || token == null || stateDir == null) {
                throw new IllegalStateException("hub, token and stateDir are required");
            }
            HubUris.socket(hub);
            if (installDir != null) {
                io.fleetwire.agent.internal.update.InstallLayout.open(installDir);
            }
            return new HubAgent(this);
        }
    }
}
