package io.fleetwire.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.TestHubExtension;
import io.fleetwire.agent.packaging.InstallScriptTest;
import io.fleetwire.testkit.Await;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** software_update end to end: an artifact uploaded to a real hub replaces an installed agent, which confirms after its restart. */
@Tag("integration")
class SelfUpdateTest {

    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension();

    private static JsonNode command(String id) {
        return HUB.api().get("/api/v1/commands/" + id).body();
    }

    private static HubAgent.Builder agent(TestHub.DeviceHandle device, Path state, Path prefix, String version, Runnable restart) {
        return HubAgent.builder().hub(URI.create(HUB.hub().httpUrl())).token(device.token()).stateDir(state)
                .backoff(Duration.ofMillis(200), Duration.ofSeconds(2)).version(version).selfUpdate(prefix, restart);
    }

    @Test
    void softwareUpdate_fromAHubArtifact_swapsTheInstall_andSucceedsOnceTheNewVersionIsWelcomed(@TempDir Path dir) throws Exception {
        Path prefix = dir.resolve("opt");
        Path state = dir.resolve("state");
        assertThat(InstallScriptTest.install(prefix, state, TestJars.fakeAgent(dir, "1.0.0"), "--token", "fwd_placeholder").code()).isZero();
        byte[] jar = Files.readAllBytes(TestJars.fakeAgent(dir, "1.1.0"));
        HttpResponse<String> up = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(HUB.hub().httpUrl() + "/api/v1/artifacts?name=fleetwire-agent-1.1.0.jar"))
                .header("Authorization", "Bearer " + TestHub.ADMIN_TOKEN).header("content-type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(jar)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
        JsonNode artifact = new ObjectMapper().readTree(up.body());

        TestHub.DeviceHandle device = HUB.hub().createDevice("self-update");
        CountDownLatch restart = new CountDownLatch(1);
        String id;
        try (HubAgent old = agent(device, state, prefix, "1.0.0", restart::countDown).build()) {
            old.start();
            Await.until("agent open", Duration.ofSeconds(10), () -> old.state() == ConnectionState.OPEN);
            id = HUB.api().post("/api/v1/devices/" + device.id() + "/commands", "{\"type\":\"software_update\",\"params\":{\"version\":\"1.1.0\","
                    + "\"sha256\":\"" + artifact.path("sha256").asText() + "\",\"artifactId\":\"" + artifact.path("id").asText() + "\"}}")
                    .body().path("id").asText();
            assertThat(restart.await(20, TimeUnit.SECONDS)).as("restart asked for").isTrue();
            assertThat(Files.readSymbolicLink(prefix.resolve("current"))).isEqualTo(Path.of("versions/1.1.0"));
            assertThat(Files.readAllBytes(prefix.resolve("versions/1.1.0/fleetwire-agent.jar"))).isEqualTo(jar);
            Await.until("acknowledged", Duration.ofSeconds(10), () -> command(id).path("status").asText().equals("delivered"));
        }
        assertThat(command(id).path("status").asText()).as("no result from the old version").isEqualTo("delivered");
        assertThat(prefix.resolve("update-pending")).exists();

        // What the supervisor does: start the agent again, now the new version, on the same state dir.
        try (HubAgent fresh = agent(device, state, prefix, "1.1.0", () -> { }).build()) {
            fresh.start();
            Await.until("update succeeded", Duration.ofSeconds(15), () -> command(id).path("status").asText().equals("succeeded"));
        }
        JsonNode done = command(id);
        assertThat(done.path("output").path("version").asText()).isEqualTo("1.1.0");
        assertThat(done.path("output").path("previous").asText()).isEqualTo("1.0.0");
        assertThat(HUB.api().get("/api/v1/devices/" + device.id()).body().path("agent").path("version").asText()).isEqualTo("1.1.0");
        assertThat(prefix.resolve("update-pending")).doesNotExist();
    }
}
