package io.fleetwire.agent.internal.poll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fleetwire.agent.ConnectionState;
import io.fleetwire.agent.internal.command.CommandRunner;
import io.fleetwire.agent.internal.connection.HubHttp;
import io.fleetwire.agent.internal.outbox.Outbox;
import io.fleetwire.protocol.JsonTrees;
import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.MessageCodec;
import io.fleetwire.protocol.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Seed 000's fallback: when the socket has been down longer than {@code after}, fetch pending
 * commands over HTTP every {@code interval} ({@code GET /api/v1/agent/commands}) and report
 * receipts and results over HTTP ({@code POST …/{id}/ack}, {@code …/result}). The socket and this
 * may both run: commands go through the same run-once {@link CommandRunner}, and receipts and
 * results leave the outbox once the hub took them either way.
 *
 * <p>Settings follow the same way: each cycle reads {@code GET /api/v1/agent/config} and hands a
 * changed version to {@code settingsSink} (which applies it and queues {@code config_applied});
 * a queued {@code config_applied} is reported with {@code POST /api/v1/agent/config/applied}.
 *
 * <p>Threading: one platform thread of its own.
 */
public final class FallbackPoller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FallbackPoller.class);

    /** When to poll and where. */
    public record Config(URI hubHttp, String token, Duration after, Duration interval) {
    }

    private final Config config;
    private final Supplier<ConnectionState> state;
    private final CommandRunner runner;
    private final Outbox outbox;
    private final Consumer<Message.Settings> settingsSink;
    private final MessageCodec codec = new MessageCodec();
    private final HubHttp http;
    private volatile boolean running = true;
    /** The hub's polling interval once it has said (settings), else the configured one. */
    private volatile Duration interval;
    private Thread thread;

    public FallbackPoller(Config config, Supplier<ConnectionState> state, CommandRunner runner, Outbox outbox,
                          Consumer<Message.Settings> settingsSink) {
        this.config = config;
        this.settingsSink = settingsSink;
        this.state = state;
        this.runner = runner;
        this.outbox = outbox;
        this.interval = config.interval();
        this.http = new HubHttp(config.token(), Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    /** Follows the hub's {@code pollIntervalSeconds} setting. */
    public void interval(Duration value) {
        interval = value;
    }

    public void start() {
        thread = Thread.ofPlatform().name("fleetwire-poller").daemon().start(this::loop);
    }

    private void loop() {
        long downSince = System.nanoTime();
        long lastPoll = 0;
        while (running) {
            ConnectionState s = state.get();
            long now = System.nanoTime();
            if (s == ConnectionState.OPEN || s == ConnectionState.FAILED || s == ConnectionState.CLOSED) {
                downSince = now;
            } else if (now - downSince >= config.after().toNanos() && now - lastPoll >= interval.toNanos()) {
                lastPoll = now;
                try {
                    pollOnce();
                } catch (IOException | RuntimeException e) {
                    log.info("Fallback poll failed: {}", e.toString());
                } catch (InterruptedException e) {
                    return;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One cycle: report what waits, take the current settings, fetch what is pending, run it, report again. */
    void pollOnce() throws IOException, InterruptedException {
        report();
        HubHttp.Response cfg = http.get(uri("/api/v1/agent/config"));
        if (cfg.status() == 200) {
            settingsIn(cfg.body());
        } else {
            log.info("Fallback settings poll answered {}: {}", cfg.status(), cfg.body());
        }
        HubHttp.Response r = http.get(uri("/api/v1/agent/commands"));
        if (r.status() != 200) {
            log.info("Fallback poll answered {}: {}", r.status(), r.body());
            return;
        }
        for (JsonNode item : JsonTrees.parse(r.body()).path("items")) {
            try {
                if (codec.decode(JsonTrees.write(item)) instanceof Message.Command c) {
                    acknowledgeThenRun(c);
                }
            } catch (ProtocolException e) {
                log.warn("Polled command not understood: {}", e.getMessage());
            }
        }
        report();
    }

    /**
     * The receipt goes first and synchronously: the hub's answer says whether the command may run
     * (not when it was cancelled or expired meanwhile). A command already delivered by the socket
     * goes to the runner too, whose journal keeps it from running twice.
     */
    private void acknowledgeThenRun(Message.Command c) throws IOException, InterruptedException {
        HubHttp.Response r = http.post(uri("/api/v1/agent/commands/" + c.id() + "/ack"), null);
        if (r.status() != 200) {
            log.info("Receipt of command {} answered {}; not running it", c.id(), r.status());
            return;
        }
        JsonNode answer = JsonTrees.parse(r.body());
        if (answer.path("run").asBoolean() || "delivered".equals(answer.path("status").asText())) {
            runner.accept(c);
        } else {
            log.info("Command {} is {} on the hub; not running it", c.id(), answer.path("status").asText());
            runner.cancel(c.id());
        }
    }

    /** Posts every waiting receipt and result over HTTP; each leaves the outbox once the hub has answered for good. */
    private void report() throws IOException, InterruptedException {
        long after = 0;
        List<Outbox.Entry> entries;
        while (!(entries = outbox.pending(after, 500)).isEmpty()) {
            after = entries.getLast().seq();
            for (Outbox.Entry e : entries) {
                if (!reported(e)) {
                    return;
                }
            }
        }
    }

    /** Reports one entry if it is a receipt or result; false when the hub could not take it now. */
    private boolean reported(Outbox.Entry e) throws IOException, InterruptedException {
        {
            HubHttp.Response answer;
            switch (e.message()) {
                case Message.CommandAck a -> answer = http.post(uri("/api/v1/agent/commands/" + a.id() + "/ack"), null);
                case Message.CommandResult res -> {
                    var body = JsonNodeFactory.instance.objectNode().put("status", res.status().wireName());
                    if (res.output() != null) {
                        body.set("output", res.output());
                    }
                    if (res.error() != null) {
                        body.put("error", res.error());
                    }
                    answer = http.post(uri("/api/v1/agent/commands/" + res.id() + "/result"), JsonTrees.write(body));
                }
                case Message.ConfigApplied a -> answer = http.post(uri("/api/v1/agent/config/applied"),
                        "{\"version\":" + a.version() + "}");
                default -> {
                    return true;
                }
            }
            int status = answer.status();
            if (status == 200 || status == 404 || status == 409 || status == 400) {
                outbox.ack(e.seq());
                if (status == 200 && e.message() instanceof Message.ConfigApplied) {
                    settingsIn(answer.body());
                }
                return true;
            }
            log.info("Reporting {} over HTTP answered {}; will retry", e.message().type(), status);
            return false;
        }
    }

    /** Hands the {@code settings} of a hub answer, when it has them, to the sink. */
    private void settingsIn(String body) {
        try {
            JsonNode settings = JsonTrees.parse(body).path("settings");
            if (settings.isObject()) {
                settingsSink.accept(MessageCodec.readSettings(settings));
            }
        } catch (IOException | ProtocolException e) {
            log.warn("Settings from the hub not understood: {}", e.getMessage());
        }
    }

    private URI uri(String path) {
        return config.hubHttp().resolve(path);
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(java.time.Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
