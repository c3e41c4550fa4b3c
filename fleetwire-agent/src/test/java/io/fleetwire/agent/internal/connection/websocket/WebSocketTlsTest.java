package io.fleetwire.agent.internal.connection.websocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * wss:// against a TLS server whose certificate (made by keytool) names {@code localhost} only: the
 * client trusts it only through the given trust, and checks the host name.
 */
class WebSocketTlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static KeyStore keyStore;

    private TestWsServer server;

    @BeforeAll
    static void certificate(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hub.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "hub", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost", "-validity", "2", "-keystore", file.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keyStore.load(in, PASSWORD);
        }
    }

    @BeforeEach
    void start() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket s = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress());
        server = new TestWsServer(s);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static WebSocketClient.Options trusting() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keyStore);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return new WebSocketClient.Options(Duration.ofSeconds(10), 1_000, ctx.getSocketFactory());
    }

    @Test
    void wss_withTrustInTheCertificate_carriesMessagesBothWays() throws Exception {
        var accepted = server.accept(TestWsServer::upgrade);

        try (WebSocketClient ws = WebSocketClient.connect(URI.create("wss://localhost:" + server.port() + "/ws/agent"),
                Map.of(), trusting())) {
            TestWsServer.Peer p = accepted.get(10, TimeUnit.SECONDS);
            ws.sendText("over tls");
            p.send(ServerFrames.frame(true, 0x1, "back".getBytes()));

            assertThat(p.read().text()).isEqualTo("over tls");
            assertThat(ws.receive()).isEqualTo(new WebSocketClient.Text("back"));
        }
    }

    @Test
    void wss_toANameTheCertificateDoesNotHold_isRefused() throws Exception {
        server.accept(TestWsServer::upgrade);

        assertThatThrownBy(() -> WebSocketClient.connect(URI.create("wss://127.0.0.1:" + server.port() + "/ws/agent"),
                Map.of(), trusting())).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("127.0.0.1");
    }

    @Test
    void wss_withTheJdksDefaultTrust_refusesASelfSignedCertificate() {
        server.accept(TestWsServer::upgrade);
        WebSocketClient.Options defaults = new WebSocketClient.Options(Duration.ofSeconds(10), 1_000, null);

        assertThatThrownBy(() -> WebSocketClient.connect(URI.create("wss://localhost:" + server.port() + "/ws/agent"),
                Map.of(), defaults)).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("PKIX");
    }
}
