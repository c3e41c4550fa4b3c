package io.fleetwire.bench;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.MessageCodec;
import io.fleetwire.sim.TelemetryGenerator;
import org.HdrHistogram.Histogram;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peer of the benchmarks: the same devices, payloads and interval relayed through a Mosquitto
 * started for the run ({@link PrivateMosquitto}), driven by the HiveMQ MQTT client (one shared Netty
 * event loop group, no thread per connection), measured the way the Fleetwire side is: connections
 * held (Mosquitto's RSS per connection), publish QoS 1 → PUBACK and publish → subscriber latency.
 */
final class MosquittoPeer {

    static final String HOST = PrivateMosquitto.HOST;

    /** What the peer measured. */
    record Result(int connections, double connectSeconds, long rssPerConnection, long published, long acked,
                  long delivered, Histogram puback, Histogram delivery, double bytesPerDevicePerSecond,
                  List<Step> steps) {
    }

    /** Mosquitto's RSS per held connection with {@code connections} held. */
    record Step(int connections, long rssPerConnection) {
    }

    /** Connects {@code steps} (ascending; the last is the device count), measuring Mosquitto at each, then relays. */
    static Result run(PrivateMosquitto broker, List<Integer> steps, Duration telemetry, int intervalSeconds) throws Exception {
        int devices = steps.getLast();
        long pid = broker.pid();
        int port = broker.port();
        String run = Long.toHexString(ThreadLocalRandom.current().nextLong());
        long rssBefore = ProcessStats.rssBytes(pid);
        List<Mqtt3AsyncClient> clients = new ArrayList<>(devices);
        long t0 = System.nanoTime();
        List<CompletableFuture<?>> connecting = new ArrayList<>();
        List<Step> measured = new ArrayList<>();
        long pausedNanos = 0;
        for (int i = 0; i < devices; i++) {
            Mqtt3AsyncClient c = Mqtt3Client.builder().identifier("fw-bench-" + run + "-" + i).serverHost(HOST).serverPort(port)
                    .buildAsync();
            clients.add(c);
            connecting.add(c.connectWith().keepAlive(30).cleanSession(true).send());
            if (connecting.size() >= 200 || steps.contains(i + 1)) {
                CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                connecting.clear();
            }
            if (steps.contains(i + 1) && i + 1 < devices) {
                long p0 = System.nanoTime();
                Thread.sleep(1_000);
                measured.add(new Step(i + 1, (ProcessStats.rssBytes(pid) - rssBefore) / (i + 1)));
                pausedNanos += System.nanoTime() - p0;
            }
        }
        CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        double connectSeconds = (System.nanoTime() - t0 - pausedNanos) / 1e9;
        Thread.sleep(1_000);
        long rssHeld = ProcessStats.rssBytes(pid);
        measured.add(new Step(devices, (rssHeld - rssBefore) / devices));

        // One subscriber for every device's topic: publish → delivery, matched per device in publish order.
        @SuppressWarnings("unchecked")
        ConcurrentLinkedQueue<Long>[] sentAt = new ConcurrentLinkedQueue[devices];
        for (int i = 0; i < devices; i++) {
            sentAt[i] = new ConcurrentLinkedQueue<>();
        }
        Histogram puback = new Histogram(60_000_000_000L, 3);
        Histogram delivery = new Histogram(60_000_000_000L, 3);
        AtomicLong delivered = new AtomicLong();
        AtomicLong acked = new AtomicLong();
        AtomicLong published = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        Mqtt3AsyncClient subscriber = Mqtt3Client.builder().identifier("fw-bench-" + run + "-sub").serverHost(HOST)
                .serverPort(port).buildAsync();
        subscriber.connectWith().cleanSession(true).send().get(10, TimeUnit.SECONDS);
        subscriber.publishes(MqttGlobalPublishFilter.ALL, p -> {
            long now = System.nanoTime();
            String[] levels = p.getTopic().toString().split("/");
            Long at = sentAt[Integer.parseInt(levels[2])].poll();
            if (at != null) {
                synchronized (delivery) {
                    delivery.recordValue(Math.max(0, now - at));
                }
                delivered.incrementAndGet();
            }
        });
        subscriber.subscribeWith().topicFilter("fleetwire/" + run + "/+/telemetry").qos(MqttQos.AT_LEAST_ONCE).send()
                .get(10, TimeUnit.SECONDS);

        MessageCodec codec = new MessageCodec();
        TelemetryGenerator[] generators = new TelemetryGenerator[devices];
        for (int i = 0; i < devices; i++) {
            generators[i] = new TelemetryGenerator(i);
        }
        long intervalNanos = TimeUnit.SECONDS.toNanos(intervalSeconds);
        long start = System.nanoTime();
        long end = start + telemetry.toNanos();
        long seq = 0;
        // Each device publishes once per interval, spread evenly over it, as the simulator's devices do.
        while (System.nanoTime() < end) {
            for (int i = 0; i < devices && System.nanoTime() < end; i++) {
                long due = start + seq / devices * intervalNanos + (long) i * intervalNanos / devices;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                seq++;
                byte[] payload = codec.encode(new Message.Telemetry(seq, List.of(generators[i].next(Instant.now()))))
                        .getBytes(StandardCharsets.UTF_8);
                long sent = System.nanoTime();
                sentAt[i].add(sent);
                published.incrementAndGet();
                bytes.addAndGet(payload.length + 2 + ("fleetwire/" + run + "/" + i + "/telemetry").length() + 2 + 2);
                clients.get(i).publishWith().topic("fleetwire/" + run + "/" + i + "/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(payload).send().whenComplete((r, e) -> {
                            if (e == null) {
                                long took = System.nanoTime() - sent;
                                synchronized (puback) {
                                    puback.recordValue(Math.max(0, took));
                                }
                                acked.incrementAndGet();
                            }
                        });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((acked.get() < published.get() || delivered.get() < published.get()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        for (Mqtt3AsyncClient c : clients) {
            c.disconnect();
        }
        subscriber.disconnect();
        return new Result(devices, connectSeconds, (rssHeld - rssBefore) / devices, published.get(), acked.get(),
                delivered.get(), puback, delivery, bytes.get() / (double) devices / seconds, List.copyOf(measured));
    }
}
