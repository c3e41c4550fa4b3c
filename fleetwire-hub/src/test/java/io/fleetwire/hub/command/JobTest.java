package io.fleetwire.hub.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.TestHubExtension;
import io.fleetwire.testkit.AgentSocket;
import io.fleetwire.testkit.ApiClient;
import io.fleetwire.testkit.Await;
import io.fleetwire.testkit.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Jobs: one command for many devices, by ids, labels or hostnames, with rollout, abort and cancel. */
@Tag("integration")
class JobTest {

    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension();

    private static JsonNode createJob(String body) {
        ApiClient.Response r = HUB.api().post("/api/v1/commands", body);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.body();
    }

    private static JsonNode job(String id) {
        ApiClient.Response r = HUB.api().get("/api/v1/jobs/" + id);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.body();
    }

    private static String quoted(List<TestHub.DeviceHandle> devices) {
        return String.join(",", devices.stream().map(d -> "\"" + d.id() + "\"").toList());
    }

    /** Answers the next command on the socket: ack, then a result. */
    private static void run(AgentSocket socket, boolean succeed) {
        JsonNode command = socket.await(m -> "command".equals(m.path("type").asText()), Duration.ofSeconds(20));
        String id = command.path("id").asText();
        socket.send("{\"type\":\"command_ack\",\"seq\":1,\"id\":\"" + id + "\"}");
        socket.send("{\"type\":\"command_result\",\"seq\":2,\"id\":\"" + id + "\",\"status\":\""
                + (succeed ? "succeeded" : "failed") + "\"" + (succeed ? "" : ",\"error\":\"refused\"") + "}");
        socket.awaitAck(2);
    }

    @Test
    void jobOver200ConnectedDevices_reachesFinalCountsThatAddUp() {
        List<TestHub.DeviceHandle> devices = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            devices.add(HUB.hub().createDevice("fleet-" + i));
        }
        List<AgentSocket> sockets = new ArrayList<>();
        try {
            for (TestHub.DeviceHandle d : devices) {
                sockets.add(HUB.hub().connect(d));
            }
            JsonNode created = createJob("{\"type\":\"broadcast_message\",\"params\":{\"text\":\"maintenance at 6\"},"
                    + "\"target\":{\"deviceIds\":[" + quoted(devices) + "]}}");
            assertThat(created.path("total").asInt()).isEqualTo(200);
            String jobId = created.path("id").asText();
            for (int i = 0; i < sockets.size(); i++) {
                run(sockets.get(i), i % 10 != 0);
            }
            AtomicReference<JsonNode> last = new AtomicReference<>();
            Await.until("job completed", Duration.ofSeconds(30), () -> {
                last.set(job(jobId));
                return "completed".equals(last.get().path("status").asText());
            });
            JsonNode counts = last.get().path("counts");
            assertThat(counts.path("succeeded").asInt()).isEqualTo(180);
            assertThat(counts.path("failed").asInt()).isEqualTo(20);
            long sum = 0;
            for (JsonNode c : counts) {
                sum += c.asLong();
            }
            assertThat(sum).isEqualTo(200);
            assertThat(last.get().path("total").asInt()).isEqualTo(200);
            assertThat(TestDatabase.queryLong(HUB.hub().dbUrl(),
                    "SELECT count(*) FROM device_commands WHERE job_id = '" + jobId + "' AND status IN ('succeeded','failed')"))
                    .isEqualTo(200);
        } finally {
            sockets.forEach(AgentSocket::close);
        }
    }

    @Test
    void jobByLabels_targetsExactlyTheDevicesWithAllThoseLabels() {
        for (int i = 0; i < 3; i++) {
            var d = HUB.hub().createDevice("lab2-" + i);
            assertThat(HUB.api().patch("/api/v1/devices/" + d.id(), "{\"labels\":{\"room\":\"lab-2\",\"os\":\"linux\"}}").status()).isEqualTo(200);
        }
        var other = HUB.hub().createDevice("lab3-0");
        HUB.api().patch("/api/v1/devices/" + other.id(), "{\"labels\":{\"room\":\"lab-3\",\"os\":\"linux\"}}");
        JsonNode job = createJob("{\"type\":\"lock\",\"target\":{\"labels\":{\"room\":\"lab-2\",\"os\":\"linux\"}}}");
        assertThat(job.path("total").asInt()).isEqualTo(3);
        assertThat(job.path("counts").path("pending").asInt()).isEqualTo(3);
        assertThat(HUB.api().get("/api/v1/devices/" + other.id() + "/commands").body().path("items")).isEmpty();
    }

    @Test
    void jobByHostnames_targetsThoseHosts() {
        var a = HUB.hub().createDevice("host-a");
        HUB.hub().createDevice("host-b");
        JsonNode job = createJob("{\"type\":\"buzz\",\"target\":{\"hostnames\":[\"host-a.local\",\"no-such-host\"]}}");
        assertThat(job.path("total").asInt()).isEqualTo(1);
        JsonNode items = HUB.api().get("/api/v1/devices/" + a.id() + "/commands").body().path("items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).path("jobId").asText()).isEqualTo(job.path("id").asText());
    }

    @Test
    void targetsThatMatchNothingOrNameUnknownDevices_areRefused_andCreateNothing() {
        long before = TestDatabase.queryLong(HUB.hub().dbUrl(), "SELECT count(*) FROM command_jobs");
        ApiClient.Response none = HUB.api().post("/api/v1/commands", "{\"type\":\"lock\",\"target\":{\"labels\":{\"room\":\"nowhere\"}}}");
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.text()).contains("matches no device");
        var real = HUB.hub().createDevice("real-target");
        String ghost = java.util.UUID.randomUUID().toString();
        ApiClient.Response unknown = HUB.api().post("/api/v1/commands",
                "{\"type\":\"lock\",\"target\":{\"deviceIds\":[\"" + real.id() + "\",\"" + ghost + "\"]}}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.text()).contains(ghost);
        for (String bad : List.of("{\"type\":\"lock\"}", "{\"type\":\"lock\",\"target\":{}}",
                "{\"type\":\"lock\",\"target\":{\"deviceIds\":[],\"labels\":{\"a\":\"b\"}}}",
                "{\"type\":\"lock\",\"target\":{\"deviceIds\":[\"x\"]}}",
                "{\"type\":\"lock\",\"target\":{\"hostnames\":[\"a.local\"]},\"abort\":{\"failurePercent\":100}}",
                "{\"type\":\"lock\",\"target\":{\"hostnames\":[\"a.local\"]},\"rollout\":{\"perMinute\":0}}",
                "{\"type\":\"set_fan_speed\",\"params\":{\"percent\":300},\"target\":{\"hostnames\":[\"real-target.local\"]}}")) {
            ApiClient.Response r = HUB.api().post("/api/v1/commands", bad);
            assertThat(r.status()).as(bad + " → " + r.text()).isEqualTo(400);
        }
        assertThat(TestDatabase.queryLong(HUB.hub().dbUrl(), "SELECT count(*) FROM command_jobs")).isEqualTo(before);
        assertThat(HUB.api().get("/api/v1/devices/" + real.id() + "/commands").body().path("items")).isEmpty();
    }

    @Test
    void abortRule_stopsTheRolloutOnceTooManyFail_andCancelsWhatWasNotSent() {
        List<TestHub.DeviceHandle> devices = new ArrayList<>();
        List<AgentSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                devices.add(HUB.hub().createDevice("abort-" + i));
                sockets.add(HUB.hub().connect(devices.getLast()));
            }
            // One device every 3 s; abort when more than 40 % of at least 2 finished commands failed.
            JsonNode created = createJob("{\"type\":\"reboot\",\"target\":{\"deviceIds\":[" + quoted(devices) + "]},"
                    + "\"rollout\":{\"perMinute\":20},\"abort\":{\"failurePercent\":40,\"minFinished\":2}}");
            String jobId = created.path("id").asText();
            assertThat(created.path("counts").path("pending").asInt()).isGreaterThanOrEqualTo(4);
            run(sockets.get(0), false);
            run(sockets.get(1), false);
            AtomicReference<JsonNode> last = new AtomicReference<>();
            Await.until("job aborted", Duration.ofSeconds(15), () -> {
                last.set(job(jobId));
                return "aborted".equals(last.get().path("status").asText());
            });
            assertThat(last.get().path("statusReason").asText()).contains("failed");
            JsonNode counts = last.get().path("counts");
            assertThat(counts.path("failed").asInt()).isEqualTo(2);
            assertThat(counts.path("cancelled").asInt()).isGreaterThanOrEqualTo(3);
            assertThat(counts.path("pending").asInt()).isZero();
            // The last device never hears of it.
            assertThat(sockets.get(5).drain(Duration.ofSeconds(1))).noneMatch(m -> "command".equals(m.path("type").asText()));
            assertThat(HUB.api().post("/api/v1/jobs/" + jobId + "/cancel", "").status()).isEqualTo(409);
        } finally {
            sockets.forEach(AgentSocket::close);
        }
    }

    @Test
    void cancellingAJob_cancelsItsUndeliveredCommands() {
        var a = HUB.hub().createDevice("cancel-job-a");
        var b = HUB.hub().createDevice("cancel-job-b");
        JsonNode created = createJob("{\"type\":\"lock\",\"target\":{\"deviceIds\":[\"" + a.id() + "\",\"" + b.id() + "\"]}}");
        ApiClient.Response cancelled = HUB.api().post("/api/v1/jobs/" + created.path("id").asText() + "/cancel", "");
        assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
        assertThat(cancelled.body().path("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.body().path("counts").path("cancelled").asInt()).isEqualTo(2);
        try (AgentSocket socket = HUB.hub().connect(a)) {
            assertThat(socket.drain(Duration.ofMillis(800))).noneMatch(m -> "command".equals(m.path("type").asText()));
        }
    }
}
