package io.fleetwire.hub.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.TestHubExtension;
import io.fleetwire.hub.config.ConfigKey;
import io.fleetwire.testkit.Await;
import io.fleetwire.testkit.RawWebSocket;
import io.fleetwire.testkit.RawWebSocket.Frame;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The device socket's WebSocket layer ({@link DeviceChannel}), frame by frame from a raw client. */
@Tag("integration")
class DeviceFramingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension(Map.of(ConfigKey.MAX_MESSAGE_BYTES, "1024"));

    private static RawWebSocket open(String name) throws Exception {
        TestHub.DeviceHandle device = HUB.hub().createDevice(name);
        RawWebSocket ws = RawWebSocket.upgrade(HUB.hub().hub().port(), device.token());
        assertThat(json(ws.awaitFrame(Frame.TEXT)).path("type").asText()).isEqualTo("welcome");
        return ws;
    }

    private static JsonNode json(Frame frame) throws Exception {
        assertThat(frame).as("a frame before the end of the connection").isNotNull();
        return JSON.readTree(frame.text());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void fragmentedMessage_isPutTogether_andAnswered() throws Exception {
        try (RawWebSocket ws = open("fragments")) {
            byte[] ping = utf8("{\"type\":\"ping\",\"ts\":4242,\"pad\":\"" + "é".repeat(100) + "\"}");
            // Split inside a two-byte character, as a sender may.
            ws.sendFrame(Frame.TEXT, false, Arrays.copyOfRange(ping, 0, 41));
            ws.sendFrame(Frame.PING, true, utf8("between"));
            ws.sendFrame(Frame.CONTINUATION, false, Arrays.copyOfRange(ping, 41, 120));
            ws.sendFrame(Frame.CONTINUATION, true, Arrays.copyOfRange(ping, 120, ping.length));
            assertThat(ws.awaitFrame(Frame.PONG).text()).isEqualTo("between");
            JsonNode pong = json(ws.awaitFrame(Frame.TEXT));
            assertThat(pong.path("type").asText()).isEqualTo("pong");
            assertThat(pong.path("ts").asLong()).isEqualTo(4242);
        }
    }

    @Test
    void fragmentsAddingUpPastTheLimit_closeTheSocketWith1009() throws Exception {
        try (RawWebSocket ws = open("fragments-too-big")) {
            ws.sendFrame(Frame.TEXT, false, utf8("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(600)));
            ws.sendFrame(Frame.CONTINUATION, true, utf8("x".repeat(600) + "\"}"));
            assertThat(ws.awaitCloseCode()).isEqualTo(1009);
        }
    }

    @Test
    void oneFrameOverTheLimit_closesTheSocketWith1009() throws Exception {
        try (RawWebSocket ws = open("frame-too-big")) {
            ws.sendFrame(Frame.TEXT, true, utf8("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(2000) + "\"}"));
            assertThat(ws.awaitCloseCode()).isEqualTo(1009);
        }
    }

    @Test
    void brokenFraming_closesTheSocketWith1008() throws Exception {
        try (RawWebSocket ws = open("bad-framing")) {
            ws.sendFrame(Frame.CONTINUATION, true, utf8("no message to continue"));
            ws.sendFrame(0x3, true, utf8("reserved opcode"));
            assertThat(ws.awaitCloseCode()).isEqualTo(1008);
        }
    }

    @Test
    void binaryMessage_getsAnErrorFrame_andTheSocketStays() throws Exception {
        try (RawWebSocket ws = open("binary")) {
            ws.sendFrame(Frame.BINARY, false, new byte[] {1, 2, 3});
            ws.sendFrame(Frame.CONTINUATION, true, new byte[] {4, 5});
            JsonNode error = json(ws.awaitFrame(Frame.TEXT));
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.path("code").asText()).isEqualTo("invalid_message");
            ws.sendFrame(Frame.TEXT, true, utf8("{\"type\":\"ping\",\"ts\":7}"));
            assertThat(json(ws.awaitFrame(Frame.TEXT)).path("ts").asLong()).isEqualTo(7);
        }
    }

    @Test
    void closeFromTheDevice_isEchoed_andRecordedWithItsCode() throws Exception {
        TestHub.DeviceHandle device = HUB.hub().createDevice("device-closes");
        try (RawWebSocket ws = RawWebSocket.upgrade(HUB.hub().hub().port(), device.token())) {
            ws.awaitFrame(Frame.TEXT);
            ws.sendClose(4321);
            assertThat(ws.awaitCloseCode()).isEqualTo(4321);
            assertThat(ws.readFrame()).as("the hub ends the connection after the close handshake").isNull();
        }
        Await.until("disconnected event", Duration.ofSeconds(5), () -> {
            JsonNode items = HUB.hub().api().get("/api/v1/devices/" + device.id() + "/events").body().path("items");
            return items.size() > 0 && items.get(0).path("kind").asText().equals("disconnected")
                    && items.get(0).toString().contains("4321");
        });
        assertThat(HUB.hub().api().get("/api/v1/devices/" + device.id()).body().path("online").asBoolean()).isFalse();
    }

    @Test
    void messageLargerThanAFrame_goesOutInFragments() throws Exception {
        TestHub.DeviceHandle device = HUB.hub().createDevice("big-out");
        try (RawWebSocket ws = RawWebSocket.upgrade(HUB.hub().hub().port(), device.token())) {
            ws.awaitFrame(Frame.TEXT);
            String text = "y".repeat(1500);
            HUB.hub().api().post("/api/v1/devices/" + device.id() + "/commands",
                    "{\"type\":\"broadcast_message\",\"params\":{\"text\":\"" + text + "\"}}");
            Frame first = ws.awaitFrame(Frame.TEXT);
            assertThat(first.fin()).as("a 1,500-character command is more than one 1,024-byte frame").isFalse();
            assertThat(first.payload()).hasSize(1024);
            StringBuilder message = new StringBuilder(first.text());
            for (Frame f = first; !f.fin(); ) {
                f = ws.readFrame();
                assertThat(f.opcode()).isEqualTo(Frame.CONTINUATION);
                message.append(f.text());
            }
            JsonNode command = JSON.readTree(message.toString());
            assertThat(command.path("type").asText()).isEqualTo("command");
            assertThat(command.path("params").path("text").asText()).isEqualTo(text);
        }
    }
}
