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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's command API (admin token): validation of what is created, ids that name nothing,
 * authentication, Idempotency-Key, listing, cancellation and the audit trail. Every refused request
 * is checked to have changed nothing.
 */
@Tag("integration")
class CommandApiTest {

    private static final String FAN_70 = "{\"type\":\"set_fan_speed\",\"params\":{\"fanId\":\"cpu_fan\",\"percent\":70}}";

    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension();
    private static final CommandCalls CALLS = new CommandCalls(HUB);

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

        CALLS.assertNoCommands(device.id());
        assertThat(CALLS.audit("device=" + device.id())).isEmpty();

        // The limits themselves are accepted.
        String longest = CALLS.create(device, "{\"type\":\"lock\",\"ttlSeconds\":2592000}");
        String shortest = CALLS.create(device, "{\"type\":\"lock\",\"ttlSeconds\":1}");
        assertThat(CALLS.listed(device.id(), "")).containsExactly(shortest, longest);
    }

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

        assertThat(CALLS.listed(device.id(), "")).containsExactly(id);
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
        assertThat(CALLS.listed(device.id(), "")).containsExactly(id);

        ApiClient.Response conflict = HUB.api().post(path,
                "{\"type\":\"set_fan_speed\",\"params\":{\"fanId\":\"cpu_fan\",\"percent\":20}}",
                "Idempotency-Key", "fan-70-once");
        CommandCalls.assertError(conflict, 409, "conflict", "fan-70-once", "different request");
        assertThat(CALLS.listed(device.id(), "")).containsExactly(id);
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

        assertThat(CALLS.listed(device.id(), "")).containsExactly(secondId, id);
        assertThat(CALLS.listed(other.id(), "")).containsExactly(otherId);
        // Replays are not audited as creations.
        assertThat(CALLS.audit("device=" + device.id() + "&action=command.created")).hasSize(2);
        assertThat(CALLS.auditActions(id)).containsExactly("command.created");
    }

    @Test
    void listing_filtersByStatus_andPagesNewestFirst() {
        TestHub.DeviceHandle device = CALLS.device("api-list");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(CALLS.create(device, "{\"type\":\"buzz\",\"params\":{\"durationSeconds\":" + (i + 1) + "}}"));
        }
        assertThat(HUB.api().post("/api/v1/commands/" + ids.get(1) + "/cancel", "").status()).isEqualTo(200);
        assertThat(HUB.api().post("/api/v1/commands/" + ids.get(3) + "/cancel", "").status()).isEqualTo(200);

        assertThat(CALLS.listed(device.id(), "")).containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));
        assertThat(CALLS.listed(device.id(), "?status=cancelled")).containsExactly(ids.get(3), ids.get(1));
        assertThat(CALLS.listed(device.id(), "?status=pending")).containsExactly(ids.get(4), ids.get(2), ids.get(0));
        assertThat(CALLS.listed(device.id(), "?status=pending,cancelled")).containsExactly(ids.get(4), ids.get(3), ids.get(2),
                ids.get(1), ids.get(0));
        assertThat(CALLS.listed(device.id(), "?status=sent,delivered")).isEmpty();

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
        assertThat(CALLS.listed(device.id(), "?status=pending&limit=2&before=" + filteredPage.body().path("next").asText()))
                .containsExactly(ids.get(0));
    }

    @Test
    void deliveredCommand_cannotBeCancelled_butASentOneCanAndTheDeviceIsTold() {
        TestHub.DeviceHandle device = CALLS.device("api-cancel");
        try (AgentSocket socket = HUB.hub().connect(device)) {
            SocketInbox inbox = new SocketInbox(socket);
            String delivered = CALLS.create(device, "{\"type\":\"reboot\",\"params\":{\"delaySeconds\":30}}");
            inbox.command(delivered);
            inbox.send(SocketInbox.commandAck(1, delivered));
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
            inbox.send(SocketInbox.commandAck(2, sent));
            inbox.ack(2);
            assertThat(inbox.await(m -> "command_cancel".equals(m.path("type").asText()), Duration.ofSeconds(10))
                    .path("id").asText()).isEqualTo(sent);
            assertThat(CALLS.status(sent)).isEqualTo("cancelled");
            assertThat(CALLS.auditActions(sent)).containsExactly("command.created", "command.sent", "command.cancelled",
                    "command.late_ack");
        }
    }

    @Test
    void auditTrail_namesTheOperatorAndTheDevice_andRefusesABadFilter() {
        TestHub.DeviceHandle device = CALLS.device("api-audit");
        String cancelled = CALLS.create(device, "{\"type\":\"lock\"}");
        assertThat(HUB.api().post("/api/v1/commands/" + cancelled + "/cancel", "").status()).isEqualTo(200);
        String run;
        try (AgentSocket socket = HUB.hub().connect(device)) {
            SocketInbox inbox = new SocketInbox(socket);
            run = CALLS.create(device, "{\"type\":\"unlock\"}");
            inbox.command(run);
            inbox.send(SocketInbox.commandAck(1, run));
            inbox.ack(1);
            inbox.send(SocketInbox.commandResult(2, run, "succeeded"));
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
        assertThat(CALLS.listed(device.id(), "")).containsExactlyElementsOf(ids);
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
        CALLS.assertNoCommands(device.id());
        CommandCalls.assertError(HUB.api().get("/api/v1/command-types/nul_description"), 404, "not_found");
        CommandCalls.assertError(params, 400, "bad_request", "params");
        CommandCalls.assertError(description, 400, "bad_request", "'description'");
    }
}
