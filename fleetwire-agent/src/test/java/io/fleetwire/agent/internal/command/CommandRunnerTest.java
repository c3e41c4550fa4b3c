package io.fleetwire.agent.internal.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetwire.agent.CommandHandler;
import io.fleetwire.agent.CommandOutcome;
import io.fleetwire.protocol.CommandId;
import io.fleetwire.protocol.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class CommandRunnerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final LinkedBlockingQueue<Map.Entry<CommandId, CommandOutcome>> results = new LinkedBlockingQueue<>();
    private final AtomicInteger runs = new AtomicInteger();
    private CommandRunner runner;
    private SeenCommands seen;

    private CommandRunner runner(Map<String, CommandHandler> handlers, Set<String> allowed, Duration timeout) {
        stop();
        seen = new SeenCommands(dir.resolve("seen"), Clock.systemUTC());
        runner = new CommandRunner(handlers, Map.of(), allowed, seen, timeout, Clock.systemUTC(), () -> Duration.ZERO,
                (id, outcome) -> results.add(Map.entry(id, outcome)));
        return runner;
    }

    @AfterEach
    void stop() {
        if (runner != null) {
            runner.close();
            seen.close();
            runner = null;
        }
    }

    private static Message.Command command(String name, String params, Instant expires) throws Exception {
        return new Message.Command(CommandId.random(), name, (ObjectNode) JSON.readTree(params), expires, 1);
    }

    private Map.Entry<CommandId, CommandOutcome> next() throws InterruptedException {
        var r = results.poll(5, TimeUnit.SECONDS);
        assertThat(r).as("a result").isNotNull();
        return r;
    }

    private final CommandHandler counting = request -> {
        runs.incrementAndGet();
        return CommandOutcome.succeeded(JSON.createObjectNode().put("percent", request.params().path("percent").asInt()));
    };

    @Test
    void aCommandDeliveredThreeTimes_runsOnce() throws Exception {
        runner(Map.of("set_fan_speed", counting), null, Duration.ofSeconds(5));
        Message.Command c = command("set_fan_speed", "{\"fanId\":\"cpu\",\"percent\":40}", Instant.now().plusSeconds(60));
        runner.accept(c);
        runner.accept(c);
        runner.accept(new Message.Command(c.id(), c.name(), c.params(), c.expiresAt(), 2));
        var r = next();
        assertThat(r.getKey()).isEqualTo(c.id());
        assertThat(r.getValue().succeeded()).isTrue();
        assertThat(r.getValue().output().path("percent").asInt()).isEqualTo(40);
        assertThat(results.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void refusedCommands_failWithoutRunning_andSayWhy() throws Exception {
        runner(Map.of("set_fan_speed", counting, "lock", counting), Set.of("set_fan_speed"), Duration.ofSeconds(5));
        record Case(Message.Command command, String why) {
        }
        List<Case> cases = List.of(
                new Case(command("lock", "{}", Instant.now().plusSeconds(60)), "not allowed"),
                new Case(command("set_fan_speed", "{\"fanId\":\"cpu\",\"percent\":140}", Instant.now().plusSeconds(60)), "percent"),
                new Case(command("set_fan_speed", "{\"fanId\":\"cpu\",\"percent\":10}", Instant.now().minusSeconds(1)), "expired"));
        for (Case c : cases) {
            runner.accept(c.command());
            var r = next();
            assertThat(r.getValue().succeeded()).isFalse();
            assertThat(r.getValue().error()).contains(c.why());
        }
        runner(Map.of(), null, Duration.ofSeconds(5));
        runner.accept(command("buzz", "{}", Instant.now().plusSeconds(60)));
        assertThat(next().getValue().error()).contains("no handler");
        assertThat(runs.get()).isZero();
    }

    @Test
    void aHandlerThatOverrunsTheTimeout_isInterrupted_andFails() throws Exception {
        runner(Map.of("reboot", request -> {
            Thread.sleep(60_000);
            return CommandOutcome.succeeded(null);
        }), null, Duration.ofMillis(300));
        runner.accept(command("reboot", "{}", Instant.now().plusSeconds(60)));
        assertThat(next().getValue().error()).contains("timed out");
    }

    @Test
    void aHandlerThatThrows_failsWithTheMessage() throws Exception {
        runner(Map.of("lock", request -> {
            throw new IllegalStateException("no session to lock");
        }), null, Duration.ofSeconds(5));
        runner.accept(command("lock", "{}", Instant.now().plusSeconds(60)));
        assertThat(next().getValue().error()).contains("no session to lock");
    }

    @Test
    void aCommandCancelledBeforeItStarts_neverRuns() throws Exception {
        CommandHandler slow = request -> {
            Thread.sleep(500);
            runs.incrementAndGet();
            return CommandOutcome.succeeded(null);
        };
        runner(Map.of("lock", slow, "unlock", slow), null, Duration.ofSeconds(5));
        Message.Command first = command("lock", "{}", Instant.now().plusSeconds(60));
        Message.Command second = command("unlock", "{}", Instant.now().plusSeconds(60));
        runner.accept(first);
        runner.accept(second);
        runner.cancel(second.id());
        assertThat(next().getKey()).isEqualTo(first.id());
        assertThat(results.poll(1, TimeUnit.SECONDS)).isNull();
        assertThat(runs.get()).isEqualTo(1);
    }
}
