package io.fleetwire.hub;

import io.fleetwire.hub.config.ConfigKey;
import io.fleetwire.testkit.ApiClient;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Map;

/**
 * One real hub for a test class: started before its first test, stopped after its last.
 * <pre>{@code
 * @RegisterExtension
 * static final TestHubExtension HUB = new TestHubExtension(Map.of(ConfigKey.COMMAND_ACK_TIMEOUT_SECONDS, "1"));
 * ... HUB.hub().createDevice("d1"); HUB.api().get("/api/v1/devices");
 * }</pre>
 */
public final class TestHubExtension implements BeforeAllCallback, AfterAllCallback {

    private final Map<ConfigKey, String> overrides;
    private TestHub hub;

    public TestHubExtension() {
        this(Map.of());
    }

    public TestHubExtension(Map<ConfigKey, String> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        hub = TestHub.start(overrides);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (hub != null) {
            hub.close();
            hub = null;
        }
    }

    public TestHub hub() {
        if (hub == null) {
            throw new IllegalStateException("the hub runs only while the test class runs");
        }
        return hub;
    }

    /** A REST client with the admin token. */
    public ApiClient api() {
        return hub().api();
    }
}
