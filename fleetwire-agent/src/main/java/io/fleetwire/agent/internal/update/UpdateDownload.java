package io.fleetwire.agent.internal.update;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Downloads a new agent jar into the state directory, at most {@link #MAX_BYTES}, computing its
 * SHA-256 on the way. The device token goes only to the hub (artifact downloads), never to a URL
 * named in a command.
 */
final class UpdateDownload {

    /** The hub's own artifact limit. */
    static final long MAX_BYTES = 64L << 20;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    /** Fetches {@code uri} into {@code target}; returns the SHA-256 (hex) of what was written. Throws {@link Failed} saying why not. */
    String fetch(URI uri, String bearer, Path target) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(4)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new Failed("download from " + uri + " failed: " + e.getMessage());
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new Failed("download from " + uri + " failed: HTTP " + response.statusCode());
            }
            long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
            if (declared > MAX_BYTES) {
                throw new Failed("the download is " + declared + " bytes, over the limit of " + MAX_BYTES);
            }
            Files.createDirectories(target.getParent());
            MessageDigest sha = sha256();
            long total = 0;
            byte[] buffer = new byte[64 * 1024];
            try (OutputStream out = Files.newOutputStream(target)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    total += n;
                    if (total > MAX_BYTES) {
                        throw new Failed("the download is over the limit of " + MAX_BYTES + " bytes");
                    }
                    sha.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(target);
            throw e;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The update cannot go on; the message is the command's error. */
    static final class Failed extends IOException {
        Failed(String message) {
            super(message);
        }
    }
}
