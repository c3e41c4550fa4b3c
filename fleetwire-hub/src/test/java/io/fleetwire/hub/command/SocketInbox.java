package io.fleetwire.hub.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetwire.testkit.AgentSocket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a socket received, kept: {@link AgentSocket#await} drops what does not match, and the
 * ordering tests must not lose a command frame while they wait for an ack.
 */
final class SocketInbox {
    private final AgentSocket socket;
    private final List<JsonNode> kept = new ArrayList<>();

    SocketInbox(AgentSocket socket) {
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
        return await(SocketInbox::isCommand, Duration.ofSeconds(10));
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
        List<JsonNode> out = kept.stream().filter(SocketInbox::isCommand).toList();
        kept.removeIf(SocketInbox::isCommand);
        return out;
    }

    void send(String text) {
        socket.send(text);
    }

    static boolean isCommand(JsonNode m) {
        return "command".equals(m.path("type").asText());
    }

    /** A {@code command_ack} frame. */
    static String commandAck(long seq, String id) {
        return "{\"type\":\"command_ack\",\"seq\":" + seq + ",\"id\":\"" + id + "\"}";
    }

    /** A {@code command_result} frame whose output names its seq. */
    static String commandResult(long seq, String id, String status) {
        return "{\"type\":\"command_result\",\"seq\":" + seq + ",\"id\":\"" + id + "\",\"status\":\"" + status
                + "\",\"output\":{\"seq\":" + seq + "}}";
    }
}
