package io.fleetwire.agent.internal;

import java.net.URI;

/** The addresses derived from the hub URI a user gives ({@code http(s)://host:port}, or a {@code ws(s)://} URI). */
public final class HubUris {

    private HubUris() {
    }

    /** The device socket: {@code ws(s)://host:port/ws/agent}, or the URI's own path when it has one. */
    public static URI socket(URI hub) {
        String scheme = switch (hub.getScheme() == null ? "" : hub.getScheme()) {
            case "http", "ws" -> "ws";
            case "https", "wss" -> "wss";
            default -> throw new IllegalArgumentException("hub URI must be http(s):// or ws(s)://, not " + hub);
        };
        String path = hub.getPath() == null || hub.getPath().isEmpty() || hub.getPath().equals("/") ? "/ws/agent" : hub.getPath();
        return URI.create(scheme + "://" + hub.getAuthority() + path);
    }

    /** The HTTP base for REST calls (registration, fallback polling): {@code http(s)://host:port/}. */
    public static URI http(URI hub) {
        socket(hub);
        boolean tls = hub.getScheme().equals("https") || hub.getScheme().equals("wss");
        return URI.create((tls ? "https" : "http") + "://" + hub.getAuthority() + "/");
    }
}
