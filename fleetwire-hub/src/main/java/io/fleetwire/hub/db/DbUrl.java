package io.fleetwire.hub.db;

import io.fleetwire.hub.config.ConfigException;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where PostgreSQL is. Parsed from {@code postgresql://user:pass@host:port/db}, {@code postgres://…}
 * or {@code jdbc:postgresql://host:port/db?user=..&password=..}.
 */
public record DbUrl(String host, int port, String database, String user, String password) {

    public static DbUrl parse(String text) {
        String s = text.trim();
        if (s.startsWith("jdbc:")) {
            s = s.substring(5);
        }
        if (!s.startsWith("postgresql://") && !s.startsWith("postgres://")) {
            throw new ConfigException("FLEETWIRE_DB_URL must start with postgresql:// (or jdbc:postgresql://)");
        }
        try {
            URI uri = URI.create(s);
            if (uri.getRawAuthority() != null && uri.getHost() == null) {
                throw new ConfigException("FLEETWIRE_DB_URL has a host, port or user part that cannot be read"
                        + " (host names may not contain '_'; percent-encode '@' in a password; the port must be a number)");
            }
            String host = uri.getHost() == null ? "localhost" : uri.getHost();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port = uri.getPort() < 0 ? 5432 : uri.getPort();
            if (port < 1 || port > 65_535) {
                throw new ConfigException("FLEETWIRE_DB_URL has port " + port + "; it must be 1–65535");
            }
            String path = uri.getPath() == null ? "" : uri.getPath();
            String db = path.length() > 1 ? path.substring(1) : "postgres";
            String user = "postgres";
            String password = null;
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = decode(parts[0]);
                password = parts.length > 1 ? decode(parts[1]) : null;
            }
            if (uri.getRawQuery() != null) {
                for (String kv : uri.getRawQuery().split("&")) {
                    String[] p = kv.split("=", 2);
                    String value = p.length > 1 ? decode(p[1]) : "";
                    switch (p[0]) {
                        case "user" -> user = value;
                        case "password" -> password = value;
                        default -> { }
                    }
                }
            }
            return new DbUrl(host, port, db, user, password);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("FLEETWIRE_DB_URL is not a valid URL");
        }
    }

    private static String decode(String s) {
        // Percent-decoding only: '+' is a plus sign in a URL, not a space.
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public DbUrl withDatabase(String name) {
        return new DbUrl(host, port, name, user, password);
    }

    @Override
    public String toString() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }
}
