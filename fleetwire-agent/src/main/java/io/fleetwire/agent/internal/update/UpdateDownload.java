package io.fleetwire.agent.internal.update;

import io.fleetwire.agent.internal.connection.HubHttp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Downloads a new agent jar into the state directory, at most {@link #MAX_BYTES}, computing its
 * SHA-256 on the way. The device token goes only to the hub (artifact downloads), never to a URL
 * named in a command, nor to another origin a redirect points to. Up to {@link #MAX_REDIRECTS}
 * redirects are followed, never from https to http.
 */
final class UpdateDownload {

    /** The hub's own artifact limit. */
    static final long MAX_BYTES = 64L << 20;

    static final int MAX_REDIRECTS = 5;

    /** Fetches {@code uri} into {@code target}; returns the SHA-256 (hex) of what was written. Throws {@link Failed} saying why not. */
    String fetch(URI uri, String bearer, Path target) throws IOException, InterruptedException {
        HttpURLConnection response = connect(uri, bearer);
        try (InputStream in = response.getInputStream()) {
            long declared = response.getContentLengthLong();
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
        } finally {
            response.disconnect();
        }
    }

    /** The connection that answered 200, after redirects; {@link Failed} otherwise. */
    private static HttpURLConnection connect(URI first, String bearer) throws IOException {
        URI uri = first;
        for (int hop = 0; ; hop++) {
            boolean sameOrigin = uri.getScheme().equalsIgnoreCase(first.getScheme()) && uri.getPort() == first.getPort()
                    && uri.getHost() != null && uri.getHost().equalsIgnoreCase(first.getHost());
            HttpURLConnection c = null;
            int status;
            try {
                c = new HubHttp(sameOrigin ? bearer : null, Duration.ofSeconds(10), Duration.ofMinutes(1)).open(uri);
                status = c.getResponseCode();
            } catch (IOException | IllegalArgumentException e) {
                if (c != null) {
                    c.disconnect();
                }
                throw new Failed("download from " + uri + " failed: " + e.getMessage());
            }
            if (status == 200) {
                return c;
            }
            String location = c.getHeaderField("Location");
            c.disconnect();
            if (status < 300 || status > 308 || status == 304 || location == null) {
                throw new Failed("download from " + uri + " failed: HTTP " + status);
            }
            if (hop >= MAX_REDIRECTS) {
                throw new Failed("download from " + first + " failed: more than " + MAX_REDIRECTS + " redirects");
            }
            URI next;
            try {
                next = uri.resolve(new URI(location));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new Failed("download from " + uri + " failed: bad redirect '" + location + "'");
            }
            if ("https".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                throw new Failed("download from " + uri + " failed: refusing a redirect from https to " + next.getScheme());
            }
            uri = next;
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
