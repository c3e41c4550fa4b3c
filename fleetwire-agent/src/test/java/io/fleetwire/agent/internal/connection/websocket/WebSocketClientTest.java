package io.fleetwire.agent.internal.connection.websocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client against a scripted server on a real socket: handshake, messages, pings, limits, the close handshake. */
class WebSocketClientTest {

    private static final WebSocketClient.Options OPTIONS = new WebSocketClient.Options(Duration.ofSeconds(5), 1_000, null);

    private TestWsServer server;

    @BeforeEach
    void start() throws IOException {
        server = TestWsServer.plain();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private URI uri() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws/agent?x=1");
    }

    private TestWsServer.Peer peer(CompletableFuture<TestWsServer.Peer> p) throws Exception {
        return p.get(5, TimeUnit.SECONDS);
    }

    @Test
    void handshake_sendsTheUpgradeRequestWithTheGivenHeaders() throws Exception {
        var accepted = server.accept(TestWsServer::upgrade);

        try (WebSocketClient ws = WebSocketClient.connect(uri(), Map.of("Authorization", "Bearer fwd_x"), OPTIONS)) {
            TestWsServer.Peer p = peer(accepted);
            assertThat(p.requestLine()).isEqualTo("GET /ws/agent?x=1 HTTP/1.1");
            assertThat(p.headers()).containsEntry("host", "127.0.0.1:" + server.port())
                    .containsEntry("upgrade", "websocket").containsEntry("sec-websocket-version", "13")
                    .containsEntry("authorization", "Bearer fwd_x");
            assertThat(java.util.Base64.getDecoder().decode(p.headers().get("sec-websocket-key"))).hasSize(16);
        }
    }

    @Test
    void handshake_refusal_carriesTheHttpStatus() {
        server.accept(key -> "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");

        assertThatThrownBy(() -> WebSocketClient.connect(uri(), Map.of(), OPTIONS)).isInstanceOf(HandshakeException.class)
                .extracting(e -> ((HandshakeException) e).status()).isEqualTo(401);
    }

    @Test
    void handshake_refusedAsBusy_carriesTheRetryAfterSeconds() {
        server.accept(key -> "HTTP/1.1 503 Service Unavailable\r\nretry-after: 17\r\nContent-Length: 0\r\n\r\n");

        assertThatThrownBy(() -> WebSocketClient.connect(uri(), Map.of(), OPTIONS)).isInstanceOf(HandshakeException.class)
                .satisfies(e -> {
                    assertThat(((HandshakeException) e).status()).isEqualTo(503);
                    assertThat(((HandshakeException) e).retryAfterSeconds()).isEqualTo(17);
                });
    }

    @Test
    void retryAfter_isWholeSecondsUpToAnHour_andAnythingElseIsIgnored() {
        assertThat(HandshakeException.retryAfterSeconds("0")).isZero();
        assertThat(HandshakeException.retryAfterSeconds("3600")).isEqualTo(3_600);
        for (String bad : new String[] {null, "", "-1", "1.5", "3601", "99999", " 5", "Wed, 21 Oct 2015 07:28:00 GMT"}) {
            assertThat(HandshakeException.retryAfterSeconds(bad)).as(String.valueOf(bad)).isEqualTo(-1);
        }
    }

    @Test
    void handshake_withAWrongAcceptKey_isRefused() {
        server.accept(key -> TestWsServer.upgrade("c29tZSBvdGhlciBrZXk="));

        assertThatThrownBy(() -> WebSocketClient.connect(uri(), Map.of(), OPTIONS)).isInstanceOf(HandshakeException.class)
                .hasMessageContaining("Sec-WebSocket-Accept");
    }

    @Test
    void handshake_withAnExtensionNobodyOffered_isRefused() {
        server.accept(key -> TestWsServer.upgrade(key).replace("\r\n\r\n", "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n"));

        assertThatThrownBy(() -> WebSocketClient.connect(uri(), Map.of(), OPTIONS)).isInstanceOf(HandshakeException.class)
                .hasMessageContaining("permessage-deflate");
    }

    @Test
    void handshake_toAServerThatNeverAnswers_timesOut() {
        server.accept(key -> "");
        WebSocketClient.Options quick = new WebSocketClient.Options(Duration.ofMillis(300), 1_000, null);

        assertThatThrownBy(() -> WebSocketClient.connect(uri(), Map.of(), quick)).isInstanceOf(java.net.SocketTimeoutException.class);
    }

    @Test
    void framesRightAfterTheUpgrade_areNotLost() throws Exception {
        server.accept(key -> TestWsServer.upgrade(key) + new String(ServerFrames.frame(true, 0x1, "early".getBytes()),
                StandardCharsets.ISO_8859_1));

        try (WebSocketClient ws = WebSocketClient.connect(uri(), Map.of(), OPTIONS)) {
            assertThat(ws.receive()).isEqualTo(new WebSocketClient.Text("early"));
        }
    }

    @Test
    void fragmentedText_withAPingBetween_arrivesWhole_andThePingIsAnswered() throws Exception {
        var accepted = server.accept(TestWsServer::upgrade);
        try (WebSocketClient ws = WebSocketClient.connect(uri(), Map.of(), OPTIONS)) {
            TestWsServer.Peer p = peer(accepted);
            byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
            p.send(ServerFrames.frame(false, 0x1, new byte[]{'a', euro[0]}),
                    ServerFrames.frame(true, 0x9, "hb".getBytes()),
                    ServerFrames.frame(false, 0x0, new byte[]{euro[1], euro[2]}),
                    ServerFrames.frame(true, 0x0, "z".getBytes()));

            assertThat(ws.receive()).isEqualTo(new WebSocketClient.Text("a€z"));
            ServerFrames.ClientFrame pong = p.read();
            assertThat(pong.opcode()).isEqualTo(0xA);
            assertThat(pong.text()).isEqualTo("hb");
        }
    }

    @Test
    void binaryMessagesAndPongs_arePassedOver() throws Exception {
        var accepted = server.accept(TestWsServer::upgrade);
        try (WebSocketClient ws = WebSocketClient.connect(uri(), Map.of(), OPTIONS)) {
            long before = ws.lastFrameNanos();
            peer(accepted).send(ServerFrames.frame(true, 0x2, new byte[]{1, 2}), ServerFrames.frame(true, 0xA, new byte[0]),
                    ServerFrames.frame(true, 0x1, "next".getBytes()));

            assertThat(ws.receive()).isEqualTo(new WebSocketClient.Text("next"));
            assertThat(ws.lastFrameNanos()).isGreaterThan(before);
        }
    }

    @Test
    void sentText_isOneMaskedTextFrame() throws Exception {
        var accepted = server.accept(TestWsServer::upgrade);
        try (WebSocketClient ws = WebSocketClient.connect(uri(), Map.of(), OPTIONS)) {
            ws.sendText("{\"type\":\"hello\"}");

            ServerFrames.ClientFrame f = peer(accepted).read();
            assertThat(f.opcode()).isEqualTo(0x1);
            assertThat(f.fin()).isTrue();
            assertThat(f.text()).isEqualTo("{\"type\":\"hello\"}");
        }
    }

    @Test
    void aMessageOverTheLimitAcrossFragments_closesWith1009() throws Exception {
        var accepted = server.accept(TestWsServer::upgrade);
        try (WebSocketClient ws = WebSocketClient.connect(uri(), Map.of(), OPTIONS)) {
            TestWsServer.Peer p = peer(accepted);
            p.send(ServerFrames.frame(false, 0x1, new byte[600]), ServerFrames.frame(true, 0x0, new byte[600]));

            assertThatThrownBy(ws::receive).isInstanceOf(WebSocketProtocolException.class)
                    .extracting(e -> ((WebSocketProtocolException) e).closeCode()).isEqualTo(CloseStatus.TOO_BIG);
            ServerFrames.ClientFrame close = p.read();
            assertThat(close.opcode()).isEqualTo(0x8);
            assertThat(close.closeCode()).isEqualTo(1009);
        }
    }

    @Test
    void textThatIsNotUtf8_closesWith1007() throws Exception {
        var accepted = server.accept(TestWsServer::upgrade);
        try (WebSocketClient ws = WebSocketClient.connect(uri(), Map.of(), OPTIONS)) {
            TestWsServer.Peer p = peer(accepted);
            p.send(ServerFrames.frame(true, 0x1, new byte[]{(byte) 0xC3, (byte) 0x28}));

            assertThatThrownBy(ws::receive).isInstanceOf(WebSocketProtocolException.class)
                    .extracting(e -> ((WebSocketProtocolException) e).closeCode()).isEqualTo(CloseStatus.INVALID_PAYLOAD);
            assertThat(p.read().closeCode()).isEqualTo(1007);
        }
    }

    @Test
    void aContinuationWithoutAMessage_closesWith1002() throws Exception {
        var accepted = server.accept(TestWsServer::upgrade);
        try (WebSocketClient ws = WebSocketClient.connect(uri(), Map.of(), OPTIONS)) {
            TestWsServer.Peer p = peer(accepted);
            p.send(ServerFrames.frame(true, 0x0, "x".getBytes()));

            assertThatThrownBy(ws::receive).isInstanceOf(WebSocketProtocolException.class);
            assertThat(p.read().closeCode()).isEqualTo(1002);
        }
    }

    @Test
    void theServersClose_isReportedWithItsCode_andEchoed() throws Exception {
        var accepted = server.accept(TestWsServer::upgrade);
        try (WebSocketClient ws = WebSocketClient.connect(uri(), Map.of(), OPTIONS)) {
            TestWsServer.Peer p = peer(accepted);
            p.send(ServerFrames.close(4003, "revoked"));

            assertThat(ws.receive()).isEqualTo(new WebSocketClient.Closed(4003, "revoked"));
            ServerFrames.ClientFrame echo = p.read();
            assertThat(echo.opcode()).isEqualTo(0x8);
            assertThat(echo.closeCode()).isEqualTo(4003);
        }
    }

    @Test
    void aCloseWithoutCode_isReportedAs1005() throws Exception {
        var accepted = server.accept(TestWsServer::upgrade);
        try (WebSocketClient ws = WebSocketClient.connect(uri(), Map.of(), OPTIONS)) {
            peer(accepted).send(ServerFrames.frame(true, 0x8, new byte[0]));

            assertThat(ws.receive()).isEqualTo(new WebSocketClient.Closed(1005, ""));
        }
    }

    @Test
    void theClientsClose_goesOnce_andNothingIsSentAfterIt() throws Exception {
        var accepted = server.accept(TestWsServer::upgrade);
        try (WebSocketClient ws = WebSocketClient.connect(uri(), Map.of(), OPTIONS)) {
            TestWsServer.Peer p = peer(accepted);

            ws.sendClose(1000, "agent stopping");
            ws.sendClose(1000, "again");

            ServerFrames.ClientFrame close = p.read();
            assertThat(close.closeCode()).isEqualTo(1000);
            assertThat(new String(close.payload(), 2, close.payload().length - 2, StandardCharsets.UTF_8)).isEqualTo("agent stopping");
            assertThatThrownBy(() -> ws.sendText("late")).isInstanceOf(IOException.class);
            p.send(ServerFrames.close(1000, ""));
            assertThat(ws.receive()).isEqualTo(new WebSocketClient.Closed(1000, ""));
            assertThat(p.in().read()).as("nothing after the close frame; then the end").isEqualTo(-1);
        }
    }

    @Test
    void theConnectionEndingWithoutClose_isAnIOException() throws Exception {
        var accepted = server.accept(TestWsServer::upgrade);
        try (WebSocketClient ws = WebSocketClient.connect(uri(), Map.of(), OPTIONS)) {
            peer(accepted).socket().close();

            assertThatThrownBy(ws::receive).isInstanceOf(IOException.class).isNotInstanceOf(WebSocketProtocolException.class);
        }
    }

    @Test
    void abort_endsABlockedReceive() throws Exception {
        server.accept(TestWsServer::upgrade);
        WebSocketClient ws = WebSocketClient.connect(uri(), Map.of(), OPTIONS);
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                ws.receive();
                failure.complete(null);
            } catch (IOException e) {
                failure.complete(e);
            }
        });
        Thread.sleep(100);

        ws.abort();

        assertThat(failure.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    }
}
