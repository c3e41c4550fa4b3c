package io.fleetwire.hub.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.TestHubExtension;
import io.fleetwire.testkit.AgentSocket;
import io.fleetwire.testkit.ApiClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's command API (admin token): validation of what is created, ids that name nothing,
 * authentication, Idempotency-Key, command types, listing, cancellation, the audit trail, a
 * device's command ordering, and what the hub does with device reports that make no sense.
 * Every refused request is checked to have changed nothing.
 */
@Tag("integration")
class CommandApiTest {

    private static final String FAN_70 = "{\"type\":\"set_fan_speed\",\"params\":{\"fanId\":\"cpu_fan\",\"percent\":70}}";

    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension();
    private static final CommandCalls CALLS = new CommandCalls(HUB);

    // ---------------------------------------------------------------- helpers

    /** Ids of a device's commands as listed (newest first). */
    private static List<String> listed(String deviceId, String query) {
        ApiClient.Response r = HUB.api().get("/api/v1/devices/" + deviceId + "/commands" + query);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        r.body().path("items").forEach(c -> ids.add(c.path("id").asText()));
        return ids;
    }

    private static void assertNoCommands(String deviceId) {
        assertThat(listed(deviceId, "")).as("commands of device " + deviceId).isEmpty();
    }

    private static boolean isCommand(JsonNode m) {
        return "command".equals(m.path("type").asText());
    }

    /**
     * What a socket received, kept: {@link AgentSocket#await} drops what does not match, and the
     * ordering tests must not lose a command frame while they wait for an ack.
     */
    private static final class Inbox {
        private final AgentSocket socket;
        private final List<JsonNode> kept = new ArrayList<>();

        Inbox(AgentSocket socket) {
            this.socket = socket;
        }

        JsonNode await(Predicate<JsonNode> match, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                for (int i = 0; i < kept.size(); i++) {
                    if (match.test(kept.get(i))) {
                        return kept.remove(i);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching message within " + timeout + "; received " + kept);
                }
                try {
                    kept.add(socket.await(m -> true, Duration.ofNanos(left)));
                } catch (AssertionError e) {
                    throw new AssertionError("no matching message within " + timeout + "; received " + kept, e);
                }
            }
        }

        JsonNode command(String id) {
            return await(m -> isCommand(m) && id.equals(m.path("id").asText()), Duration.ofSeconds(10));
        }

        JsonNode anyCommand() {
            return await(CommandApiTest::isCommand, Duration.ofSeconds(10));
        }

        void ack(long seq) {
            JsonNode m = await(n -> "ack".equals(n.path("type").asText()) && n.path("seq").asLong(-2) == seq
                    || "error".equals(n.path("type").asText()) && n.path("ref").path("seq").asLong(-2) == seq,
                    Duration.ofSeconds(10));
            assertThat(m.path("type").asText()).as("answer to seq " + seq + ": " + m).isEqualTo("ack");
        }

        JsonNode errorFor(long seq) {
            return await(n -> n.path("ref").path("seq").asLong(-2) == seq
                    || "ack".equals(n.path("type").asText()) && n.path("seq").asLong(-2) == seq, Duration.ofSeconds(10));
        }

        /** Every command frame received within the window (kept ones included); the rest stays kept. */
        List<JsonNode> commandsWithin(Duration window) {
            kept.addAll(socket.drain(window));
            List<JsonNode> out = kept.stream().filter(CommandApiTest::isCommand).toList();
            kept.removeIf(CommandApiTest::isCommand);
            return out;
        }

        void send(String text) {
            socket.send(text);
        }
    }

    private static String ack(long seq, String id) {
        return "{\"type\":\"command_ack\",\"seq\":" + seq + ",\"id\":\"" + id + "\"}";
    }

    private static String result(long seq, String id, String status) {
        return "{\"type\":\"command_result\",\"seq\":" + seq + ",\"id\":\"" + id + "\",\"status\":\"" + status
                + "\",\"output\":{\"seq\":" + seq + "}}";
    }

    // ---------------------------------------------------------------- 400: what a command may be

    @Test
    void invalidCommands_areRefusedWith400SayingWhy_andCreateNothing() {
        TestHub.DeviceHandle device = CALLS.device("api-invalid");
        String path = "/api/v1/devices/" + device.id() + "/commands";

        CommandCalls.assertError(HUB.api().post(path, "{\"type\":\"launch_rocket\"}"), 400, "bad_request",
                "unknown command type 'launch_rocket'", "/api/v1/command-types");
        CommandCalls.assertError(HUB.api().post(path, "{\"type\":\"set_fan_speed\",\"params\":{\"fanId\":\"cpu_fan\",\"percent\":101}}"),
                400, "bad_request", "set_fan_speed", "percent", "100");
        CommandCalls.assertError(HUB.api().post(path, "{\"type\":\"set_fan_speed\",\"params\":{\"percent\":50}}"),
                400, "bad_request", "fanId");
        CommandCalls.assertError(HUB.api().post(path, "{\"type\":\"set_fan_speed\",\"params\":{\"fanId\":\"f\",\"percent\":\"50\"}}"),
                400, "bad_request", "percent");
        CommandCalls.assertError(HUB.api().post(path, "{\"type\":\"lock\",\"params\":{\"colour\":\"red\"}}"),
                400, "bad_request", "colour");
        CommandCalls.assertError(HUB.api().post(path, "{\"type\":\"history_request\",\"params\":{\"from\":\"2026-02-01T00:00:00Z\",\"to\":\"2026-01-01T00:00:00Z\"}}"),
                400, "bad_request", "'from' must be before 'to'");
        CommandCalls.assertError(HUB.api().post(path, "{\"type\":\"lock\",\"params\":[1,2]}"), 400, "bad_request", "'params'");
        CommandCalls.assertError(HUB.api().post(path, "{\"type\":\"lock\",\"ttlSeconds\":0}"), 400, "bad_request", "ttlSeconds", "2592000");
        CommandCalls.assertError(HUB.api().post(path, "{\"type\":\"lock\",\"ttlSeconds\":2592001}"), 400, "bad_request", "ttlSeconds");
        CommandCalls.assertError(HUB.api().post(path, "{\"type\":\"lock\",\"ttlSeconds\":1.5}"), 400, "bad_request", "ttlSeconds");
        CommandCalls.assertError(HUB.api().post(path, "{\"type\":\"lock\",\"ttlSeconds\":\"60\"}"), 400, "bad_request", "ttlSeconds");
        CommandCalls.assertError(HUB.api().post(path, "{\"type\":\"lock\",\"ttlSeconds\":-5}"), 400, "bad_request", "ttlSeconds");
        CommandCalls.assertError(HUB.api().post(path, "{\"type\":\"lock\",\"priority\":1}"), 400, "bad_request",
                "unknown field 'priority'", "params, ttlSeconds, type");
        CommandCalls.assertError(HUB.api().post(path, "this is not json"), 400, "bad_request", "not valid JSON");
        CommandCalls.assertError(HUB.api().post(path, "{\"type\":\"lock\""), 400, "bad_request", "not valid JSON");
        CommandCalls.assertError(HUB.api().post(path, "[{\"type\":\"lock\"}]"), 400, "bad_request", "JSON object");
        CommandCalls.assertError(HUB.api().post(path, "{\"params\":{}}"), 400, "bad_request", "'type' is required");
        CommandCalls.assertError(HUB.api().post(path, ""), 400, "bad_request", "'type' is required");
        CommandCalls.assertError(HUB.api().post(path, "{\"type\":7}"), 400, "bad_request", "'type'");
        CommandCalls.assertError(HUB.api().post(path, "{\"type\":\"" + "x".repeat(65) + "\"}"), 400, "bad_request", "'type'");
        // A malformed Idempotency-Key is refused too, and does not create the command it came with.
        CommandCalls.assertError(HUB.api().post(path, "{\"type\":\"lock\"}", "Idempotency-Key", "has space"), 400, "bad_request",
                "Idempotency-Key");
        CommandCalls.assertError(HUB.api().post(path, "{\"type\":\"lock\"}", "Idempotency-Key", "k".repeat(256)), 400, "bad_request",
                "Idempotency-Key");

        assertNoCommands(device.id());
        assertThat(CALLS.audit("device=" + device.id())).isEmpty();

        // The limits themselves are accepted.
        String longest = CALLS.create(device, "{\"type\":\"lock\",\"ttlSeconds\":2592000}");
        String shortest = CALLS.create(device, "{\"type\":\"lock\",\"ttlSeconds\":1}");
        assertThat(listed(device.id(), "")).containsExactly(shortest, longest);
    }

    // ---------------------------------------------------------------- 404: ids that name nothing

    @Test
    void idsThatNameNothing_are404_andCreateOrChangeNothing() {
        String nobody = UUID.randomUUID().toString();
        CommandCalls.assertError(HUB.api().post("/api/v1/devices/" + nobody + "/commands", "{\"type\":\"lock\"}"), 404, "not_found", nobody);
        CommandCalls.assertError(HUB.api().post("/api/v1/devices/" + nobody + "/commands", "{\"type\":\"lock\"}", "Idempotency-Key", "nobody-1"),
                404, "not_found", nobody);
        CommandCalls.assertError(HUB.api().get("/api/v1/devices/" + nobody + "/commands"), 404, "not_found", nobody);
        assertThat(CALLS.audit("device=" + nobody)).isEmpty();

        String random = UUID.randomUUID().toString();
        CommandCalls.assertError(HUB.api().get("/api/v1/commands/" + random), 404, "not_found", random);
        CommandCalls.assertError(HUB.api().post("/api/v1/commands/" + random + "/cancel", ""), 404, "not_found", random);
        assertThat(CALLS.audit("command=" + random)).isEmpty();

        for (String bad : List.of("not-a-uuid", "12345", UUID.randomUUID().toString().replace("-", ""))) {
            CommandCalls.assertError(HUB.api().get("/api/v1/commands/" + bad), 404, "not_found");
            CommandCalls.assertError(HUB.api().post("/api/v1/commands/" + bad + "/cancel", ""), 404, "not_found");
            CommandCalls.assertError(HUB.api().post("/api/v1/devices/" + bad + "/commands", "{\"type\":\"lock\"}"), 404, "not_found");
            CommandCalls.assertError(HUB.api().get("/api/v1/devices/" + bad + "/commands"), 404, "not_found");
            CommandCalls.assertError(HUB.api().patch("/api/v1/devices/" + bad, "{\"commandOrdering\":\"sequential\"}"), 404, "not_found");
        }
        CommandCalls.assertError(HUB.api().patch("/api/v1/devices/" + nobody, "{\"commandOrdering\":\"sequential\"}"), 404, "not_found", nobody);
        CommandCalls.assertError(HUB.api().get("/api/v1/devices/" + nobody), 404, "not_found");
    }

    // ---------------------------------------------------------------- 401

    @Test
    void withoutOrWithAWrongToken_everyCommandEndpointIs401_andNothingChanges() {
        TestHub.DeviceHandle device = CALLS.device("api-401");
        String id = CALLS.create(device, "{\"type\":\"reboot\"}");
        assertThat(HUB.api().put("/api/v1/command-types/guarded_type", "{\"schema\":{\"type\":\"object\"}}").status()).isEqualTo(201);

        List<ApiClient> strangers = List.of(HUB.api().withToken(null), HUB.api().withToken("fwa_wrong_token_0123456789"),
                HUB.api().withToken(device.token()), HUB.api().withToken(""));
        for (ApiClient stranger : strangers) {
            List<ApiClient.Response> answers = List.of(
                    stranger.post("/api/v1/devices/" + device.id() + "/commands", "{\"type\":\"lock\"}"),
                    stranger.post("/api/v1/devices/" + device.id() + "/commands", "{\"type\":\"lock\"}",
                            "Idempotency-Key", "stranger"),
                    stranger.get("/api/v1/devices/" + device.id() + "/commands"),
                    stranger.get("/api/v1/commands/" + id),
                    stranger.post("/api/v1/commands/" + id + "/cancel", ""),
                    stranger.get("/api/v1/command-types"),
                    stranger.get("/api/v1/command-types/lock"),
                    stranger.put("/api/v1/command-types/stranger_type", "{\"schema\":{\"type\":\"object\"}}"),
                    stranger.put("/api/v1/command-types/guarded_type", "{\"schema\":{\"type\":\"string\"}}"),
                    stranger.delete("/api/v1/command-types/guarded_type"),
                    stranger.get("/api/v1/audit"),
                    stranger.get("/api/v1/audit?device=" + device.id()),
                    stranger.patch("/api/v1/devices/" + device.id(), "{\"commandOrdering\":\"sequential\"}"));
            for (ApiClient.Response r : answers) {
                CommandCalls.assertError(r, 401, "unauthorized", "admin token");
                assertThat(r.text()).doesNotContain("reboot");
            }
        }

        assertThat(listed(device.id(), "")).containsExactly(id);
        JsonNode c = CALLS.command(id);
        assertThat(c.path("status").asText()).isEqualTo("pending");
        assertThat(c.has("cancelledAt")).isFalse();
        CommandCalls.assertError(HUB.api().get("/api/v1/command-types/stranger_type"), 404, "not_found");
        assertThat(HUB.api().get("/api/v1/command-types/guarded_type").body().path("schema").path("type").asText()).isEqualTo("object");
        assertThat(HUB.api().get("/api/v1/devices/" + device.id()).body().path("commandOrdering").asText()).isEqualTo("burst");
        // The stranger's key was never claimed: the admin may use it.
        ApiClient.Response mine = HUB.api().post("/api/v1/devices/" + device.id() + "/commands", "{\"type\":\"lock\"}",
                "Idempotency-Key", "stranger");
        assertThat(mine.status()).as(mine.text()).isEqualTo(201);
        assertThat(mine.header("Idempotent-Replayed")).isNull();
    }

    // ---------------------------------------------------------------- Idempotency-Key

    @Test
    void idempotencyKey_replaysTheFirstCommand_refusesAnotherBody_andIsScopedToTheDevice() {
        TestHub.DeviceHandle device = CALLS.device("api-idem");
        TestHub.DeviceHandle other = CALLS.device("api-idem-other");
        String path = "/api/v1/devices/" + device.id() + "/commands";

        ApiClient.Response first = HUB.api().post(path, FAN_70, "Idempotency-Key", "fan-70-once");
        assertThat(first.status()).as(first.text()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        String id = first.body().path("id").asText();
        assertThat(first.header("Location")).isEqualTo("/api/v1/commands/" + id);

        ApiClient.Response second = HUB.api().post(path, FAN_70, "Idempotency-Key", "fan-70-once");
        assertThat(second.status()).as(second.text()).isEqualTo(201);
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(second.body().path("id").asText()).isEqualTo(id);
        assertThat(second.body().path("params").path("percent").asInt()).isEqualTo(70);
        assertThat(second.header("Location")).isEqualTo("/api/v1/commands/" + id);
        assertThat(listed(device.id(), "")).containsExactly(id);

        ApiClient.Response conflict = HUB.api().post(path,
                "{\"type\":\"set_fan_speed\",\"params\":{\"fanId\":\"cpu_fan\",\"percent\":20}}",
                "Idempotency-Key", "fan-70-once");
        CommandCalls.assertError(conflict, 409, "conflict", "fan-70-once", "different request");
        assertThat(listed(device.id(), "")).containsExactly(id);
        assertThat(CALLS.command(id).path("params").path("percent").asInt()).isEqualTo(70);

        // The first body still replays after the conflict.
        ApiClient.Response third = HUB.api().post(path, FAN_70, "Idempotency-Key", "fan-70-once");
        assertThat(third.status()).isEqualTo(201);
        assertThat(third.body().path("id").asText()).isEqualTo(id);
        assertThat(third.header("Idempotent-Replayed")).isEqualTo("true");

        ApiClient.Response fresh = HUB.api().post(path, FAN_70, "Idempotency-Key", "fan-70-twice");
        assertThat(fresh.status()).isEqualTo(201);
        assertThat(fresh.header("Idempotent-Replayed")).isNull();
        String secondId = fresh.body().path("id").asText();
        assertThat(secondId).isNotEqualTo(id);

        ApiClient.Response elsewhere = HUB.api().post("/api/v1/devices/" + other.id() + "/commands", FAN_70,
                "Idempotency-Key", "fan-70-once");
        assertThat(elsewhere.status()).as(elsewhere.text()).isEqualTo(201);
        assertThat(elsewhere.header("Idempotent-Replayed")).isNull();
        String otherId = elsewhere.body().path("id").asText();
        assertThat(otherId).isNotIn(id, secondId);
        assertThat(elsewhere.body().path("deviceId").asText()).isEqualTo(other.id());

        assertThat(listed(device.id(), "")).containsExactly(secondId, id);
        assertThat(listed(other.id(), "")).containsExactly(otherId);
        // Replays are not audited as creations.
        assertThat(CALLS.audit("device=" + device.id() + "&action=command.created")).hasSize(2);
        assertThat(CALLS.auditActions(id)).containsExactly("command.created");
    }

    // ---------------------------------------------------------------- command types

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
        assertThat(listed(device.id(), "")).containsExactly(ok);

        assertThat(HUB.api().delete("/api/v1/command-types/open_door").status()).isEqualTo(204);
        CommandCalls.assertError(HUB.api().get("/api/v1/command-types/open_door"), 404, "not_found");
        CommandCalls.assertError(HUB.api().post(path, "{\"type\":\"open_door\",\"params\":{\"doorId\":\"front\"}}"),
                400, "bad_request", "unknown command type 'open_door'");
        CommandCalls.assertError(HUB.api().delete("/api/v1/command-types/open_door"), 404, "not_found", "open_door");
        assertThat(listed(device.id(), "")).containsExactly(ok);

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
        assertThat(listed(device.id(), "")).hasSize(1);
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

    // ---------------------------------------------------------------- listing

    @Test
    void listing_filtersByStatus_andPagesNewestFirst() {
        TestHub.DeviceHandle device = CALLS.device("api-list");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(CALLS.create(device, "{\"type\":\"buzz\",\"params\":{\"durationSeconds\":" + (i + 1) + "}}"));
        }
        assertThat(HUB.api().post("/api/v1/commands/" + ids.get(1) + "/cancel", "").status()).isEqualTo(200);
        assertThat(HUB.api().post("/api/v1/commands/" + ids.get(3) + "/cancel", "").status()).isEqualTo(200);

        assertThat(listed(device.id(), "")).containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));
        assertThat(listed(device.id(), "?status=cancelled")).containsExactly(ids.get(3), ids.get(1));
        assertThat(listed(device.id(), "?status=pending")).containsExactly(ids.get(4), ids.get(2), ids.get(0));
        assertThat(listed(device.id(), "?status=pending,cancelled")).containsExactly(ids.get(4), ids.get(3), ids.get(2),
                ids.get(1), ids.get(0));
        assertThat(listed(device.id(), "?status=sent,delivered")).isEmpty();

        String base = "/api/v1/devices/" + device.id() + "/commands";
        CommandCalls.assertError(HUB.api().get(base + "?status=bogus"), 400, "bad_request", "'status'", "pending");
        CommandCalls.assertError(HUB.api().get(base + "?status=pending,bogus"), 400, "bad_request", "'status'");
        CommandCalls.assertError(HUB.api().get(base + "?status="), 400, "bad_request", "'status'");
        CommandCalls.assertError(HUB.api().get(base + "?limit=0"), 400, "bad_request", "'limit'");
        CommandCalls.assertError(HUB.api().get(base + "?limit=501"), 400, "bad_request", "'limit'");
        CommandCalls.assertError(HUB.api().get(base + "?limit=two"), 400, "bad_request", "'limit'");
        CommandCalls.assertError(HUB.api().get(base + "?before=yesterday"), 400, "bad_request", "'before'");

        List<String> paged = new ArrayList<>();
        String query = "?limit=2";
        int pages = 0;
        while (true) {
            ApiClient.Response page = HUB.api().get(base + query);
            assertThat(page.status()).as(page.text()).isEqualTo(200);
            assertThat(page.body().path("items").size()).isLessThanOrEqualTo(2);
            page.body().path("items").forEach(c -> paged.add(c.path("id").asText()));
            pages++;
            assertThat(pages).as("pages").isLessThanOrEqualTo(4);
            if (!page.body().has("next")) {
                break;
            }
            query = "?limit=2&before=" + page.body().path("next").asText();
        }
        assertThat(paged).containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));

        ApiClient.Response filteredPage = HUB.api().get(base + "?status=pending&limit=2");
        List<String> firstPending = new ArrayList<>();
        filteredPage.body().path("items").forEach(c -> firstPending.add(c.path("id").asText()));
        assertThat(firstPending).containsExactly(ids.get(4), ids.get(2));
        assertThat(listed(device.id(), "?status=pending&limit=2&before=" + filteredPage.body().path("next").asText()))
                .containsExactly(ids.get(0));
    }

    // ---------------------------------------------------------------- cancel

    @Test
    void deliveredCommand_cannotBeCancelled_butASentOneCanAndTheDeviceIsTold() {
        TestHub.DeviceHandle device = CALLS.device("api-cancel");
        try (AgentSocket socket = HUB.hub().connect(device)) {
            Inbox inbox = new Inbox(socket);
            String delivered = CALLS.create(device, "{\"type\":\"reboot\",\"params\":{\"delaySeconds\":30}}");
            inbox.command(delivered);
            inbox.send(ack(1, delivered));
            inbox.ack(1);
            assertThat(CALLS.status(delivered)).isEqualTo("delivered");

            CommandCalls.assertError(HUB.api().post("/api/v1/commands/" + delivered + "/cancel", ""), 409, "conflict",
                    delivered, "delivered", "can no longer be cancelled");
            JsonNode after = CALLS.command(delivered);
            assertThat(after.path("status").asText()).isEqualTo("delivered");
            assertThat(after.has("cancelledAt")).isFalse();
            assertThat(CALLS.auditActions(delivered)).doesNotContain("command.cancelled");

            String sent = CALLS.create(device, "{\"type\":\"lock\"}");
            inbox.command(sent);
            assertThat(CALLS.status(sent)).isEqualTo("sent");
            ApiClient.Response cancelled = HUB.api().post("/api/v1/commands/" + sent + "/cancel", "");
            assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
            assertThat(cancelled.body().path("status").asText()).isEqualTo("cancelled");
            JsonNode cancel = inbox.await(m -> "command_cancel".equals(m.path("type").asText()), Duration.ofSeconds(10));
            assertThat(cancel.path("id").asText()).isEqualTo(sent);

            // Its ack, come too late, is answered with the cancel again and changes nothing.
            inbox.send(ack(2, sent));
            inbox.ack(2);
            assertThat(inbox.await(m -> "command_cancel".equals(m.path("type").asText()), Duration.ofSeconds(10))
                    .path("id").asText()).isEqualTo(sent);
            assertThat(CALLS.status(sent)).isEqualTo("cancelled");
            assertThat(CALLS.auditActions(sent)).containsExactly("command.created", "command.sent", "command.cancelled",
                    "command.late_ack");
        }
    }

    // ---------------------------------------------------------------- audit

    @Test
    void auditTrail_namesTheOperatorAndTheDevice_andRefusesABadFilter() {
        TestHub.DeviceHandle device = CALLS.device("api-audit");
        String cancelled = CALLS.create(device, "{\"type\":\"lock\"}");
        assertThat(HUB.api().post("/api/v1/commands/" + cancelled + "/cancel", "").status()).isEqualTo(200);
        String run;
        try (AgentSocket socket = HUB.hub().connect(device)) {
            Inbox inbox = new Inbox(socket);
            run = CALLS.create(device, "{\"type\":\"unlock\"}");
            inbox.command(run);
            inbox.send(ack(1, run));
            inbox.ack(1);
            inbox.send(result(2, run, "succeeded"));
            inbox.ack(2);
        }

        List<JsonNode> trail = CALLS.audit("device=" + device.id());
        List<String> lines = trail.stream().map(e -> e.path("actor").asText() + " " + e.path("action").asText() + " "
                + e.path("commandId").asText()).toList();
        assertThat(lines).containsExactly(
                "admin command.created " + cancelled,
                "admin command.cancelled " + cancelled,
                "admin command.created " + run,
                "hub command.sent " + run,
                "device:" + device.id() + " command.delivered " + run,
                "device:" + device.id() + " command.succeeded " + run);
        assertThat(trail).allMatch(e -> device.id().equals(e.path("deviceId").asText()));
        assertThat(trail.getFirst().path("detail").path("type").asText()).isEqualTo("lock");
        assertThat(trail.get(1).path("detail").path("from").asText()).isEqualTo("pending");
        assertThat(trail.get(4).path("detail").path("via").asText()).isEqualTo("socket");

        assertThat(CALLS.audit("device=" + device.id() + "&actor=device:" + device.id()))
                .extracting(e -> e.path("action").asText()).containsExactly("command.delivered", "command.succeeded");
        assertThat(CALLS.audit("command=" + cancelled + "&action=command.cancelled")).hasSize(1);
        assertThat(CALLS.audit("device=" + device.id() + "&limit=2")).hasSize(2);

        CommandCalls.assertError(HUB.api().get("/api/v1/audit?device=not-a-uuid"), 400, "bad_request", "'device'");
        CommandCalls.assertError(HUB.api().get("/api/v1/audit?command=42"), 400, "bad_request", "'command'");
        CommandCalls.assertError(HUB.api().get("/api/v1/audit?limit=0"), 400, "bad_request", "'limit'");
        CommandCalls.assertError(HUB.api().get("/api/v1/audit?before=x"), 400, "bad_request", "'before'");
        CommandCalls.assertError(HUB.api().get("/api/v1/audit?actor="), 400, "bad_request", "'actor'");
        assertThat(CALLS.audit("device=" + device.id())).hasSize(6);
    }

    // ---------------------------------------------------------------- ordering

    @Test
    void commandOrdering_isSetByPatch_andABadValueChangesNothing() {
        TestHub.DeviceHandle device = CALLS.device("api-ordering-patch");
        String path = "/api/v1/devices/" + device.id();
        assertThat(HUB.api().get(path).body().path("commandOrdering").asText()).isEqualTo("burst");

        ApiClient.Response r = HUB.api().patch(path, "{\"commandOrdering\":\"sequential\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.body().path("commandOrdering").asText()).isEqualTo("sequential");
        assertThat(r.body().path("id").asText()).isEqualTo(device.id());
        assertThat(HUB.api().get(path).body().path("commandOrdering").asText()).isEqualTo("sequential");

        CommandCalls.assertError(HUB.api().patch(path, "{\"commandOrdering\":\"bogus\"}"), 400, "bad_request", "commandOrdering",
                "burst or sequential");
        CommandCalls.assertError(HUB.api().patch(path, "{\"commandOrdering\":\"Burst\"}"), 400, "bad_request", "commandOrdering");
        CommandCalls.assertError(HUB.api().patch(path, "{\"commandOrdering\":1}"), 400, "bad_request", "commandOrdering");
        CommandCalls.assertError(HUB.api().patch(path, "{\"labels\":{\"site\":\"lab\"},\"commandOrdering\":\"bogus\"}"), 400,
                "bad_request", "commandOrdering");
        CommandCalls.assertError(HUB.api().patch(path, "{\"ordering\":\"burst\"}"), 400, "bad_request", "unknown field 'ordering'");
        CommandCalls.assertError(HUB.api().patch(path, "not json"), 400, "bad_request", "not valid JSON");
        JsonNode unchanged = HUB.api().get(path).body();
        assertThat(unchanged.path("commandOrdering").asText()).isEqualTo("sequential");
        assertThat(unchanged.path("labels").has("site")).isFalse();

        ApiClient.Response labelsOnly = HUB.api().patch(path, "{\"labels\":{\"site\":\"lab\"}}");
        assertThat(labelsOnly.status()).as(labelsOnly.text()).isEqualTo(200);
        assertThat(labelsOnly.body().path("commandOrdering").asText()).isEqualTo("sequential");
        assertThat(labelsOnly.body().path("labels").path("site").asText()).isEqualTo("lab");

        ApiClient.Response back = HUB.api().patch(path, "{\"commandOrdering\":\"burst\"}");
        assertThat(back.body().path("commandOrdering").asText()).isEqualTo("burst");
        assertThat(back.body().path("labels").path("site").asText()).isEqualTo("lab");
    }

    @Test
    void sequentialDevice_getsOneCommandAtATime_whileABurstDeviceGetsAllAtOnce() {
        TestHub.DeviceHandle seq = CALLS.device("api-sequential");
        TestHub.DeviceHandle burst = CALLS.device("api-burst");
        assertThat(HUB.api().patch("/api/v1/devices/" + seq.id(), "{\"commandOrdering\":\"sequential\"}").status()).isEqualTo(200);
        List<String> seqIds = new ArrayList<>();
        List<String> burstIds = new ArrayList<>();
        for (String body : List.of("{\"type\":\"lock\"}", "{\"type\":\"buzz\"}", "{\"type\":\"unlock\"}")) {
            seqIds.add(CALLS.create(seq, body));
            burstIds.add(CALLS.create(burst, body));
        }

        try (AgentSocket burstSocket = HUB.hub().connect(burst); AgentSocket seqSocket = HUB.hub().connect(seq)) {
            Inbox b = new Inbox(burstSocket);
            Inbox s = new Inbox(seqSocket);
            List<String> burstOrder = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                burstOrder.add(b.anyCommand().path("id").asText());
            }
            assertThat(burstOrder).containsExactlyElementsOf(burstIds);
            for (String id : burstIds) {
                assertThat(CALLS.status(id)).isEqualTo("sent");
            }

            assertThat(s.anyCommand().path("id").asText()).isEqualTo(seqIds.get(0));
            assertThat(s.commandsWithin(Duration.ofMillis(700))).isEmpty();
            assertThat(CALLS.status(seqIds.get(1))).isEqualTo("pending");
            assertThat(CALLS.status(seqIds.get(2))).isEqualTo("pending");

            // Delivered and running: still nothing else.
            s.send(ack(1, seqIds.get(0)));
            s.ack(1);
            assertThat(s.commandsWithin(Duration.ofMillis(500))).isEmpty();

            s.send(result(2, seqIds.get(0), "succeeded"));
            s.ack(2);
            assertThat(s.anyCommand().path("id").asText()).isEqualTo(seqIds.get(1));
            assertThat(s.commandsWithin(Duration.ofMillis(500))).isEmpty();
            assertThat(CALLS.status(seqIds.get(2))).isEqualTo("pending");

            // A failure ends the command too: the next one goes.
            s.send(result(3, seqIds.get(1), "failed"));
            s.ack(3);
            assertThat(s.anyCommand().path("id").asText()).isEqualTo(seqIds.get(2));
            s.send(result(4, seqIds.get(2), "succeeded"));
            s.ack(4);
            assertThat(s.commandsWithin(Duration.ofMillis(300))).isEmpty();
        }
        assertThat(CALLS.status(seqIds.get(0))).isEqualTo("succeeded");
        assertThat(CALLS.status(seqIds.get(1))).isEqualTo("failed");
        assertThat(CALLS.status(seqIds.get(2))).isEqualTo("succeeded");
    }

    @Test
    void sequentialDevice_getsTheNextCommand_whenTheRunningOneIsCancelled() {
        TestHub.DeviceHandle seq = CALLS.device("api-sequential-cancel");
        assertThat(HUB.api().patch("/api/v1/devices/" + seq.id(), "{\"commandOrdering\":\"sequential\"}").status()).isEqualTo(200);
        try (AgentSocket socket = HUB.hub().connect(seq)) {
            Inbox s = new Inbox(socket);
            String first = CALLS.create(seq, "{\"type\":\"lock\"}");
            String second = CALLS.create(seq, "{\"type\":\"unlock\"}");
            s.command(first);
            assertThat(s.commandsWithin(Duration.ofMillis(500))).isEmpty();
            assertThat(HUB.api().post("/api/v1/commands/" + first + "/cancel", "").status()).isEqualTo(200);
            assertThat(s.command(second).path("attempt").asInt()).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------- socket reports that make no sense

    @Test
    void resultOverTheSocket_forACommandNeverSent_isRefusedAsInvalid_andChangesNothing() {
        TestHub.DeviceHandle device = CALLS.device("api-socket-pending");
        assertThat(HUB.api().patch("/api/v1/devices/" + device.id(), "{\"commandOrdering\":\"sequential\"}").status()).isEqualTo(200);
        String first = CALLS.create(device, "{\"type\":\"lock\"}");
        String waiting = CALLS.create(device, "{\"type\":\"unlock\"}");
        try (AgentSocket socket = HUB.hub().connect(device)) {
            Inbox s = new Inbox(socket);
            s.command(first);
            assertThat(CALLS.status(waiting)).isEqualTo("pending");

            s.send(result(7, waiting, "succeeded"));
            JsonNode error = s.errorFor(7);
            assertThat(error.path("type").asText()).as(error.toString()).isEqualTo("error");
            assertThat(error.path("code").asText()).isEqualTo("invalid_message");
            assertThat(error.path("ref").path("seq").asLong()).isEqualTo(7);
            assertThat(error.path("ref").path("type").asText()).isEqualTo("command_result");
            assertThat(error.path("message").asText()).contains(waiting, "never sent");

            s.send(ack(8, waiting));
            JsonNode ackError = s.errorFor(8);
            assertThat(ackError.path("code").asText()).as(ackError.toString()).isEqualTo("invalid_message");
            assertThat(ackError.path("ref").path("type").asText()).isEqualTo("command_ack");

            JsonNode still = CALLS.command(waiting);
            assertThat(still.path("status").asText()).isEqualTo("pending");
            assertThat(still.path("attempts").asInt()).isZero();
            assertThat(still.has("output")).isFalse();
            assertThat(still.has("finishedAt")).isFalse();
            assertThat(CALLS.auditActions(waiting)).containsExactly("command.created");
            // The refusal did not release the queue either.
            assertThat(s.commandsWithin(Duration.ofMillis(500))).isEmpty();
            assertThat(socket.isClosed()).isFalse();
        }
    }

    @Test
    void ackOverTheSocket_forAnotherDevicesCommandOrAnUnknownOne_isNotFound_andChangesNothing() {
        TestHub.DeviceHandle mine = CALLS.device("api-socket-mine");
        TestHub.DeviceHandle theirs = CALLS.device("api-socket-theirs");
        String theirCommand = CALLS.create(theirs, "{\"type\":\"reboot\"}");
        String random = UUID.randomUUID().toString();
        try (AgentSocket socket = HUB.hub().connect(mine)) {
            Inbox s = new Inbox(socket);
            s.send(ack(1, theirCommand));
            JsonNode e1 = s.errorFor(1);
            assertThat(e1.path("type").asText()).as(e1.toString()).isEqualTo("error");
            assertThat(e1.path("code").asText()).isEqualTo("not_found");
            assertThat(e1.path("ref").path("seq").asLong()).isEqualTo(1);
            assertThat(e1.path("message").asText()).contains(theirCommand);

            s.send(result(2, theirCommand, "succeeded"));
            JsonNode e2 = s.errorFor(2);
            assertThat(e2.path("code").asText()).as(e2.toString()).isEqualTo("not_found");

            s.send(ack(3, random));
            JsonNode e3 = s.errorFor(3);
            assertThat(e3.path("code").asText()).as(e3.toString()).isEqualTo("not_found");
            assertThat(e3.path("message").asText()).contains(random);
        }
        JsonNode their = CALLS.command(theirCommand);
        assertThat(their.path("status").asText()).isEqualTo("pending");
        assertThat(their.has("deliveredAt")).isFalse();
        assertThat(CALLS.auditActions(theirCommand)).containsExactly("command.created");
        assertThat(CALLS.audit("device=" + mine.id())).isEmpty();

        // The rightful device still gets and runs it.
        try (AgentSocket socket = HUB.hub().connect(theirs)) {
            Inbox s = new Inbox(socket);
            s.command(theirCommand);
            s.send(ack(1, theirCommand));
            s.ack(1);
        }
        assertThat(CALLS.status(theirCommand)).isEqualTo("delivered");
    }

    @Test
    void concurrentRetriesWithTheSameIdempotencyKey_createOneCommand() throws Exception {
        TestHub.DeviceHandle device = CALLS.device("api-idem-race");
        int n = 8;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        List<ApiClient.Response> answers = new ArrayList<>();
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<ApiClient.Response>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return HUB.api().post("/api/v1/devices/" + device.id() + "/commands", FAN_70, "Idempotency-Key", "race-1");
                }));
            }
            start.countDown();
            for (var f : futures) {
                answers.add(f.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        HashSet<String> ids = new HashSet<>();
        int replayed = 0;
        for (ApiClient.Response r : answers) {
            assertThat(r.status()).as(r.text()).isEqualTo(201);
            ids.add(r.body().path("id").asText());
            if ("true".equals(r.header("Idempotent-Replayed"))) {
                replayed++;
            }
        }
        assertThat(ids).hasSize(1);
        assertThat(replayed).isEqualTo(n - 1);
        assertThat(listed(device.id(), "")).containsExactlyElementsOf(ids);
        assertThat(CALLS.audit("device=" + device.id() + "&action=command.created")).hasSize(1);
    }

    /**
     * PostgreSQL cannot store U+0000 in jsonb or text columns. Params or a description carrying one
     * are bad requests: 400 naming the field, not a 500, and nothing stored.
     */
    @Test
    void nulCharacterInParamsOrATypeDescription_isRefusedWith400_andStoresNothing() {
        TestHub.DeviceHandle device = CALLS.device("api-nul");
        ApiClient.Response params = HUB.api().post("/api/v1/devices/" + device.id() + "/commands",
                "{\"type\":\"broadcast_message\",\"params\":{\"text\":\"hello\\u0000world\"}}");
        ApiClient.Response description = HUB.api().put("/api/v1/command-types/nul_description",
                "{\"description\":\"open\\u0000door\",\"schema\":{\"type\":\"object\"}}");
        assertNoCommands(device.id());
        CommandCalls.assertError(HUB.api().get("/api/v1/command-types/nul_description"), 404, "not_found");
        CommandCalls.assertError(params, 400, "bad_request", "params");
        CommandCalls.assertError(description, 400, "bad_request", "'description'");
    }

    /**
     * A result the hub can never store (U+0000 in its output or error) must not be answered
     * {@code internal} ("send it again later"): the device would re-send it forever. It is an
     * {@code invalid_message}, and the command stays as it was.
     */
    @Test
    void resultOverTheSocketThatCanNeverBeStored_isInvalid_notInternal() {
        TestHub.DeviceHandle device = CALLS.device("api-socket-nul");
        try (AgentSocket socket = HUB.hub().connect(device)) {
            Inbox s = new Inbox(socket);
            String id = CALLS.create(device, "{\"type\":\"lock\"}");
            s.command(id);
            s.send("{\"type\":\"command_result\",\"seq\":1,\"id\":\"" + id
                    + "\",\"status\":\"succeeded\",\"output\":{\"line\":\"a\\u0000b\"}}");
            JsonNode outputAnswer = s.errorFor(1);
            s.send("{\"type\":\"command_result\",\"seq\":2,\"id\":\"" + id
                    + "\",\"status\":\"failed\",\"error\":\"bad\\u0000byte\"}");
            JsonNode errorAnswer = s.errorFor(2);
            assertThat(CALLS.status(id)).isEqualTo("sent");
            assertThat(CALLS.auditActions(id)).containsExactly("command.created", "command.sent");

            assertThat(outputAnswer.path("type").asText()).as(outputAnswer.toString()).isEqualTo("error");
            assertThat(errorAnswer.path("type").asText()).as(errorAnswer.toString()).isEqualTo("error");
            assertThat(outputAnswer.path("code").asText()).as(outputAnswer.toString()).isEqualTo("invalid_message");
            assertThat(errorAnswer.path("code").asText()).as(errorAnswer.toString()).isEqualTo("invalid_message");
        }
    }
}
