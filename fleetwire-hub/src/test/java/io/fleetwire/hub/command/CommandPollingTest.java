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
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP fallback for devices whose socket is down: polling for commands, acknowledging them and
 * reporting results with the device's own token, alone and side by side with the socket. Every
 * refused report is checked to have changed nothing.
 */
@Tag("integration")
class CommandPollingTest {

    private static final String POLL = "/api/v1/agent/commands";

    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension();
    private static final CommandCalls CALLS = new CommandCalls(HUB);

    // ---------------------------------------------------------------- helpers

    private static ApiClient as(TestHub.DeviceHandle device) {
        return HUB.api().withToken(device.token());
    }

    private static List<JsonNode> poll(TestHub.DeviceHandle device) {
        ApiClient.Response r = as(device).get(POLL);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.body().path("items").forEach(out::add);
        return out;
    }

    private static List<String> ids(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("id").asText()).toList();
    }

    private static ApiClient.Response ackHttp(TestHub.DeviceHandle device, String id) {
        return as(device).post(POLL + "/" + id + "/ack", "");
    }

    private static ApiClient.Response resultHttp(TestHub.DeviceHandle device, String id, String body) {
        return as(device).post(POLL + "/" + id + "/result", body);
    }

    /** The command as the operator sees it (no field of it changes with time alone). */
    private static JsonNode snapshot(String id) {
        return CALLS.command(id).deepCopy();
    }

    // ---------------------------------------------------------------- polling

    @Test
    void poll_returnsPendingCommandsOldestFirst_asCommandFrames_andMarksThemSent() {
        TestHub.DeviceHandle device = CALLS.device("poll-basic");
        String first = CALLS.create(device, "{\"type\":\"set_fan_speed\",\"params\":{\"fanId\":\"cpu_fan\",\"percent\":40},\"ttlSeconds\":600}");
        String second = CALLS.create(device, "{\"type\":\"lock\",\"params\":{\"message\":\"bye\"}}");
        String third = CALLS.create(device, "{\"type\":\"unlock\"}");
        String cancelled = CALLS.create(device, "{\"type\":\"buzz\"}");
        assertThat(HUB.api().post("/api/v1/commands/" + cancelled + "/cancel", "").status()).isEqualTo(200);
        TestHub.DeviceHandle other = CALLS.device("poll-basic-other");
        String notMine = CALLS.create(other, "{\"type\":\"lock\"}");

        long before = System.currentTimeMillis();
        List<JsonNode> frames = poll(device);
        assertThat(ids(frames)).containsExactly(first, second, third);
        JsonNode f = frames.getFirst();
        List<String> fields = new ArrayList<>();
        f.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("type", "id", "name", "params", "expiresAt", "attempt");
        assertThat(f.path("type").asText()).isEqualTo("command");
        assertThat(f.path("name").asText()).isEqualTo("set_fan_speed");
        assertThat(f.path("params").path("fanId").asText()).isEqualTo("cpu_fan");
        assertThat(f.path("params").path("percent").asInt()).isEqualTo(40);
        assertThat(f.path("attempt").asInt()).isEqualTo(1);
        assertThat(f.path("expiresAt").asLong()).isBetween(before + 590_000, before + 610_000);
        assertThat(frames.get(1).path("params").path("message").asText()).isEqualTo("bye");
        assertThat(frames.get(2).path("params").isObject()).isTrue();

        for (String id : List.of(first, second, third)) {
            JsonNode c = CALLS.command(id);
            assertThat(c.path("status").asText()).as(id).isEqualTo("sent");
            assertThat(c.has("deliveredVia")).as(id).isFalse();
            assertThat(c.has("deliveredAt")).as(id).isFalse();
            assertThat(c.path("sentAt").isTextual()).as(id).isTrue();
            assertThat(c.path("attempts").asInt()).as(id).isEqualTo(1);
        }
        assertThat(CALLS.command(cancelled).path("status").asText()).isEqualTo("cancelled");
        assertThat(CALLS.command(notMine).path("status").asText()).isEqualTo("pending");
        assertThat(CALLS.auditActions(first)).containsExactly("command.created", "command.sent");

        // A poll again (the first answer was lost) gives the same unacknowledged commands, one attempt more.
        List<JsonNode> again = poll(device);
        assertThat(ids(again)).containsExactly(first, second, third);
        assertThat(again.getFirst().path("attempt").asInt()).isEqualTo(2);
        // A device with nothing to do gets an empty list.
        assertThat(poll(CALLS.device("poll-idle"))).isEmpty();
    }

    @Test
    void ackAndResultOverHttp_deliverAndFinishTheCommand_andStoreItsOutput() {
        TestHub.DeviceHandle device = CALLS.device("poll-run");
        String id = CALLS.create(device, "{\"type\":\"reboot\",\"params\":{\"delaySeconds\":10}}");
        assertThat(ids(poll(device))).containsExactly(id);

        ApiClient.Response ack = ackHttp(device, id);
        assertThat(ack.status()).as(ack.text()).isEqualTo(200);
        assertThat(ack.body().path("id").asText()).isEqualTo(id);
        assertThat(ack.body().path("status").asText()).isEqualTo("delivered");
        assertThat(ack.body().path("run").asBoolean(false)).isTrue();
        JsonNode delivered = CALLS.command(id);
        assertThat(delivered.path("status").asText()).isEqualTo("delivered");
        assertThat(delivered.path("deliveredVia").asText()).isEqualTo("http");
        // Delivered: not handed out again.
        assertThat(poll(device)).isEmpty();

        ApiClient.Response done = resultHttp(device, id,
                "{\"status\":\"succeeded\",\"output\":{\"uptimeSeconds\":3,\"log\":[\"a\",\"b\"]}}");
        assertThat(done.status()).as(done.text()).isEqualTo(200);
        assertThat(done.body().path("status").asText()).isEqualTo("succeeded");
        assertThat(done.body().path("run").asBoolean(true)).isFalse();

        JsonNode c = CALLS.command(id);
        assertThat(c.path("status").asText()).isEqualTo("succeeded");
        assertThat(c.path("output").path("uptimeSeconds").asInt()).isEqualTo(3);
        assertThat(c.path("output").path("log").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(c.path("finishedAt").isTextual()).isTrue();
        assertThat(CALLS.auditActions(id)).containsExactly("command.created", "command.sent", "command.delivered",
                "command.succeeded");
        ApiClient.Response trail = HUB.api().get("/api/v1/audit?command=" + id + "&action=command.delivered");
        assertThat(trail.body().path("items").get(0).path("actor").asText()).isEqualTo("device:" + device.id());
        assertThat(trail.body().path("items").get(0).path("detail").path("via").asText()).isEqualTo("http");
    }

    @Test
    void resultOverHttpWithoutAnAck_impliesDelivery_andAFailureKeepsItsError() {
        TestHub.DeviceHandle device = CALLS.device("poll-fail");
        String id = CALLS.create(device, "{\"type\":\"clear_cache\",\"params\":{\"scope\":\"temp\"}}");
        assertThat(ids(poll(device))).containsExactly(id);
        ApiClient.Response r = resultHttp(device, id, "{\"status\":\"failed\",\"error\":\"disk read-only\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("failed");
        JsonNode c = CALLS.command(id);
        assertThat(c.path("status").asText()).isEqualTo("failed");
        assertThat(c.path("error").asText()).isEqualTo("disk read-only");
        assertThat(c.path("deliveredVia").asText()).isEqualTo("http");
        assertThat(CALLS.auditActions(id)).containsExactly("command.created", "command.sent", "command.delivered", "command.failed");
    }

    @Test
    void theSameCommand_throughSocketAndPolling_isDeliveredAndFinishedOnce() {
        TestHub.DeviceHandle device = CALLS.device("poll-both");
        try (AgentSocket socket = HUB.hub().connect(device)) {
            String id = CALLS.create(device, "{\"type\":\"update_config\",\"params\":{\"settings\":{\"interval\":5}}}");
            JsonNode pushed = socket.await(m -> "command".equals(m.path("type").asText()) && id.equals(m.path("id").asText()),
                    Duration.ofSeconds(10));
            assertThat(pushed.path("attempt").asInt()).isEqualTo(1);

            List<JsonNode> polled = poll(device);
            assertThat(ids(polled)).containsExactly(id);
            assertThat(polled.getFirst().path("params").path("settings").path("interval").asInt()).isEqualTo(5);

            ApiClient.Response httpAck = ackHttp(device, id);
            assertThat(httpAck.status()).as(httpAck.text()).isEqualTo(200);
            assertThat(httpAck.body().path("status").asText()).isEqualTo("delivered");
            assertThat(httpAck.body().path("run").asBoolean()).isTrue();
            socket.send("{\"type\":\"command_ack\",\"seq\":1,\"id\":\"" + id + "\"}");
            socket.awaitAck(1);
            assertThat(CALLS.command(id).path("deliveredVia").asText()).isEqualTo("http");

            ApiClient.Response httpResult = resultHttp(device, id, "{\"status\":\"succeeded\",\"output\":{\"applied\":1}}");
            assertThat(httpResult.status()).as(httpResult.text()).isEqualTo(200);
            assertThat(httpResult.body().path("status").asText()).isEqualTo("succeeded");
            socket.send("{\"type\":\"command_result\",\"seq\":2,\"id\":\"" + id
                    + "\",\"status\":\"failed\",\"output\":{\"applied\":2},\"error\":\"second copy\"}");
            socket.awaitAck(2);
            // And the other way round: a second HTTP result after the socket's is a no-op too.
            ApiClient.Response third = resultHttp(device, id, "{\"status\":\"failed\",\"output\":{\"applied\":3}}");
            assertThat(third.status()).as(third.text()).isEqualTo(200);
            assertThat(third.body().path("status").asText()).isEqualTo("succeeded");
            assertThat(third.body().path("run").asBoolean(true)).isFalse();

            JsonNode c = CALLS.command(id);
            assertThat(c.path("status").asText()).isEqualTo("succeeded");
            assertThat(c.path("output").path("applied").asInt()).isEqualTo(1);
            assertThat(c.has("error")).isFalse();
            assertThat(c.has("lateResult")).isFalse();
            List<String> actions = CALLS.auditActions(id);
            assertThat(Collections.frequency(actions, "command.delivered")).as(actions.toString()).isEqualTo(1);
            assertThat(Collections.frequency(actions, "command.succeeded")).as(actions.toString()).isEqualTo(1);
            assertThat(actions).doesNotContain("command.failed", "command.late_result");
            // Finished: neither channel offers it again.
            assertThat(poll(device)).isEmpty();
            assertThat(socket.drain(Duration.ofMillis(500))).noneMatch(m -> "command".equals(m.path("type").asText()));
        }
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void withoutAValidDeviceToken_everyAgentEndpointIs401_andNothingChanges() {
        TestHub.DeviceHandle device = CALLS.device("poll-401");
        String id = CALLS.create(device, "{\"type\":\"lock\"}");
        List<ApiClient> strangers = List.of(HUB.api().withToken(null), HUB.api(),
                HUB.api().withToken("fwd_unknown_token_0123456789abcdef"), HUB.api().withToken("x".repeat(600)));
        for (ApiClient stranger : strangers) {
            CommandCalls.assertError(stranger.get(POLL), 401, "unauthorized");
            CommandCalls.assertError(stranger.post(POLL + "/" + id + "/ack", ""), 401, "unauthorized");
            CommandCalls.assertError(stranger.post(POLL + "/" + id + "/result", "{\"status\":\"succeeded\"}"), 401, "unauthorized");
        }
        JsonNode c = CALLS.command(id);
        assertThat(c.path("status").asText()).isEqualTo("pending");
        assertThat(c.path("attempts").asInt()).isZero();
        assertThat(CALLS.auditActions(id)).containsExactly("command.created");

        // A deleted device's token is dead too.
        TestHub.DeviceHandle gone = CALLS.device("poll-401-deleted");
        assertThat(HUB.api().delete("/api/v1/devices/" + gone.id()).status()).isEqualTo(204);
        CommandCalls.assertError(as(gone).get(POLL), 401, "unauthorized");
    }

    @Test
    void malformedResults_areRefusedWith400_andChangeNothing() {
        TestHub.DeviceHandle device = CALLS.device("poll-400");
        String id = CALLS.create(device, "{\"type\":\"lock\"}");
        assertThat(ids(poll(device))).containsExactly(id);
        JsonNode before = snapshot(id);

        CommandCalls.assertError(resultHttp(device, id, "{\"status\":\"pending\"}"), 400, "bad_request", "'status'", "succeeded or failed");
        CommandCalls.assertError(resultHttp(device, id, "{\"status\":\"delivered\"}"), 400, "bad_request", "'status'");
        CommandCalls.assertError(resultHttp(device, id, "{\"status\":\"SUCCEEDED\"}"), 400, "bad_request", "'status'");
        CommandCalls.assertError(resultHttp(device, id, "{\"output\":{}}"), 400, "bad_request", "'status' is required");
        CommandCalls.assertError(resultHttp(device, id, "{\"status\":true}"), 400, "bad_request", "'status'");
        CommandCalls.assertError(resultHttp(device, id, "{\"status\":\"succeeded\",\"exitCode\":0}"), 400, "bad_request",
                "unknown field 'exitCode'", "error, output, status");
        CommandCalls.assertError(resultHttp(device, id, "{\"status\":\"failed\",\"error\":\"" + "e".repeat(4097) + "\"}"), 400,
                "bad_request", "'error'");
        CommandCalls.assertError(resultHttp(device, id, "{\"status\":\"succeeded\",\"output\":\"" + "o".repeat(70_000) + "\"}"), 400,
                "bad_request", "'output'");
        CommandCalls.assertError(resultHttp(device, id, "not json"), 400, "bad_request", "not valid JSON");
        CommandCalls.assertError(resultHttp(device, id, "[]"), 400, "bad_request", "JSON object");
        CommandCalls.assertError(resultHttp(device, id, ""), 400, "bad_request", "'status' is required");

        assertThat(snapshot(id)).isEqualTo(before);
        assertThat(CALLS.auditActions(id)).containsExactly("command.created", "command.sent");
    }

    @Test
    void reportsForAnotherDevicesCommand_are404_andLeaveThatCommandAlone() {
        TestHub.DeviceHandle owner = CALLS.device("poll-owner");
        TestHub.DeviceHandle intruder = CALLS.device("poll-intruder");
        String id = CALLS.create(owner, "{\"type\":\"ssh_access\",\"params\":{\"publicKey\":\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA== op@host\",\"durationSeconds\":600}}");
        assertThat(ids(poll(owner))).containsExactly(id);
        JsonNode before = snapshot(id);

        CommandCalls.assertError(ackHttp(intruder, id), 404, "not_found", id);
        CommandCalls.assertError(resultHttp(intruder, id, "{\"status\":\"succeeded\",\"output\":{\"stolen\":true}}"), 404, "not_found", id);
        assertThat(poll(intruder)).isEmpty();
        String random = UUID.randomUUID().toString();
        CommandCalls.assertError(ackHttp(intruder, random), 404, "not_found", random);
        CommandCalls.assertError(resultHttp(intruder, random, "{\"status\":\"succeeded\"}"), 404, "not_found", random);
        CommandCalls.assertError(ackHttp(intruder, "not-a-uuid"), 404, "not_found");
        CommandCalls.assertError(resultHttp(intruder, "not-a-uuid", "{\"status\":\"succeeded\"}"), 404, "not_found");

        assertThat(snapshot(id)).isEqualTo(before);
        assertThat(CALLS.auditActions(id)).containsExactly("command.created", "command.sent");
        ApiClient.Response intruderTrail = HUB.api().get("/api/v1/audit?actor=device:" + intruder.id());
        assertThat(intruderTrail.body().path("items")).isEmpty();

        // The owner can still finish it.
        ApiClient.Response done = resultHttp(owner, id, "{\"status\":\"succeeded\"}");
        assertThat(done.status()).as(done.text()).isEqualTo(200);
        assertThat(CALLS.command(id).path("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void reportsForACommandNeverPolled_are409_andChangeNothing() {
        TestHub.DeviceHandle device = CALLS.device("poll-409");
        String id = CALLS.create(device, "{\"type\":\"unlock\"}");
        JsonNode before = snapshot(id);

        CommandCalls.assertError(resultHttp(device, id, "{\"status\":\"succeeded\",\"output\":{\"ok\":true}}"), 409, "conflict",
                id, "never sent");
        CommandCalls.assertError(ackHttp(device, id), 409, "conflict", id, "poll for it first");

        JsonNode after = snapshot(id);
        assertThat(after).isEqualTo(before);
        assertThat(after.path("status").asText()).isEqualTo("pending");
        assertThat(CALLS.auditActions(id)).containsExactly("command.created");
        // Polling now hands it out at its first attempt.
        List<JsonNode> frames = poll(device);
        assertThat(ids(frames)).containsExactly(id);
        assertThat(frames.getFirst().path("attempt").asInt()).isEqualTo(1);
    }

    @Test
    void ackOfACancelledCommand_saysDoNotRun_andChangesNothing() {
        TestHub.DeviceHandle device = CALLS.device("poll-ack-cancelled");
        String id = CALLS.create(device, "{\"type\":\"reboot\"}");
        assertThat(HUB.api().post("/api/v1/commands/" + id + "/cancel", "").status()).isEqualTo(200);

        ApiClient.Response r = ackHttp(device, id);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("cancelled");
        assertThat(r.body().path("run").isBoolean()).isTrue();
        assertThat(r.body().path("run").asBoolean()).isFalse();

        JsonNode c = CALLS.command(id);
        assertThat(c.path("status").asText()).isEqualTo("cancelled");
        assertThat(c.has("deliveredAt")).isFalse();
        assertThat(c.path("cancelledBy").asText()).isEqualTo("admin");
        assertThat(CALLS.auditActions(id)).containsExactly("command.created", "command.cancelled", "command.late_ack");
        assertThat(poll(device)).isEmpty();
    }

    @Test
    void resultOfACommandCancelledWhileSent_isKeptAsLateResult_andTheStatusStaysCancelled() {
        TestHub.DeviceHandle device = CALLS.device("poll-late");
        String id = CALLS.create(device, "{\"type\":\"buzz\",\"params\":{\"durationSeconds\":2}}");
        assertThat(ids(poll(device))).containsExactly(id);
        ApiClient.Response cancel = HUB.api().post("/api/v1/commands/" + id + "/cancel", "");
        assertThat(cancel.status()).as(cancel.text()).isEqualTo(200);
        assertThat(cancel.body().path("status").asText()).isEqualTo("cancelled");

        ApiClient.Response r = resultHttp(device, id, "{\"status\":\"succeeded\",\"output\":{\"buzzed\":true}}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("cancelled");
        assertThat(r.body().path("run").asBoolean(true)).isFalse();

        JsonNode c = CALLS.command(id);
        assertThat(c.path("status").asText()).isEqualTo("cancelled");
        assertThat(c.has("output")).isFalse();
        assertThat(c.has("finishedAt")).isFalse();
        JsonNode late = c.path("lateResult");
        assertThat(late.path("status").asText()).as(c.toString()).isEqualTo("succeeded");
        assertThat(late.path("output").path("buzzed").asBoolean()).isTrue();
        assertThat(late.path("at").isTextual()).isTrue();

        // A second late result does not replace the first.
        ApiClient.Response second = resultHttp(device, id, "{\"status\":\"failed\",\"error\":\"again\"}");
        assertThat(second.status()).as(second.text()).isEqualTo(200);
        assertThat(second.body().path("status").asText()).isEqualTo("cancelled");
        JsonNode still = CALLS.command(id);
        assertThat(still.path("lateResult").path("status").asText()).isEqualTo("succeeded");
        assertThat(still.path("status").asText()).isEqualTo("cancelled");
        assertThat(CALLS.auditActions(id)).startsWith("command.created", "command.sent", "command.cancelled", "command.late_result");
    }

    @Test
    void pollOfASequentialDevice_handsOutOneCommandAtATime() {
        TestHub.DeviceHandle device = CALLS.device("poll-sequential");
        assertThat(HUB.api().patch("/api/v1/devices/" + device.id(), "{\"commandOrdering\":\"sequential\"}").status())
                .isEqualTo(200);
        String first = CALLS.create(device, "{\"type\":\"lock\"}");
        String second = CALLS.create(device, "{\"type\":\"unlock\"}");

        assertThat(ids(poll(device))).containsExactly(first);
        assertThat(CALLS.command(second).path("status").asText()).isEqualTo("pending");
        assertThat(ackHttp(device, first).status()).isEqualTo(200);
        assertThat(poll(device)).as("nothing while the first is delivered").isEmpty();
        assertThat(resultHttp(device, first, "{\"status\":\"succeeded\"}").status()).isEqualTo(200);
        List<JsonNode> next = poll(device);
        assertThat(ids(next)).containsExactly(second);
        assertThat(next.getFirst().path("attempt").asInt()).isEqualTo(1);
    }

    @Test
    void concurrentResultsOverHttp_areStoredOnce() throws Exception {
        TestHub.DeviceHandle device = CALLS.device("poll-race");
        String id = CALLS.create(device, "{\"type\":\"lock\"}");
        assertThat(ids(poll(device))).containsExactly(id);
        int n = 8;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<ApiClient.Response>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String body = "{\"status\":\"" + (i % 2 == 0 ? "succeeded" : "failed") + "\",\"output\":{\"copy\":" + i + "}}";
                answers.add(pool.submit(() -> {
                    start.await();
                    return resultHttp(device, id, body);
                }));
            }
            start.countDown();
            for (var a : answers) {
                ApiClient.Response r = a.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(r.status()).as(r.text()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode c = CALLS.command(id);
        int copy = c.path("output").path("copy").asInt(-1);
        assertThat(copy).isBetween(0, n - 1);
        assertThat(c.path("status").asText()).isEqualTo(copy % 2 == 0 ? "succeeded" : "failed");
        List<String> actions = CALLS.auditActions(id);
        assertThat(Collections.frequency(actions, "command.delivered")).as(actions.toString()).isEqualTo(1);
        assertThat(actions.stream().filter(a -> a.equals("command.succeeded") || a.equals("command.failed")).count())
                .as(actions.toString()).isEqualTo(1);
    }

    /**
     * PostgreSQL cannot store U+0000 in jsonb or text. A result carrying one is a bad request the
     * device must not retry; it must get a 400 and leave the command as it was.
     */
    @Test
    void resultWithANulCharacter_isRefusedWith400_andChangesNothing() {
        TestHub.DeviceHandle device = CALLS.device("poll-nul");
        String id = CALLS.create(device, "{\"type\":\"lock\"}");
        assertThat(ids(poll(device))).containsExactly(id);
        JsonNode before = snapshot(id);

        ApiClient.Response output = resultHttp(device, id, "{\"status\":\"succeeded\",\"output\":{\"line\":\"a\\u0000b\"}}");
        ApiClient.Response error = resultHttp(device, id, "{\"status\":\"failed\",\"error\":\"bad\\u0000byte\"}");
        assertThat(snapshot(id)).isEqualTo(before);
        assertThat(CALLS.auditActions(id)).containsExactly("command.created", "command.sent");
        CommandCalls.assertError(output, 400, "bad_request", "'output'");
        CommandCalls.assertError(error, 400, "bad_request", "'error'");
    }
}
