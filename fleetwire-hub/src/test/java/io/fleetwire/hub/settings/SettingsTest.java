package io.fleetwire.hub.settings;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.TestHubExtension;
import io.fleetwire.hub.config.ConfigKey;
import io.fleetwire.testkit.AgentSocket;
import io.fleetwire.testkit.ApiClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Device and fleet configuration: overrides set over REST reach connected devices at once as a
 * {@code config} message with a new version, welcomes carry them, devices report what they applied,
 * and bad input changes nothing. The fleet-wide settings are changed in one test only.
 */
@Tag("integration")
class SettingsTest {

    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension(Map.of(ConfigKey.TELEMETRY_INTERVAL_SECONDS, "3"));
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static TestHub.DeviceHandle device(String name) {
        return HUB.hub().createDevice(name + "-" + NAMES.incrementAndGet());
    }

    /** A device socket whose welcome is still to be read. */
    private static AgentSocket open(TestHub.DeviceHandle d) {
        return AgentSocket.connect(HUB.hub().wsUrl(), d.token());
    }

    private static String path(TestHub.DeviceHandle d) {
        return "/api/v1/devices/" + d.id() + "/config";
    }

    private static JsonNode ok(ApiClient.Response r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.body();
    }

    private static void assertError(ApiClient.Response r, int status, String code, String... fragments) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.errorCode()).as(r.text()).isEqualTo(code);
        for (String f : fragments) {
            assertThat(r.body().path("error").path("message").asText()).as(r.text()).contains(f);
        }
    }

    private static JsonNode awaitConfig(AgentSocket socket) {
        return socket.await(m -> m.path("type").asText().equals("config"), WAIT);
    }

    @Test
    void deviceOverride_reachesTheConnectedDeviceAtOnce_andItsReportMakesItInSync() {
        TestHub.DeviceHandle d = device("cfg-push");
        try (AgentSocket socket = open(d)) {
            JsonNode welcome = socket.awaitType("welcome");
            long before = welcome.path("settings").path("version").asLong();
            assertThat(welcome.path("settings").path("pollIntervalSeconds").asInt()).isEqualTo(300);
            assertThat(welcome.path("settings").path("queueBudgetBytes").asLong()).isEqualTo(64L << 20);

            JsonNode view = ok(HUB.api().patch(path(d), "{\"telemetryIntervalSeconds\":1,\"pollIntervalSeconds\":60}"));
            long version = view.path("version").asLong();
            assertThat(version).isGreaterThan(before);
            assertThat(view.path("overrides").path("telemetryIntervalSeconds").asInt()).isEqualTo(1);
            assertThat(view.path("effective").path("telemetryIntervalSeconds").asInt()).isEqualTo(1);
            assertThat(view.path("effective").path("heartbeatSeconds").asInt()).isEqualTo(30);
            assertThat(view.path("inSync").asBoolean()).isFalse();

            JsonNode config = awaitConfig(socket);
            assertThat(config.path("settings").path("version").asLong()).isEqualTo(version);
            assertThat(config.path("settings").path("telemetryIntervalSeconds").asInt()).isEqualTo(1);
            assertThat(config.path("settings").path("pollIntervalSeconds").asInt()).isEqualTo(60);

            socket.send("{\"type\":\"config_applied\",\"seq\":1,\"version\":" + version + "}");
            socket.awaitAck(1);
            JsonNode after = ok(HUB.api().get(path(d)));
            assertThat(after.path("applied").path("version").asLong()).isEqualTo(version);
            assertThat(after.path("applied").path("at").asText()).isNotBlank();
            assertThat(after.path("inSync").asBoolean()).isTrue();

            // A reconnecting device is welcomed with its current settings.
            try (AgentSocket again = open(d)) {
                JsonNode w = again.awaitType("welcome");
                assertThat(w.path("settings").path("version").asLong()).isEqualTo(version);
                assertThat(w.path("settings").path("telemetryIntervalSeconds").asInt()).isEqualTo(1);
            }
        }
        JsonNode audit = ok(HUB.api().get("/api/v1/audit?device=" + d.id() + "&action=config.updated"));
        assertThat(audit.path("items")).hasSize(1);
    }

    @Test
    void aDeviceReportingAnOlderVersion_isSentItsSettingsAgain() {
        TestHub.DeviceHandle d = device("cfg-stale");
        long version = ok(HUB.api().patch(path(d), "{\"telemetryIntervalSeconds\":9}")).path("version").asLong();
        try (AgentSocket socket = open(d)) {
            assertThat(socket.awaitType("welcome").path("settings").path("telemetryIntervalSeconds").asInt()).isEqualTo(9);
            socket.send("{\"type\":\"config_applied\",\"seq\":5,\"version\":1}");
            JsonNode config = awaitConfig(socket);
            assertThat(config.path("settings").path("version").asLong()).isEqualTo(version);
            socket.awaitAck(5);
            assertThat(ok(HUB.api().get(path(d))).path("inSync").asBoolean()).isFalse();

            socket.send("{\"type\":\"config_applied\",\"version\":" + version + "}");
            io.fleetwire.testkit.Await.until("the device in sync", WAIT, () -> ok(HUB.api().get(path(d))).path("inSync").asBoolean());
            assertThat(socket.drain(Duration.ofMillis(300))).noneMatch(m -> m.path("type").asText().equals("config"));
        }
    }

    @Test
    void removingAnOverride_fallsBackToTheFleetValue_andAPatchThatChangesNothingKeepsTheVersion() {
        TestHub.DeviceHandle d = device("cfg-remove");
        long v1 = ok(HUB.api().patch(path(d), "{\"queueBudgetBytes\":2097152}")).path("version").asLong();
        JsonNode same = ok(HUB.api().patch(path(d), "{\"queueBudgetBytes\":2097152}"));
        assertThat(same.path("version").asLong()).isEqualTo(v1);

        JsonNode removed = ok(HUB.api().patch(path(d), "{\"queueBudgetBytes\":null}"));
        assertThat(removed.path("version").asLong()).isGreaterThan(v1);
        assertThat(removed.path("overrides").has("queueBudgetBytes")).isFalse();
        long fleetBudget = ok(HUB.api().get("/api/v1/config")).path("effective").path("queueBudgetBytes").asLong();
        assertThat(removed.path("effective").path("queueBudgetBytes").asLong()).isEqualTo(fleetBudget);
    }

    @Test
    void badInput_getsAClearError_andChangesNothing() {
        TestHub.DeviceHandle d = device("cfg-bad");
        JsonNode before = ok(HUB.api().get(path(d)));
        JsonNode fleetBefore = ok(HUB.api().get("/api/v1/config"));

        assertError(HUB.api().patch(path(d), "{\"telemetryInterval\":5}"), 400, "bad_request", "unknown setting 'telemetryInterval'",
                "telemetryIntervalSeconds");
        assertError(HUB.api().patch(path(d), "{\"heartbeatSeconds\":5}"), 400, "bad_request", "hub's own setting",
                "FLEETWIRE_HEARTBEAT_SECONDS");
        assertError(HUB.api().patch(path(d), "{\"telemetryIntervalSeconds\":0}"), 400, "bad_request", "between 1 and 86400");
        assertError(HUB.api().patch(path(d), "{\"telemetryIntervalSeconds\":86401}"), 400, "bad_request", "between 1 and 86400");
        assertError(HUB.api().patch(path(d), "{\"telemetryIntervalSeconds\":2.5}"), 400, "bad_request", "whole number");
        assertError(HUB.api().patch(path(d), "{\"telemetryIntervalSeconds\":\"5\"}"), 400, "bad_request", "whole number");
        assertError(HUB.api().patch(path(d), "{\"pollIntervalSeconds\":5}"), 400, "bad_request", "between 10 and");
        assertError(HUB.api().patch(path(d), "{\"queueBudgetBytes\":1024}"), 400, "bad_request", "queueBudgetBytes");
        // One bad field spoils the whole patch: the good one is not applied either.
        assertError(HUB.api().patch(path(d), "{\"telemetryIntervalSeconds\":5,\"bogus\":1}"), 400, "bad_request", "bogus");
        assertError(HUB.api().patch(path(d), "{}"), 400, "bad_request", "at least one setting");
        assertError(HUB.api().patch(path(d), "[1]"), 400, "bad_request");
        assertError(HUB.api().patch(path(d), "not json"), 400, "bad_request", "not valid JSON");
        assertError(HUB.api().patch("/api/v1/config", "{\"maxMessageBytes\":10}"), 400, "bad_request", "hub's own setting");
        assertError(HUB.api().patch("/api/v1/devices/not-a-uuid/config", "{\"telemetryIntervalSeconds\":5}"), 404, "not_found");
        String unknown = "/api/v1/devices/" + java.util.UUID.randomUUID() + "/config";
        assertError(HUB.api().patch(unknown, "{\"telemetryIntervalSeconds\":5}"), 404, "not_found");
        assertError(HUB.api().get(unknown), 404, "not_found");
        assertThat(HUB.api().withToken(d.token()).patch(path(d), "{\"telemetryIntervalSeconds\":5}").status()).isEqualTo(401);
        assertThat(HUB.api().withToken(d.token()).get("/api/v1/config").status()).isEqualTo(401);

        assertThat(ok(HUB.api().get(path(d)))).isEqualTo(before);
        assertThat(ok(HUB.api().get("/api/v1/config"))).isEqualTo(fleetBefore);
    }

    @Test
    void fleetChange_reachesEveryConnectedDevice_butADeviceOverrideStillWins() {
        TestHub.DeviceHandle plain = device("cfg-fleet-plain");
        TestHub.DeviceHandle own = device("cfg-fleet-own");
        ok(HUB.api().patch(path(own), "{\"telemetryIntervalSeconds\":2}"));
        try (AgentSocket a = open(plain); AgentSocket b = open(own)) {
            a.awaitType("welcome");
            b.awaitType("welcome");
            JsonNode fleet = ok(HUB.api().patch("/api/v1/config", "{\"telemetryIntervalSeconds\":20,\"pollIntervalSeconds\":120}"));
            assertThat(fleet.path("overrides").path("telemetryIntervalSeconds").asInt()).isEqualTo(20);
            assertThat(fleet.path("defaults").path("telemetryIntervalSeconds").asInt()).isEqualTo(3);
            long version = fleet.path("version").asLong();

            JsonNode toPlain = awaitConfig(a).path("settings");
            assertThat(toPlain.path("version").asLong()).isEqualTo(version);
            assertThat(toPlain.path("telemetryIntervalSeconds").asInt()).isEqualTo(20);
            JsonNode toOwn = awaitConfig(b).path("settings");
            assertThat(toOwn.path("version").asLong()).isEqualTo(version);
            assertThat(toOwn.path("telemetryIntervalSeconds").asInt()).isEqualTo(2);
            assertThat(toOwn.path("pollIntervalSeconds").asInt()).isEqualTo(120);

            JsonNode ownView = ok(HUB.api().get(path(own)));
            assertThat(ownView.path("fleetOverrides").path("telemetryIntervalSeconds").asInt()).isEqualTo(20);
            assertThat(ownView.path("effective").path("telemetryIntervalSeconds").asInt()).isEqualTo(2);
        } finally {
            ok(HUB.api().patch("/api/v1/config", "{\"telemetryIntervalSeconds\":null,\"pollIntervalSeconds\":null}"));
        }
        assertThat(ok(HUB.api().get("/api/v1/config")).path("effective").path("telemetryIntervalSeconds").asInt()).isEqualTo(3);
    }

    @Test
    void aDeviceThatOnlyPolls_readsItsSettingsOverHttp_andReportsTheVersionItApplied() {
        TestHub.DeviceHandle d = device("cfg-http");
        ApiClient asDevice = HUB.api().withToken(d.token());
        long version = ok(HUB.api().patch(path(d), "{\"telemetryIntervalSeconds\":7}")).path("version").asLong();

        JsonNode current = ok(asDevice.get("/api/v1/agent/config")).path("settings");
        assertThat(current.path("version").asLong()).isEqualTo(version);
        assertThat(current.path("telemetryIntervalSeconds").asInt()).isEqualTo(7);
        assertThat(current.path("heartbeatSeconds").asInt()).isEqualTo(30);

        // A stale version is stored and answered with the current settings, as the socket resends a config.
        JsonNode stale = ok(asDevice.post("/api/v1/agent/config/applied", "{\"version\":1}"));
        assertThat(stale.path("inSync").asBoolean()).isFalse();
        assertThat(stale.path("settings").path("version").asLong()).isEqualTo(version);
        assertThat(ok(HUB.api().get(path(d))).path("applied").path("version").asLong()).isEqualTo(1);

        JsonNode inSync = ok(asDevice.post("/api/v1/agent/config/applied", "{\"version\":" + version + "}"));
        assertThat(inSync.path("inSync").asBoolean()).isTrue();
        assertThat(inSync.has("settings")).isFalse();
        JsonNode view = ok(HUB.api().get(path(d)));
        assertThat(view.path("inSync").asBoolean()).isTrue();

        // Bad reports change nothing.
        assertError(asDevice.post("/api/v1/agent/config/applied", "{}"), 400, "bad_request", "'version' is required");
        assertError(asDevice.post("/api/v1/agent/config/applied", "{\"version\":\"3\"}"), 400, "bad_request", "'version'");
        assertError(asDevice.post("/api/v1/agent/config/applied", "{\"version\":0}"), 400, "bad_request", "'version'");
        assertError(asDevice.post("/api/v1/agent/config/applied", "{\"version\":2.5}"), 400, "bad_request", "'version'");
        assertError(asDevice.post("/api/v1/agent/config/applied", "{\"version\":3,\"extra\":1}"), 400, "bad_request", "extra");
        assertError(asDevice.post("/api/v1/agent/config/applied", "not json"), 400, "bad_request");
        assertThat(ok(HUB.api().get(path(d)))).isEqualTo(view);

        // Only a device token opens these; an admin token is not a device.
        assertThat(HUB.api().withToken("fwd_nope").get("/api/v1/agent/config").status()).isEqualTo(401);
        assertThat(HUB.api().get("/api/v1/agent/config").status()).isEqualTo(401);
        assertThat(HUB.api().post("/api/v1/agent/config/applied", "{\"version\":1}").status()).isEqualTo(401);
        assertThat(ok(HUB.api().get(path(d)))).isEqualTo(view);
    }
}
