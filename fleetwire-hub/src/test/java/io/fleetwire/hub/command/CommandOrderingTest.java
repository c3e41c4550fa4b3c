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
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A device's command ordering (burst or sequential, set by PATCH), and what the hub does with device
 * reports over the socket that make no sense. Every refused report is checked to have changed nothing.
 */
@Tag("integration")
class CommandOrderingTest {

    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension();
    private static final CommandCalls CALLS = new CommandCalls(HUB);

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
            SocketInbox b = new SocketInbox(burstSocket);
            SocketInbox s = new SocketInbox(seqSocket);
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
            s.send(SocketInbox.commandAck(1, seqIds.get(0)));
            s.ack(1);
            assertThat(s.commandsWithin(Duration.ofMillis(500))).isEmpty();

            s.send(SocketInbox.commandResult(2, seqIds.get(0), "succeeded"));
            s.ack(2);
            assertThat(s.anyCommand().path("id").asText()).isEqualTo(seqIds.get(1));
            assertThat(s.commandsWithin(Duration.ofMillis(500))).isEmpty();
            assertThat(CALLS.status(seqIds.get(2))).isEqualTo("pending");

            // A failure ends the command too: the next one goes.
            s.send(SocketInbox.commandResult(3, seqIds.get(1), "failed"));
            s.ack(3);
            assertThat(s.anyCommand().path("id").asText()).isEqualTo(seqIds.get(2));
            s.send(SocketInbox.commandResult(4, seqIds.get(2), "succeeded"));
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
            SocketInbox s = new SocketInbox(socket);
            String first = CALLS.create(seq, "{\"type\":\"lock\"}");
            String second = CALLS.create(seq, "{\"type\":\"unlock\"}");
            s.command(first);
            assertThat(s.commandsWithin(Duration.ofMillis(500))).isEmpty();
            assertThat(HUB.api().post("/api/v1/commands/" + first + "/cancel", "").status()).isEqualTo(200);
            assertThat(s.command(second).path("attempt").asInt()).isEqualTo(1);
        }
    }

    @Test
    void resultOverTheSocket_forACommandNeverSent_isRefusedAsInvalid_andChangesNothing() {
        TestHub.DeviceHandle device = CALLS.device("api-socket-pending");
        assertThat(HUB.api().patch("/api/v1/devices/" + device.id(), "{\"commandOrdering\":\"sequential\"}").status()).isEqualTo(200);
        String first = CALLS.create(device, "{\"type\":\"lock\"}");
        String waiting = CALLS.create(device, "{\"type\":\"unlock\"}");
        try (AgentSocket socket = HUB.hub().connect(device)) {
            SocketInbox s = new SocketInbox(socket);
            s.command(first);
            assertThat(CALLS.status(waiting)).isEqualTo("pending");

            s.send(SocketInbox.commandResult(7, waiting, "succeeded"));
            JsonNode error = s.errorFor(7);
            assertThat(error.path("type").asText()).as(error.toString()).isEqualTo("error");
            assertThat(error.path("code").asText()).isEqualTo("invalid_message");
            assertThat(error.path("ref").path("seq").asLong()).isEqualTo(7);
            assertThat(error.path("ref").path("type").asText()).isEqualTo("command_result");
            assertThat(error.path("message").asText()).contains(waiting, "never sent");

            s.send(SocketInbox.commandAck(8, waiting));
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
            SocketInbox s = new SocketInbox(socket);
            s.send(SocketInbox.commandAck(1, theirCommand));
            JsonNode e1 = s.errorFor(1);
            assertThat(e1.path("type").asText()).as(e1.toString()).isEqualTo("error");
            assertThat(e1.path("code").asText()).isEqualTo("not_found");
            assertThat(e1.path("ref").path("seq").asLong()).isEqualTo(1);
            assertThat(e1.path("message").asText()).contains(theirCommand);

            s.send(SocketInbox.commandResult(2, theirCommand, "succeeded"));
            JsonNode e2 = s.errorFor(2);
            assertThat(e2.path("code").asText()).as(e2.toString()).isEqualTo("not_found");

            s.send(SocketInbox.commandAck(3, random));
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
            SocketInbox s = new SocketInbox(socket);
            s.command(theirCommand);
            s.send(SocketInbox.commandAck(1, theirCommand));
            s.ack(1);
        }
        assertThat(CALLS.status(theirCommand)).isEqualTo("delivered");
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
            SocketInbox s = new SocketInbox(socket);
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
