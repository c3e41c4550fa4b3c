package io.fleetwire.hub.agent;

import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.TestHubExtension;
import io.fleetwire.hub.config.ConfigKey;
import io.fleetwire.testkit.AgentSocket;
import io.fleetwire.testkit.Telemetry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Floods and garbage from a device cost it its socket at worst, never the HUB.hub(). */
@Tag("integration")
class HostileInputTest {

    @RegisterExtension
    static final TestHubExtension HUB = new TestHubExtension(Map.of(ConfigKey.DEVICE_RATE, "1000", ConfigKey.DEVICE_BURST, "200"));

    @Test
    void flood_getsRateLimitedErrorFramesThenClose1008() {
        TestHub.DeviceHandle device = HUB.hub().createDevice("flooder");
        try (AgentSocket socket = HUB.hub().connect(device)) {
            for (int i = 0; i < 20_000 && !socket.isClosed(); i++) {
                try {
                    socket.send("{\"type\":\"ping\"}");
                } catch (RuntimeException e) {
                    break;  // the hub closed the socket under us
                }
            }
            socket.await(m -> "rate_limited".equals(m.path("code").asText()), Duration.ofSeconds(10));
            assertThat(socket.awaitClose(Duration.ofSeconds(10)).code()).isEqualTo(1008);
        }
        assertThat(HUB.hub().hub().metrics().get("fleetwire_device_frames_rejected_total", "code=\"rate_limited\"")).isPositive();
        // The flooder may come back and behave.
        try (AgentSocket socket = HUB.hub().connect(device)) {
            socket.send(Telemetry.message(1, System.currentTimeMillis(), 1));
            socket.awaitAck(1);
        }
    }

    @Test
    void thousandsOfRandomAndTruncatedFrames_neverHurtTheHub_andANormalDeviceWorksAfterwards() {
        TestHub.DeviceHandle fuzzer = HUB.hub().createDevice("fuzzer");
        TestHub.DeviceHandle normal = HUB.hub().createDevice("normal");
        String valid = Telemetry.message(1, System.currentTimeMillis(), 3);
        Random random = new Random(42);
        int sent = 0;
        try (AgentSocket socket = HUB.hub().connect(fuzzer)) {
            while (sent < 3_000) {
                // Batches within the allowance, so the hub answers every frame instead of closing.
                for (int i = 0; i < 150; i++, sent++) {
                    socket.send(mutate(valid, random));
                }
                socket.send("{\"type\":\"ping\",\"ts\":" + sent + "}");
                long marker = sent;
                socket.await(m -> "pong".equals(m.path("type").asText()) && m.path("ts").asLong() == marker,
                        Duration.ofSeconds(10));
                sleepQuietly(200);
            }
            assertThat(socket.isClosed()).isFalse();
        }
        try (AgentSocket socket = HUB.hub().connect(normal)) {
            socket.send(Telemetry.message(1, System.currentTimeMillis(), 7));
            socket.awaitAck(1);
        }
        assertThat(HUB.hub().api().get("/health").status()).isEqualTo(200);
    }

    private static String mutate(String valid, Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> valid.substring(0, random.nextInt(valid.length()));
            case 1 -> {
                char[] chars = valid.toCharArray();
                for (int i = 0; i < 1 + random.nextInt(5); i++) {
                    chars[random.nextInt(chars.length)] = (char) (32 + random.nextInt(95));
                }
                yield new String(chars);
            }
            case 2 -> {
                StringBuilder b = new StringBuilder();
                int n = random.nextInt(200);
                for (int i = 0; i < n; i++) {
                    b.append((char) random.nextInt(0xD800));
                }
                yield b.toString();
            }
            default -> "{\"type\":\"telemetry\",\"seq\":" + random.nextLong() + ",\"samples\":[{\"ts\":"
                    + random.nextLong() + ",\"metrics\":{\"" + "x".repeat(random.nextInt(300)) + "\":" + random.nextDouble() + "}}]}";
        };
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
