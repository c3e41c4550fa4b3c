package io.fleetwire.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetwire.testkit.AgentSocket;
import io.fleetwire.testkit.Telemetry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The hub as a process: killed with SIGKILL it loses nothing it acknowledged; SIGTERM stops it in order. */
@Tag("integration")
class HubProcessTest {

    private static final int MESSAGES = 400;

    @Test
    void hubKilledWithSigkill_keepsEveryAcknowledgedSample_afterRestartOnTheSameDataDir(@TempDir Path dataDir)
            throws Exception {
        String db = HubProcess.databaseForRun();
        String deviceId;
        String token;
        Set<Long> acked = new TreeSet<>();
        long base = System.currentTimeMillis() - 60_000;
        try (HubProcess hub = HubProcess.start(dataDir, db)) {
            JsonNode created = hub.api().post("/api/v1/devices", "{\"name\":\"survivor\"}").body();
            deviceId = created.path("id").asText();
            token = created.path("token").asText();
            AgentSocket socket = AgentSocket.connect(hub.wsUrl(), token);
            socket.awaitType("welcome");
            for (int seq = 1; seq <= MESSAGES; seq++) {
                socket.send(Telemetry.message(seq, base + seq, seq));
                if (seq == MESSAGES / 2) {
                    socket.awaitAck(seq - 50);  // make sure a good share is acknowledged before the kill
                    acked.add((long) seq - 50);
                    hub.kill();
                    break;
                }
            }
            for (JsonNode m : socket.drain(Duration.ofSeconds(1))) {
                if ("ack".equals(m.path("type").asText())) {
                    acked.add(m.path("seq").asLong());
                }
            }
            socket.abort();
        }
        assertThat(acked).isNotEmpty();

        try (HubProcess hub = HubProcess.start(dataDir, db)) {
            Set<Long> stored = storedSeqs(hub, deviceId);
            assertThat(stored).as("every acknowledged seq survives SIGKILL").containsAll(acked);
            assertThat(hub.api().get("/api/v1/devices/" + deviceId).body().path("online").asBoolean()).isFalse();

            // The agent re-sends everything it has not seen acked; the result is each message exactly once.
            try (AgentSocket socket = AgentSocket.connect(hub.wsUrl(), token)) {
                socket.awaitType("welcome");
                for (int seq = 1; seq <= MESSAGES; seq++) {
                    socket.send(Telemetry.message(seq, base + seq, seq));
                }
                socket.awaitAck(MESSAGES);
            }
            // Each ack covers its own message; with two writer transactions in flight the last ack can
            // come before an earlier batch commits, so wait for the count, then check it exactly.
            io.fleetwire.testkit.Await.until("all " + MESSAGES + " stored", Duration.ofSeconds(15),
                    () -> storedSeqs(hub, deviceId).size() >= MESSAGES);
            assertThat(storedSeqs(hub, deviceId)).hasSize(MESSAGES);
        }
    }

    @Test
    void hubOnSigterm_closesDeviceSocketsWith1001_flushesAndStopsItsPostgres(@TempDir Path dataDir) throws Exception {
        String db = HubProcess.databaseForRun();
        HubProcess hub = HubProcess.start(dataDir, db);
        JsonNode created = hub.api().post("/api/v1/devices", "{\"name\":\"graceful\"}").body();
        AgentSocket socket = AgentSocket.connect(hub.wsUrl(), created.path("token").asText());
        socket.awaitType("welcome");
        socket.send(Telemetry.message(1, System.currentTimeMillis(), 1));
        socket.awaitAck(1);

        int exit = hub.terminate();
        assertThat(socket.awaitClose(Duration.ofSeconds(10)).code()).isEqualTo(1001);
        assertThat(exit).as("exit code after SIGTERM").isIn(0, 143);
        if (db == null) {
            assertThat(Files.exists(dataDir.resolve("pg/postmaster.pid"))).as("embedded PostgreSQL stopped").isFalse();
        }
        socket.abort();
    }

    private static Set<Long> storedSeqs(HubProcess hub, String deviceId) {
        JsonNode samples = hub.api().get("/api/v1/devices/" + deviceId
                + "/telemetry?limit=10000&from=" + (System.currentTimeMillis() - 3_600_000)).body().path("samples");
        Set<Long> seqs = new HashSet<>();
        samples.forEach(s -> seqs.add(s.path("seq").asLong()));
        assertThat(seqs).as("no sample stored twice").hasSize(samples.size());
        return seqs;
    }
}
