package io.fleetwire.agent.internal.poll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetwire.agent.ConnectionState;
import io.fleetwire.agent.internal.command.CommandRunner;
import io.fleetwire.agent.internal.connection.HubHttpClients;
import io.fleetwire.agent.internal.outbox.Outbox;
import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.MessageCodec;
import io.fleetwire.protocol.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * <p>Threading: one virtual thread of its own.
 */
public final class FallbackPoller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FallbackPoller.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** When to poll and where. */
    public record Config(URI hubHttp, String token, Duration after, Duration interval) {
    }

    private final Config config;
    private final Supplier<ConnectionState> state;
    private final CommandRunner runner;
    private final Outbox outbox;
    private final Consumer<Message.Settings> settingsSink;
    private final MessageCodec codec = new MessageCodec();
    /** Built on the first poll (most agents never poll, and a client holds a selector thread); see {@link #http()}. */
    private HttpClient http;
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
    }

    /** Follows the hub's {@code pollIntervalSeconds} setting. */
    public void interval(Duration value) {
        interval = value;
    }

    public void start() {
        thread = Thread.ofVirtual().name("fleetwire-poller").start(this::loop);
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
        HttpResponse<String> cfg = http().send(request("/api/v1/agent/config").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (cfg.statusCode() == 200) {
            settingsIn(cfg.body());
        } else {
            log.info("Fallback settings poll answered {}: {}", cfg.statusCode(), cfg.body());
        }
        HttpResponse<String> r = http().send(request("/api/v1/agent/commands").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            log.info("Fallback poll answered {}: {}", r.statusCode(), r.body());
            return;
        }
        for (JsonNode item : JSON.readTree(r.body()).path("items")) {
            try {
                if (codec.decode(item.toString()) instanceof Message.Command c) {
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
        HttpResponse<String> r = http().send(request("/api/v1/agent/commands/" + c.id() + "/ack")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            log.info("Receipt of command {} answered {}; not running it", c.id(), r.statusCode());
            return;
        }
        JsonNode answer = JSON.readTree(r.body());
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
            HttpRequest.Builder req;
            switch (e.message()) {
                case Message.CommandAck a -> req = request("/api/v1/agent/commands/" + a.id() + "/ack")
                        .POST(HttpRequest.BodyPublishers.noBody());
                case Message.CommandResult res -> {
                    var body = JSON.createObjectNode().put("status", res.status().wireName());
                    if (res.output() != null) {
                        body.set("output", res.output());
                    }
                    if (res.error() != null) {
                        body.put("error", res.error());
                    }
                    req = request("/api/v1/agent/commands/" + res.id() + "/result")
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
                }
                case Message.ConfigApplied a -> req = request("/api/v1/agent/config/applied")
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"version\":" + a.version() + "}"));
                default -> {
                    return true;
                }
            }
            HttpResponse<String> answer = http().send(req.build(), HttpResponse.BodyHandlers.ofString());
            int status = answer.statusCode();
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
            JsonNode settings = JSON.readTree(body).path("settings");
            if (settings.isObject()) {
                settingsSink.accept(MessageCodec.readSettings(settings));
            }
        } catch (IOException | ProtocolException e) {
            log.warn("Settings from the hub not understood: {}", e.getMessage());
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(config.hubHttp().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + config.token());
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
        HttpClient built;
        synchronized (this) {
            built = http;
        }
        if (built != null) {
            built.close();
        }
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HubHttpClients.builder(config.hubHttp()).connectTimeout(Duration.ofSeconds(10)).build();
        }
        return http;
    }
}
