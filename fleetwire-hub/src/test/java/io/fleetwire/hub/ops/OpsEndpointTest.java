package io.fleetwire.hub.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.TestHubExtension;
import io.fleetwire.testkit.AgentSocket;
import io.fleetwire.testkit.ApiClient;
import io.fleetwire.testkit.Telemetry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class OpsEndpointTest {

    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension();

    @Test
    void health_reportsOkWithTheDatabaseUp_withoutAToken() {
        ApiClient.Response r = new ApiClient(HUB.hub().httpUrl(), null).get("/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("ok");
        assertThat(r.body().path("database").asText()).isEqualTo("up");
    }

    @Test
    void metrics_countCommittedTelemetryAndConnectedDevices() {
        TestHub.DeviceHandle device = HUB.hub().createDevice("metrics");
        try (AgentSocket socket = HUB.hub().connect(device)) {
            socket.send(Telemetry.message(1, System.currentTimeMillis(), 1));
            socket.awaitAck(1);
            String text = new ApiClient(HUB.hub().httpUrl(), null).get("/metrics").text();
            assertThat(text).contains("# TYPE fleetwire_devices_connected gauge");
            assertThat(text).containsPattern("(?m)^fleetwire_devices_connected [1-9]");
            assertThat(text).containsPattern("(?m)^fleetwire_telemetry_committed_total [1-9]");
        }
    }

    @Test
    void openApi_isServedAndNamesTheDeviceEndpoints() throws Exception {
        ApiClient.Response r = new ApiClient(HUB.hub().httpUrl(), null).get("/openapi.json");
        assertThat(r.status()).isEqualTo(200);
        var doc = new ObjectMapper().readTree(r.text());
        assertThat(doc.path("paths").has("/api/v1/devices")).isTrue();
        assertThat(doc.path("paths").has("/api/v1/register")).isTrue();
    }
}
