package io.fleetwire.agent.internal.update;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Downloads over HttpURLConnection: the SHA-256 of what was written, redirects, and where the token goes. */
class UpdateDownloadTest {

    private static final byte[] BODY = "the new agent jar".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private HttpServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jar", x -> {
            authorizations.add(String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
            x.sendResponseHeaders(200, BODY.length);
            x.getResponseBody().write(BODY);
            x.close();
        });
        server.createContext("/same", x -> redirect(x, "/jar"));
        server.createContext("/other", x -> redirect(x, "http://localhost:" + port() + "/jar"));
        server.createContext("/loop", x -> redirect(x, "/loop"));
        server.createContext("/missing", x -> {
            x.sendResponseHeaders(404, -1);
            x.close();
        });
        server.start();
    }

    private static void redirect(com.sun.net.httpserver.HttpExchange x, String to) throws java.io.IOException {
        x.getResponseHeaders().add("Location", to);
        x.sendResponseHeaders(302, -1);
        x.close();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int port() {
        return server.getAddress().getPort();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    @Test
    void download_writesTheFile_andReturnsItsSha256() throws Exception {
        Path target = dir.resolve("new.jar");

        String sha = new UpdateDownload().fetch(uri("/jar"), "fwd_token", target);

        assertThat(Files.readAllBytes(target)).isEqualTo(BODY);
        assertThat(sha).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BODY)));
        assertThat(authorizations).containsExactly("Bearer fwd_token");
    }

    @Test
    void aRedirectOnTheSameOrigin_keepsTheToken() throws Exception {
        new UpdateDownload().fetch(uri("/same"), "fwd_token", dir.resolve("a.jar"));

        assertThat(authorizations).containsExactly("Bearer fwd_token");
    }

    @Test
    void aRedirectToAnotherOrigin_dropsTheToken() throws Exception {
        new UpdateDownload().fetch(uri("/other"), "fwd_token", dir.resolve("b.jar"));

        assertThat(authorizations).containsExactly("null");
    }

    @Test
    void endlessRedirects_fail() {
        assertThatThrownBy(() -> new UpdateDownload().fetch(uri("/loop"), null, dir.resolve("c.jar")))
                .isInstanceOf(UpdateDownload.Failed.class).hasMessageContaining("redirects");
        assertThat(dir.resolve("c.jar")).doesNotExist();
    }

    @Test
    void anHttpError_failsWithItsStatus() {
        assertThatThrownBy(() -> new UpdateDownload().fetch(uri("/missing"), null, dir.resolve("d.jar")))
                .isInstanceOf(UpdateDownload.Failed.class).hasMessageContaining("HTTP 404");
    }

    @Test
    void aUrlThatIsNotHttp_fails() {
        assertThatThrownBy(() -> new UpdateDownload().fetch(URI.create("file:///etc/passwd"), null, dir.resolve("e.jar")))
                .isInstanceOf(UpdateDownload.Failed.class);
    }
}
