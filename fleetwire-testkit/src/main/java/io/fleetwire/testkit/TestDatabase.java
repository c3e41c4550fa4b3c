package io.fleetwire.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * PostgreSQL for tests: one server per JVM, a fresh database per hub. The server is an embedded
 * PostgreSQL, or — when {@code FLEETWIRE_TEST_DB_URL} (env or system property) is set, e.g.
 * {@code postgresql://postgres@127.0.0.1:5432/postgres} — that external server, so the same suite
 * runs against both.
 */
public final class TestDatabase {

    public static final String EXTERNAL_KEY = "FLEETWIRE_TEST_DB_URL";

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static volatile Server server;

    private TestDatabase() {
    }

    /** Host, port and user of the server, and the URL of its maintenance database. */
    private record Server(String host, int port, String user, EmbeddedPostgres embedded) {
        String url(String database) {
            return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
        }

        String jdbc(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }

    /** The external server's URL when the tests run against one, else null. */
    public static String externalUrl() {
        String v = System.getProperty(EXTERNAL_KEY, System.getenv(EXTERNAL_KEY));
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** True when the configured external server accepts TCP connections (or none is configured). */
    public static boolean reachable() {
        String url = externalUrl();
        if (url == null) {
            return true;
        }
        Server s = parse(url);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(s.host(), s.port()), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates an empty database and returns its {@code postgresql://} URL for FLEETWIRE_DB_URL. */
    public static String newDatabase() {
        Server s = server();
        String name = "fw_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet() + "_"
                + Long.toHexString(System.nanoTime() & 0xffffff);
        try (Connection c = DriverManager.getConnection(s.jdbc("postgres"), s.user(), null);
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database on " + s.url("postgres") + ": " + e.getMessage(), e);
        }
        return s.url(name);
    }

    /** Runs one SQL statement against a database created by {@link #newDatabase()} and returns the first column of the first row. */
    public static long queryLong(String url, String sql) {
        Server s = server();
        String db = url.substring(url.lastIndexOf('/') + 1);
        try (Connection c = DriverManager.getConnection(s.jdbc(db), s.user(), null);
             Statement st = c.createStatement();
             var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JDBC connection to a database created by {@link #newDatabase()}, e.g. to hold a lock; the caller closes it. */
    public static Connection open(String url) {
        Server s = server();
        String db = url.substring(url.lastIndexOf('/') + 1);
        try {
            return DriverManager.getConnection(s.jdbc(db), s.user(), null);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Server server() {
        if (server == null) {
            synchronized (TestDatabase.class) {
                if (server == null) {
                    server = start();
                }
            }
        }
        return server;
    }

    private static Server start() {
        String external = externalUrl();
        if (external != null) {
            Server s = parse(external);
            dropLeftovers(s);
            return s;
        }
        try {
            var dir = Files.createTempDirectory("fleetwire-test-pg");
            EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // JVM is ending
                }
            }));
            return new Server("127.0.0.1", pg.getPort(), "postgres", pg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops test databases of earlier test JVMs that are gone, so the external server does not fill up. */
    private static void dropLeftovers(Server s) {
        try (Connection c = DriverManager.getConnection(s.jdbc("postgres"), s.user(), null);
             Statement st = c.createStatement()) {
            java.util.List<String> names = new java.util.ArrayList<>();
            try (var rs = st.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'fw\\_test\\_%'")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            for (String name : names) {
                long pid = Long.parseLong(name.split("_")[2]);
                if (ProcessHandle.of(pid).isEmpty()) {
                    st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                }
            }
        } catch (SQLException | RuntimeException e) {
            System.err.println("TestDatabase: could not drop old test databases: " + e.getMessage());
        }
    }

    private static Server parse(String url) {
        var uri = java.net.URI.create(url.replaceFirst("^jdbc:", ""));
        String user = uri.getUserInfo() == null ? "postgres" : uri.getUserInfo().split(":")[0];
        return new Server(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), user, null);
    }
}
