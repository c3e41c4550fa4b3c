package io.fleetwire.agent;

import io.fleetwire.agent.internal.plugin.PluginLoader;
import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.TestHubExtension;
import io.fleetwire.testkit.Await;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Command plug-ins from jars built here: loaded with ServiceLoader, bad jars reported, the allow-list still in charge. */
@Tag("integration")
class PluginTest {

    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension();

    private static final String SERVICES = "META-INF/services/io.fleetwire.agent.CommandPlugin";

    private static String plugin(String className, String type, String schema, String body) {
        return "package demo;\n"
                + "public final class " + className + " implements io.fleetwire.agent.CommandPlugin {\n"
                + "  public " + className + "() { " + body + " }\n"
                + "  public String type() { return \"" + type + "\"; }\n"
                + "  public com.fasterxml.jackson.databind.JsonNode paramsSchema() {\n"
                + (schema == null ? "    return null;\n" : "    try { return new com.fasterxml.jackson.databind.ObjectMapper().readTree(\""
                + schema.replace("\"", "\\\"") + "\"); } catch (Exception e) { throw new RuntimeException(e); }\n")
                + "  }\n"
                + "  public io.fleetwire.agent.CommandOutcome handle(io.fleetwire.agent.CommandRequest r) {\n"
                + "    return io.fleetwire.agent.CommandOutcome.succeeded(r.params());\n"
                + "  }\n"
                + "}\n";
    }

    /** A plug-in directory: one good jar with two plug-ins, and three bad ones. */
    private static Path pluginDir(Path dir) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path build = Files.createDirectories(dir.resolve("build"));
        Files.move(TestJars.jar(build, "good.jar", Map.of(
                "demo.Echo", plugin("Echo", "echo_text", "{\"type\":\"object\",\"required\":[\"text\"],"
                        + "\"properties\":{\"text\":{\"type\":\"string\"}}}", ""),
                "demo.Door", plugin("Door", "open_door", null, "")), Map.of(), Map.of(SERVICES, "demo.Echo\ndemo.Door\n")),
                plugins.resolve("good.jar"));
        Files.move(TestJars.jar(build, "missing.jar", Map.of(), Map.of(), Map.of(SERVICES, "demo.NotThere\n")),
                plugins.resolve("missing.jar"));
        Files.move(TestJars.jar(build, "throws.jar", Map.of("demo.Boom", plugin("Boom", "boom", null,
                "if (true) throw new IllegalStateException(\"no hardware\");")), Map.of(), Map.of(SERVICES, "demo.Boom\n")),
                plugins.resolve("throws.jar"));
        Files.write(plugins.resolve("broken.jar"), new byte[]{1, 2, 3, 4});
        return plugins;
    }

    @Test
    void plugins_loadFromTheirJars_andBadJarsAreReportedWithoutStoppingTheOthers(@TempDir Path dir) throws Exception {
        PluginLoader.Found found = PluginLoader.load(getClass().getClassLoader(), pluginDir(dir));
        assertThat(found.plugins()).extracting(CommandPlugin::type).containsExactlyInAnyOrder("echo_text", "open_door");
        assertThat(found.problems()).hasSize(3);
        assertThat(String.join("\n", found.problems())).contains("broken.jar").contains("missing.jar").contains("demo.NotThere")
                .contains("throws.jar").contains("no hardware");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        HubAgent.Builder b = HubAgent.builder().handler("open_door", r -> CommandOutcome.succeeded(null));
        io.fleetwire.agent.internal.cli.AgentMainAccess.addPlugins(b, dir.resolve("plugins"), new PrintStream(out), new PrintStream(err));
        assertThat(out.toString()).contains("runs 'echo_text' commands").doesNotContain("'open_door'");
        assertThat(err.toString()).contains("'open_door' already has a handler").contains("broken.jar");
        assertThat(PluginLoader.load(getClass().getClassLoader(), dir.resolve("absent")).problems()).isEmpty();
    }

    @Test
    void aPluginNamingABadType_isRefused() {
        CommandPlugin bad = new CommandPlugin() {
            public String type() {
                return "Open-Door";
            }

            public CommandOutcome handle(CommandRequest request) {
                return CommandOutcome.succeeded(null);
            }
        };
        assertThatThrownBy(() -> HubAgent.builder().plugin(bad)).hasMessageContaining("'Open-Door'");
    }

    @Test
    void pluginCommands_runOnTheAgent_checkedAgainstTheirSchema_andOnlyWhenAllowed(@TempDir Path dir) throws Exception {
        for (String type : new String[]{"echo_text", "open_door"}) {
            assertThat(HUB.api().put("/api/v1/command-types/" + type, "{\"description\":\"plug-in\",\"schema\":{\"type\":\"object\"}}")
                    .status()).isIn(200, 201);
        }
        TestHub.DeviceHandle device = HUB.hub().createDevice("plugins");
        HubAgent.Builder b = HubAgent.builder().hub(URI.create(HUB.hub().httpUrl())).token(device.token()).stateDir(dir.resolve("state"))
                .backoff(Duration.ofMillis(200), Duration.ofSeconds(2)).allowCommands(Set.of("echo_text"));
        PluginLoader.load(getClass().getClassLoader(), pluginDir(dir)).plugins().forEach(b::plugin);
        try (HubAgent agent = b.build()) {
            agent.start();
            Await.until("agent open", Duration.ofSeconds(10), () -> agent.state() == ConnectionState.OPEN);
            String echo = send(device, "{\"type\":\"echo_text\",\"params\":{\"text\":\"hello\"}}");
            String invalid = send(device, "{\"type\":\"echo_text\",\"params\":{\"other\":1}}");
            String door = send(device, "{\"type\":\"open_door\"}");
            Await.until("all final", Duration.ofSeconds(15), () -> Set.of("succeeded", "failed").containsAll(
                    java.util.List.of(status(echo), status(invalid), status(door))));
            assertThat(status(echo)).isEqualTo("succeeded");
            assertThat(HUB.api().get("/api/v1/commands/" + echo).body().path("output").path("text").asText()).isEqualTo("hello");
            assertThat(HUB.api().get("/api/v1/commands/" + invalid).body().path("error").asText()).contains("invalid params").contains("text");
            assertThat(HUB.api().get("/api/v1/commands/" + door).body().path("error").asText()).contains("not allowed");
        }
    }

    private static String send(TestHub.DeviceHandle device, String body) {
        var r = HUB.api().post("/api/v1/devices/" + device.id() + "/commands", body);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.body().path("id").asText();
    }

    private static String status(String id) {
        return HUB.api().get("/api/v1/commands/" + id).body().path("status").asText();
    }
}
