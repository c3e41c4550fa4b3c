package io.fleetwire.agent.internal.connection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Small HTTP/1.1 requests to the hub (enrollment, fallback polling, update downloads) over the JDK's
 * {@link HttpURLConnection}, which for an {@code http://} hub loads no TLS and for {@code https://}
 * uses the JDK's default trust and host name check. Used instead of {@code java.net.http.HttpClient},
 * whose ~320 classes, selector thread and eager {@code SSLContext.getDefault()} the agent would keep
 * for good (agent footprint, docs/benchmarks.md). Redirects are not followed. Thread-safe.
 */
public final class HubHttp {

    /** Largest answer body read into memory. */
    static final int MAX_BODY_CHARS = 4 << 20;

    /** A status and the body as text (the error body when the status is not 2xx). */
    public record Response(int status, String body) {
    }

    private final String bearer;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    /** {@code bearer}: the token sent as {@code Authorization: Bearer …}, or null for none; {@code readTimeout}: the longest wait for the answer to go on. */
    public HubHttp(String bearer, Duration connectTimeout, Duration readTimeout) {
        this.bearer = bearer;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    public Response get(URI uri) throws IOException {
        return exchange("GET", uri, null);
    }

    /** POSTs {@code json} (null: an empty body) with {@code content-type: application/json}. */
    public Response post(URI uri, String json) throws IOException {
        return exchange("POST", uri, json);
    }

    private Response exchange(String method, URI uri, String json) throws IOException {
        HttpURLConnection c = open(uri);
        try {
            c.setRequestMethod(method);
            if (json != null) {
                byte[] body = json.getBytes(StandardCharsets.UTF_8);
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(body.length);
                c.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            } else if (method.equals("POST")) {
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(0);
                c.getOutputStream().close();
            }
            int status = c.getResponseCode();
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                return new Response(status, in == null ? "" : text(in));
            }
        } finally {
            c.disconnect();
        }
    }

    /** A connection to {@code uri} with the timeouts and the bearer token set, not yet connected; the caller reads it. */
    public HttpURLConnection open(URI uri) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IOException("not an http(s):// URI: " + uri);
        }
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setConnectTimeout(millis(connectTimeout));
        c.setReadTimeout(millis(readTimeout));
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        if (bearer != null) {
            c.setRequestProperty("Authorization", "Bearer " + bearer);
        }
        return c;
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    private static String text(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_CHARS + 1);
        if (bytes.length > MAX_BODY_CHARS) {
            throw new IOException("answer over " + MAX_BODY_CHARS + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
