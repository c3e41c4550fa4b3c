package io.fleetwire.hub.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.TestHubExtension;
import io.fleetwire.testkit.ApiClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Command types through the API: the built-in ones, and operator types registered, replaced and deleted. */
@Tag("integration")
class CommandTypesApiTest {

    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension();
    private static final CommandCalls CALLS = new CommandCalls(HUB);

    @Test
    void builtInCommandTypes_areListed() {
        ApiClient.Response r = HUB.api().get("/api/v1/command-types");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        List<String> builtIn = new ArrayList<>();
        r.body().path("items").forEach(t -> {
            if (t.path("builtIn").asBoolean(false)) {
                builtIn.add(t.path("name").asText());
                assertThat(t.path("schema").path("type").asText()).as(t.toString()).isEqualTo("object");
                assertThat(t.path("description").asText()).as(t.toString()).isNotBlank();
            }
        });
        assertThat(builtIn).containsExactlyInAnyOrder("lock", "unlock", "clear_cache", "buzz", "broadcast_message",
                "reboot", "set_fan_speed", "apply_fan_profile", "update_config", "software_update", "ssh_access",
                "history_request");
        JsonNode one = HUB.api().get("/api/v1/command-types/set_fan_speed").body();
        assertThat(one.path("builtIn").asBoolean()).isTrue();
        assertThat(one.path("schema").path("required").toString()).contains("fanId", "percent");
        CommandCalls.assertError(HUB.api().get("/api/v1/command-types/no_such_type"), 404, "not_found", "no_such_type");
    }

    @Test
    void customCommandType_isRegistered_replaced_validatesParams_andOnceDeletedIsUnknown() {
        TestHub.DeviceHandle device = CALLS.device("api-types");
        String path = "/api/v1/devices/" + device.id() + "/commands";
        String schema = "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"doorId\"],"
                + "\"properties\":{\"doorId\":{\"type\":\"string\",\"minLength\":1},"
                + "\"seconds\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":30}}}";

        ApiClient.Response created = HUB.api().put("/api/v1/command-types/open_door",
                "{\"description\":\"Open a door\",\"schema\":" + schema + "}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.body().path("name").asText()).isEqualTo("open_door");
        assertThat(created.body().path("builtIn").asBoolean(true)).isFalse();
        assertThat(created.body().path("createdBy").asText()).isEqualTo("admin");

        ApiClient.Response replaced = HUB.api().put("/api/v1/command-types/open_door",
                "{\"description\":\"Open a door briefly\",\"schema\":" + schema.replace("\"maximum\":30", "\"maximum\":10") + "}");
        assertThat(replaced.status()).as(replaced.text()).isEqualTo(200);
        assertThat(replaced.body().path("description").asText()).isEqualTo("Open a door briefly");
        ApiClient.Response listed = HUB.api().get("/api/v1/command-types");
        List<String> names = new ArrayList<>();
        listed.body().path("items").forEach(t -> names.add(t.path("name").asText()));
        assertThat(names).containsOnlyOnce("open_door");

        String ok = CALLS.create(device, "{\"type\":\"open_door\",\"params\":{\"doorId\":\"front\",\"seconds\":5}}");
        assertThat(CALLS.command(ok).path("type").asText()).isEqualTo("open_door");
        // The replacement's schema applies: 20 was fine under the first one, not now.
        CommandCalls.assertError(HUB.api().post(path, "{\"type\":\"open_door\",\"params\":{\"doorId\":\"front\",\"seconds\":20}}"),
                400, "bad_request", "open_door", "seconds");
        CommandCalls.assertError(HUB.api().post(path, "{\"type\":\"open_door\",\"params\":{}}"), 400, "bad_request", "doorId");
        CommandCalls.assertError(HUB.api().post(path, "{\"type\":\"open_door\",\"params\":{\"doorId\":\"x\",\"force\":true}}"),
                400, "bad_request", "force");
        assertThat(CALLS.listed(device.id(), "")).containsExactly(ok);

        assertThat(HUB.api().delete("/api/v1/command-types/open_door").status()).isEqualTo(204);
        CommandCalls.assertError(HUB.api().get("/api/v1/command-types/open_door"), 404, "not_found");
        CommandCalls.assertError(HUB.api().post(path, "{\"type\":\"open_door\",\"params\":{\"doorId\":\"front\"}}"),
                400, "bad_request", "unknown command type 'open_door'");
        CommandCalls.assertError(HUB.api().delete("/api/v1/command-types/open_door"), 404, "not_found", "open_door");
        assertThat(CALLS.listed(device.id(), "")).containsExactly(ok);

        List<String> trail = new ArrayList<>();
        CALLS.audit("action=command_type.registered").forEach(e -> trail.add(e.path("detail").path("name").asText()));
        assertThat(trail).contains("open_door");
        assertThat(CALLS.audit("action=command_type.updated")).anyMatch(e -> "open_door".equals(e.path("detail").path("name").asText()));
        assertThat(CALLS.audit("action=command_type.deleted")).anyMatch(e -> "open_door".equals(e.path("detail").path("name").asText())
                && "admin".equals(e.path("actor").asText()));
    }

    @Test
    void customCommandType_mayUseRefsInsideItsOwnSchema() {
        TestHub.DeviceHandle device = CALLS.device("api-types-ref");
        String schema = "{\"$defs\":{\"pct\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":100}},"
                + "\"type\":\"object\",\"properties\":{\"level\":{\"$ref\":\"#/$defs/pct\"}}}";
        ApiClient.Response r = HUB.api().put("/api/v1/command-types/dim_lights", "{\"schema\":" + schema + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        CALLS.create(device, "{\"type\":\"dim_lights\",\"params\":{\"level\":40}}");
        CommandCalls.assertError(HUB.api().post("/api/v1/devices/" + device.id() + "/commands",
                "{\"type\":\"dim_lights\",\"params\":{\"level\":140}}"), 400, "bad_request", "level");
        assertThat(CALLS.listed(device.id(), "")).hasSize(1);
    }

    @Test
    void badCommandTypeDefinitions_areRefused_andRegisterNothing() {
        String schema = "{\"type\":\"object\"}";
        CommandCalls.assertError(HUB.api().put("/api/v1/command-types/reboot", "{\"schema\":" + schema + "}"), 409, "conflict",
                "reboot", "built-in");
        CommandCalls.assertError(HUB.api().put("/api/v1/command-types/lock", "{\"schema\":{\"type\":\"object\",\"properties\":{}}}"),
                409, "conflict", "lock");
        assertThat(HUB.api().get("/api/v1/command-types/reboot").body().path("schema").path("properties").has("delaySeconds")).isTrue();
        assertThat(HUB.api().get("/api/v1/command-types/lock").body().path("builtIn").asBoolean()).isTrue();

        CommandCalls.assertError(HUB.api().put("/api/v1/command-types/bogus_schema", "{\"schema\":{\"type\":\"bogus\"}}"), 400,
                "bad_request", "'schema'");
        CommandCalls.assertError(HUB.api().put("/api/v1/command-types/bogus_min", "{\"schema\":{\"type\":\"integer\",\"minimum\":\"zero\"}}"),
                400, "bad_request", "'schema'");
        CommandCalls.assertError(HUB.api().put("/api/v1/command-types/remote_ref", "{\"schema\":{\"$ref\":\"https://example.com/schema.json\"}}"),
                400, "bad_request", "'schema'");
        CommandCalls.assertError(HUB.api().put("/api/v1/command-types/no_schema", "{\"description\":\"x\"}"), 400, "bad_request", "'schema'");
        CommandCalls.assertError(HUB.api().put("/api/v1/command-types/array_schema", "{\"schema\":[]}"), 400, "bad_request", "'schema'");
        CommandCalls.assertError(HUB.api().put("/api/v1/command-types/extra_field", "{\"schema\":" + schema + ",\"owner\":\"me\"}"),
                400, "bad_request", "unknown field 'owner'");
        CommandCalls.assertError(HUB.api().put("/api/v1/command-types/not_json", "{schema"), 400, "bad_request", "not valid JSON");
        for (String bad : List.of("Open-Door", "open-door", "OpenDoor", "9lives", "_hidden", "a".repeat(65))) {
            CommandCalls.assertError(HUB.api().put("/api/v1/command-types/" + bad, "{\"schema\":" + schema + "}"), 400, "bad_request",
                    "command type name");
        }
        for (String name : List.of("bogus_schema", "bogus_min", "remote_ref", "no_schema", "array_schema", "extra_field",
                "not_json", "open_door_bad")) {
            CommandCalls.assertError(HUB.api().get("/api/v1/command-types/" + name), 404, "not_found");
        }
        ApiClient.Response all = HUB.api().get("/api/v1/command-types");
        all.body().path("items").forEach(t -> assertThat(t.path("name").asText()).matches("[a-z][a-z0-9_]*"));

        CommandCalls.assertError(HUB.api().delete("/api/v1/command-types/reboot"), 409, "conflict", "built-in");
        assertThat(HUB.api().get("/api/v1/command-types/reboot").status()).isEqualTo(200);
        TestHub.DeviceHandle device = CALLS.device("api-types-builtin");
        CALLS.create(device, "{\"type\":\"reboot\",\"params\":{\"delaySeconds\":5}}");
    }
}
