package io.fleetwire.hub.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.TestHubExtension;
import io.fleetwire.testkit.ApiClient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST calls the command tests share, each asserting that it worked. */
final class CommandCalls {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private final TestHubExtension hub;

    CommandCalls(TestHubExtension hub) {
        this.hub = hub;
    }

    /** A new device whose name is unique in the run. */
    TestHub.DeviceHandle device(String name) {
        return hub.hub().createDevice(name + "-" + NAMES.incrementAndGet());
    }

    /** Creates a command (201, not a replay) and returns its id. */
    String create(TestHub.DeviceHandle device, String body) {
        ApiClient.Response r = hub.api().post("/api/v1/devices/" + device.id() + "/commands", body);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.header("Idempotent-Replayed")).isNull();
        return r.body().path("id").asText();
    }

    JsonNode command(String id) {
        ApiClient.Response r = hub.api().get("/api/v1/commands/" + id);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.body();
    }

    String status(String id) {
        return command(id).path("status").asText();
    }

    /** Audit entries matching the query, oldest first. */
    List<JsonNode> audit(String query) {
        ApiClient.Response r = hub.api().get("/api/v1/audit?" + query);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.body().path("items").forEach(out::add);
        return out.reversed();
    }

    List<String> auditActions(String commandId) {
        return audit("command=" + commandId).stream().map(e -> e.path("action").asText()).toList();
    }

    /** Ids of a device's commands as listed (newest first). */
    List<String> listed(String deviceId, String query) {
        ApiClient.Response r = hub.api().get("/api/v1/devices/" + deviceId + "/commands" + query);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        r.body().path("items").forEach(c -> ids.add(c.path("id").asText()));
        return ids;
    }

    void assertNoCommands(String deviceId) {
        assertThat(listed(deviceId, "")).as("commands of device " + deviceId).isEmpty();
    }

    /** The answer is this error, and its message names every fragment. */
    static void assertError(ApiClient.Response r, int status, String code, String... fragments) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.errorCode()).as(r.text()).isEqualTo(code);
        String message = r.body().path("error").path("message").asText();
        assertThat(message).as(r.text()).isNotBlank();
        for (String f : fragments) {
            assertThat(message).as(r.text()).contains(f);
        }
    }
}
