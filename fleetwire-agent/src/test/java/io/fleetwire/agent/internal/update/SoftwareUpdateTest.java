package io.fleetwire.agent.internal.update;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.fleetwire.agent.CommandOutcome;
import io.fleetwire.agent.CommandRequest;
import io.fleetwire.agent.TestJars;
import io.fleetwire.agent.internal.command.CommandRunner;
import io.fleetwire.agent.internal.command.SeenCommands;
import io.fleetwire.agent.packaging.InstallScriptTest;
import io.fleetwire.protocol.CommandId;
import io.fleetwire.protocol.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Staging, swap, marker and rollback of software_update on temp install layouts, with jars served over local HTTP. */
class SoftwareUpdateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Path prefix;
    private Path state;
    private HttpServer server;
    private final Map<String, byte[]> served = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Map.Entry<CommandId, CommandOutcome>> results = new CopyOnWriteArrayList<>();
    private final List<CommandId> done = new CopyOnWriteArrayList<>();
    private final AtomicInteger restarts = new AtomicInteger();

    @BeforeEach
    void layout() throws Exception {
        prefix = dir.resolve("opt");
        state = dir.resolve("state");
        InstallScriptTest.Run r = InstallScriptTest.install(prefix, state, TestJars.fakeAgent(dir, "1.0.0"), "--token", "fwd_abcdefgh1");
        assertThat(r.code()).as(r.err()).isZero();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] body = served.get(ex.getRequestURI().getPath());
            ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private SoftwareUpdate agent(String running) {
        return new SoftwareUpdate(InstallLayout.open(prefix), state, URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                "fwd_abcdefgh1", running, restarts::incrementAndGet, (id, o) -> results.add(Map.entry(id, o)), done::add);
    }

    private String serve(String path, byte[] body) throws Exception {
        served.put(path, body);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }

    private CommandRequest update(String version, String sha, String path) throws Exception {
        ObjectNode params = (ObjectNode) JSON.readTree("{\"version\":\"" + version + "\",\"sha256\":\"" + sha + "\",\"url\":\"http://127.0.0.1:"
                + server.getAddress().getPort() + path + "\"}");
        return new CommandRequest(CommandId.random(), "software_update", params, Instant.now().plusSeconds(600));
    }

    private String current() throws Exception {
        return Files.readSymbolicLink(prefix.resolve("current")).toString();
    }

    private void assertNothingChanged() throws Exception {
        assertThat(current()).isEqualTo("versions/1.0.0");
        assertThat(prefix.resolve(UpdateMarker.FILE)).doesNotExist();
        assertThat(prefix.resolve("versions/1.1.0/fleetwire-agent.jar")).doesNotExist();
        assertThat(restarts.get()).isZero();
        try (var left = Files.list(state.resolve("updates"))) {
            assertThat(left).as("downloads left behind").isEmpty();
        }
    }

    @Test
    void update_stagesSwapsAndRestarts_andTheNewVersionConfirmsOnlyOnceWelcomed_evenAcrossRestarts() throws Exception {
        byte[] jar = Files.readAllBytes(TestJars.fakeAgent(dir, "1.1.0"));
        CommandRequest request = update("1.1.0", serve("/agent-1.1.0.jar", jar), "/agent-1.1.0.jar");
        SoftwareUpdate old = agent("1.0.0");
        old.atStart();
        assertThat(old.handle(request).succeeded()).isTrue();

        assertThat(restarts.get()).isEqualTo(1);
        assertThat(current()).isEqualTo("versions/1.1.0");
        assertThat(Files.readAllBytes(prefix.resolve("versions/1.1.0/fleetwire-agent.jar"))).isEqualTo(jar);
        assertThat(prefix.resolve("versions/1.0.0/fleetwire-agent.jar")).as("kept for a rollback").exists();
        assertThat(UpdateMarker.read(prefix)).contains(new UpdateMarker(request.id(), "1.0.0", "1.1.0", 0, null));
        assertThat(old.owns(request.id())).isTrue();
        assertThat(results).as("nothing reported by the old version").isEmpty();

        SoftwareUpdate first = agent("1.1.0");
        first.atStart();
        assertThat(first.owns(request.id())).isTrue();
        assertThat(results).as("no result before the hub welcomed the new version").isEmpty();
        // The new version stops before the hub welcomed it: the marker survives, the next start confirms.
        SoftwareUpdate second = agent("1.1.0");
        second.atStart();
        assertThat(prefix.resolve(UpdateMarker.FILE)).exists();
        second.welcomed();
        second.welcomed();
        assertThat(results).hasSize(1);
        assertThat(results.getFirst().getKey()).isEqualTo(request.id());
        assertThat(results.getFirst().getValue().succeeded()).isTrue();
        assertThat(results.getFirst().getValue().output().toString()).isEqualTo("{\"version\":\"1.1.0\",\"previous\":\"1.0.0\"}");
        assertThat(done).containsExactly(request.id());
        assertThat(prefix.resolve(UpdateMarker.FILE)).doesNotExist();
        assertThat(second.owns(request.id())).isFalse();
    }

    @Test
    void aShaMismatch_failsAndChangesNothing() throws Exception {
        serve("/a.jar", Files.readAllBytes(TestJars.fakeAgent(dir, "1.1.0")));
        CommandOutcome o = agent("1.0.0").handle(update("1.1.0", "0".repeat(64), "/a.jar"));
        assertThat(o.succeeded()).isFalse();
        assertThat(o.error()).startsWith("SHA-256 mismatch: expected " + "0".repeat(64)).endsWith("nothing changed");
        assertNothingChanged();
    }

    @Test
    void aCorruptOrWrongJar_failsAndChangesNothing() throws Exception {
        byte[] garbage = new byte[4096];
        new java.util.Random(3).nextBytes(garbage);
        CommandOutcome corrupt = agent("1.0.0").handle(update("1.1.0", serve("/g.jar", garbage), "/g.jar"));
        assertThat(corrupt.error()).contains("not the agent 1.1.0").contains("does not open as a jar");
        String otherSha = serve("/other.jar", Files.readAllBytes(TestJars.fakeAgent(dir, "1.2.0")));
        assertThat(agent("1.0.0").handle(update("1.1.0", otherSha, "/other.jar")).error()).contains("it is version 1.2.0, not 1.1.0");
        String notAgent = serve("/plain.jar", Files.readAllBytes(TestJars.jar(dir, "plain.jar", Map.of(),
                Map.of("Implementation-Version", "1.1.0"), Map.of("a.txt", "a"))));
        assertThat(agent("1.0.0").handle(update("1.1.0", notAgent, "/plain.jar")).error()).contains("Main-Class");
        assertThat(agent("1.0.0").handle(update("1.1.0", "0".repeat(64), "/missing.jar")).error()).contains("HTTP 404");
        assertNothingChanged();
    }

    @Test
    void theSameOrAnOlderVersion_isRefused() throws Exception {
        String sha = serve("/a.jar", Files.readAllBytes(TestJars.fakeAgent(dir, "1.0.0")));
        assertThat(agent("1.0.0").handle(update("1.0.0", sha, "/a.jar")).error()).isEqualTo("version 1.0.0 is already running");
        assertThat(agent("1.0.0").handle(update("0.9.9", sha, "/a.jar")).error()).isEqualTo("refusing a downgrade from 1.0.0 to 0.9.9");
        assertThat(agent("1.0.0").handle(update("1.0.0-rc1", sha, "/a.jar")).error()).contains("downgrade");
        assertThat(agent("1.0.0").handle(update("../x", sha, "/a.jar")).error()).contains("not a usable version");
        assertThat(current()).isEqualTo("versions/1.0.0");
    }

    @Test
    void aNewVersionThatNeverConfirms_isRolledBackByTheRunScript_andTheOldVersionReportsIt() throws Exception {
        CommandRequest request = update("1.1.0", serve("/n.jar", Files.readAllBytes(TestJars.fakeAgent(dir, "1.1.0"))), "/n.jar");
        agent("1.0.0").handle(request);
        assertThat(current()).isEqualTo("versions/1.1.0");
        // The run script with a 'java' that crashes at once, as a broken new version would.
        Path crash = dir.resolve("crashing-java");
        Files.writeString(crash, "#!/bin/sh\nexit 1\n");
        crash.toFile().setExecutable(true);
        Path conf = prefix.resolve("agent.conf");
        Files.writeString(conf, Files.readString(conf).replaceAll("(?m)^JAVA=.*$", "JAVA=" + crash));
        for (int start = 1; start <= 3; start++) {
            assertThat(InstallScriptTest.run(List.of(prefix.resolve("bin/fleetwire-agent").toString())).code()).isEqualTo(1);
            assertThat(UpdateMarker.read(prefix).orElseThrow().attempts()).isEqualTo(start);
            assertThat(current()).isEqualTo("versions/1.1.0");
        }
        InstallScriptTest.Run fourth = InstallScriptTest.run(List.of(prefix.resolve("bin/fleetwire-agent").toString()));
        assertThat(fourth.err()).contains("version 1.1.0 did not confirm after 3 starts; switching back to 1.0.0");
        assertThat(current()).isEqualTo("versions/1.0.0");
        assertThat(UpdateMarker.read(prefix).orElseThrow().rolledBack()).contains("1.1.0 did not come up");

        SoftwareUpdate back = agent("1.0.0");
        back.atStart();
        assertThat(results).hasSize(1);
        assertThat(results.getFirst().getValue().error()).startsWith("rolled back: version 1.1.0 did not come up");
        assertThat(done).containsExactly(request.id());
        assertThat(prefix.resolve(UpdateMarker.FILE)).doesNotExist();
    }

    @Test
    void anAgentThatStartsAsTheOldVersion_reportsTheUpdateRolledBack() throws Exception {
        CommandId id = CommandId.random();
        new UpdateMarker(id, "1.0.0", "1.1.0", 0, null).write(prefix);
        agent("1.0.0").atStart();
        assertThat(results).singleElement().satisfies(e -> assertThat(e.getValue().error()).startsWith("rolled back:"));
    }

    @Test
    void theCommandRunner_leavesACommandHeldByTheMarkerToIt_evenWhenStopped() throws Exception {
        SeenCommands seen = new SeenCommands(state.resolve("commands-started"), Clock.systemUTC());
        SoftwareUpdate update = agent("1.0.0");
        String sha = serve("/r.jar", Files.readAllBytes(TestJars.fakeAgent(dir, "1.1.0")));
        List<Map.Entry<CommandId, CommandOutcome>> runnerResults = new CopyOnWriteArrayList<>();
        CommandRunner runner = new CommandRunner(Map.of("software_update", update::handle), Map.of(), null, seen, Duration.ofSeconds(30),
                Clock.systemUTC(), () -> Duration.ZERO, (id, o) -> runnerResults.add(Map.entry(id, o)), update::owns);
        CommandRequest r = update("1.1.0", sha, "/r.jar");
        runner.accept(new Message.Command(r.id(), r.name(), r.params(), r.expiresAt(), 1));
        io.fleetwire.testkit.Await.until("swapped", Duration.ofSeconds(10), () -> restarts.get() == 1);
        Thread.sleep(200);
        runner.close();
        assertThat(runnerResults).as("no result from the run that swapped").isEmpty();
        assertThat(seen.unfinished()).containsExactly(r.id());
        seen.close();

        // The next run: the journal still holds the id (a redelivery will not run it), the marker reports it.
        SeenCommands again = new SeenCommands(state.resolve("commands-started"), Clock.systemUTC());
        SoftwareUpdate next = new SoftwareUpdate(InstallLayout.open(prefix), state, URI.create("http://127.0.0.1:1"), "t", "1.1.0",
                () -> { }, (id, o) -> runnerResults.add(Map.entry(id, o)), again::done);
        next.atStart();
        CommandRunner nextRunner = new CommandRunner(Map.of(), Map.of(), null, again, Duration.ofSeconds(30), Clock.systemUTC(),
                () -> Duration.ZERO, (id, o) -> runnerResults.add(Map.entry(id, o)), next::owns);
        nextRunner.reportUnfinished();
        assertThat(runnerResults).as("not reported as interrupted").isEmpty();
        assertThat(again.contains(r.id())).isTrue();
        next.welcomed();
        assertThat(runnerResults).singleElement().satisfies(e -> assertThat(e.getValue().succeeded()).isTrue());
        assertThat(again.unfinished()).isEmpty();
        nextRunner.close();
        again.close();
    }

    @Test
    void withoutAnInstalledLayout_selfUpdateIsRefusedClearly() throws Exception {
        assertThatThrownBy(() -> InstallLayout.open(dir.resolve("nothing"))).hasMessageContaining("packaging/linux/install.sh");
        assertThat(SoftwareUpdate.NOT_INSTALLED.handle(update("1.1.0", "0".repeat(64), "/x")).error())
                .isEqualTo("not installed with packaging/linux/install.sh; cannot self-update");
    }

    @Test
    void versions_orderLikeSemanticVersions() {
        assertThat(Versions.compare("0.1.0-SNAPSHOT", "0.1.0")).isNegative();
        assertThat(Versions.compare("0.10.0", "0.9.1")).isPositive();
        assertThat(Versions.compare("1.0", "1.0.0")).isZero();
        assertThat(Versions.compare("1.0.0+build7", "1.0.0")).isZero();
        assertThat(Versions.compare("1.0.0-rc.2", "1.0.0-rc.10")).isNegative();
    }
}
