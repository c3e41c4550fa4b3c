package io.fleetwire.hub;

import io.fleetwire.hub.config.ConfigKey;
import io.fleetwire.hub.config.HubConfig;
import io.fleetwire.hub.config.HubTuning;
import io.fleetwire.testkit.AgentSocket;
import io.fleetwire.testkit.ApiClient;
import io.fleetwire.testkit.TestDatabase;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * A real hub on a free port, on a fresh database of the test PostgreSQL (embedded, or external when
 * {@code FLEETWIRE_TEST_DB_URL} is set), with a known admin token.
 */
public final class TestHub implements AutoCloseable {

    public static final String ADMIN_TOKEN = "fwa_test_admin_token_0123456789";

    private final Hub hub;
    private final Path dataDir;
    private final String dbUrl;

    private TestHub(Hub hub, Path dataDir, String dbUrl) {
        this.hub = hub;
        this.dataDir = dataDir;
        this.dbUrl = dbUrl;
    }

    public static TestHub start() {
        return start(Map.of());
    }

    public static TestHub start(Map<ConfigKey, String> overrides) {
        return start(overrides, HubTuning.DEFAULTS);
    }

    /** With internal limits of its own, e.g. a small upgrade admission limit. */
    public static TestHub start(Map<ConfigKey, String> overrides, HubTuning tuning) {
        Assumptions.assumeTrue(TestDatabase.reachable(),
                "external PostgreSQL " + TestDatabase.externalUrl() + " is not reachable");
        try {
            Path dataDir = Files.createTempDirectory("fleetwire-hub-test");
            Map<ConfigKey, String> settings = new EnumMap<>(ConfigKey.class);
            settings.put(ConfigKey.PORT, "0");
            settings.put(ConfigKey.HOST, "127.0.0.1");
            settings.put(ConfigKey.DATA_DIR, dataDir.toString());
            settings.put(ConfigKey.DB_URL, TestDatabase.newDatabase());
            settings.put(ConfigKey.ADMIN_TOKEN, ADMIN_TOKEN);
            settings.put(ConfigKey.DB_POOL_SIZE, "4");
            settings.put(ConfigKey.SHUTDOWN_GRACE_SECONDS, "5");
            settings.putAll(overrides);
            return new TestHub(Hub.start(HubConfig.withOverrides(settings), tuning), dataDir, settings.get(ConfigKey.DB_URL));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A device made through the API. */
    public record DeviceHandle(String id, String token) {
    }

    public DeviceHandle createDevice(String name) {
        var r = api().post("/api/v1/devices", "{\"name\":\"" + name + "\",\"hostname\":\"" + name + ".local\"}");
        if (r.status() != 201) {
            throw new AssertionError("device creation failed: " + r.status() + " " + r.text());
        }
        return new DeviceHandle(r.body().get("id").asText(), r.body().get("token").asText());
    }

    public AgentSocket connect(DeviceHandle device) {
        AgentSocket socket = AgentSocket.connect(wsUrl(), device.token());
        socket.awaitType("welcome");
        return socket;
    }

    public ApiClient api() {
        return new ApiClient(httpUrl(), ADMIN_TOKEN);
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + hub.port();
    }

    public String wsUrl() {
        return "ws://127.0.0.1:" + hub.port();
    }

    public Hub hub() {
        return hub;
    }

    /** The hub's database, for tests that check what was stored (see {@code TestDatabase.queryLong}). */
    public String dbUrl() {
        return dbUrl;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        hub.close();
    }
}
