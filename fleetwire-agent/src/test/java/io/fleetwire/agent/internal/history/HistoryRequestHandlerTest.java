package io.fleetwire.agent.internal.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetwire.agent.CommandOutcome;
import io.fleetwire.agent.CommandRequest;
import io.fleetwire.protocol.CommandId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryRequestHandlerTest {

    static final Instant T0 = HistoryStoreTest.T0;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static CommandOutcome request(HistoryRequestHandler handler, String params) throws Exception {
        return handler.handle(new CommandRequest(CommandId.random(), "history_request", (ObjectNode) JSON.readTree(params),
                Instant.now().plusSeconds(60)));
    }

    private static String window(Instant from, Instant to) {
        return "{\"from\":\"" + from + "\",\"to\":\"" + to + "\"";
    }

    @Test
    void aWindow_returnsTheMinutesInIt_asAvgMinMaxCount_in60sBuckets() throws Exception {
        SettableClock clock = new SettableClock(T0.plus(Duration.ofHours(1)));
        try (HistoryStore store = HistoryStore.open(HistoryConfig.defaults(dir), clock)) {
            for (int m = 0; m < 10; m++) {
                store.record(Samples.cpu(T0.plus(Duration.ofMinutes(m)), m));
                store.record(Samples.cpu(T0.plus(Duration.ofMinutes(m)).plusSeconds(30), m + 1));
            }
            HistoryRequestHandler handler = new HistoryRequestHandler(store);
            CommandOutcome o = request(handler, window(T0.plus(Duration.ofMinutes(3)), T0.plus(Duration.ofMinutes(6))) + "}");
            assertThat(o.succeeded()).isTrue();
            JsonNode out = o.output();
            assertThat(out.path("bucketSeconds").asLong()).isEqualTo(60);
            assertThat(out.path("truncated").asBoolean()).isFalse();
            assertThat(out.path("storedFrom").asText()).isEqualTo(T0.toString());
            assertThat(out.path("columns").toString()).isEqualTo("[\"ts\",\"avg\",\"min\",\"max\",\"count\"]");
            JsonNode cpu = out.path("metrics").path("cpu.usage");
            assertThat(cpu).hasSize(3);
            assertThat(cpu.get(0).toString()).isEqualTo("[" + T0.plus(Duration.ofMinutes(3)).toEpochMilli() + ",3.5,3.0,4.0,2]");
            assertThat(cpu.get(2).get(0).asLong()).isEqualTo(T0.plus(Duration.ofMinutes(5)).toEpochMilli());
        }
    }

    @Test
    void metrics_limitTheAnswerToTheNamedOnes() throws Exception {
        SettableClock clock = new SettableClock(T0);
        try (HistoryStore store = HistoryStore.open(HistoryConfig.defaults(dir), clock)) {
            store.record(Samples.metrics(T0, Map.of("cpu.usage", 1.0, "load.1m", 2.0, "memory.used_percent", 3.0)));
            CommandOutcome o = request(new HistoryRequestHandler(store),
                    window(T0.minusSeconds(60), T0.plusSeconds(60)) + ",\"metrics\":[\"load.1m\",\"cpu.usage\",\"not.here\"]}");
            assertThat(o.output().path("metrics").properties()).extracting(Map.Entry::getKey).containsExactly("cpu.usage", "load.1m");
        }
    }

    @Test
    void sevenDaysOf60Metrics_areMergedIntoBucketsThatFitTheOutputLimit_losingNoSample() throws Exception {
        Instant start = T0.minus(Duration.ofDays(7)).plus(Duration.ofMinutes(1));
        SettableClock clock = new SettableClock(T0);
        Map<String, Double> values = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            values.put("metric.with_a_realistic_name_" + i, 1234.5678 + i);
        }
        try (HistoryStore store = HistoryStore.open(HistoryConfig.defaults(dir), clock)) {
            int minutes = 0;
            for (Instant t = start; t.isBefore(T0); t = t.plus(Duration.ofMinutes(1))) {
                store.record(Samples.metrics(t, values));
                minutes++;
            }
            store.flush();
            assertThat(store.bytes()).isLessThan(HistoryConfig.DEFAULT_MAX_BYTES);
            long started = System.nanoTime();
            CommandOutcome o = request(new HistoryRequestHandler(store), window(start.minus(Duration.ofDays(1)), T0) + "}");
            long millis = (System.nanoTime() - started) / 1_000_000;
            JsonNode out = o.output();
            assertThat(out.toString().length()).isLessThanOrEqualTo(HistoryRequestHandler.MAX_OUTPUT_CHARS);
            assertThat(out.path("truncated").asBoolean()).isFalse();
            assertThat(out.path("metrics").size()).isEqualTo(60);
            assertThat(out.path("bucketSeconds").asLong()).isGreaterThan(60);
            for (JsonNode series : out.path("metrics")) {
                long count = 0;
                for (JsonNode point : series) {
                    count += point.get(4).asLong();
                }
                assertThat(count).isEqualTo(minutes);
            }
            JsonNode first = out.path("metrics").path("metric.with_a_realistic_name_7").get(0);
            assertThat(first.get(1).asDouble()).isCloseTo(1241.5678, org.assertj.core.data.Offset.offset(0.001));
            System.out.printf("history_request over 7 days x 60 metrics: %d chars, bucket %d s, %d ms%n",
                    out.toString().length(), out.path("bucketSeconds").asLong(), millis);
        }
    }

    @Test
    void moreMetricsThanCanBeShown_areLeftOut_andTheAnswerSaysTruncated() throws Exception {
        SettableClock clock = new SettableClock(T0);
        Map<String, Double> values = new HashMap<>();
        for (int i = 0; i < 2_000; i++) {
            values.put(String.format("a.rather.long.metric.name.to.fill.the.answer.quickly.%04d", i), (double) i);
        }
        try (HistoryStore store = HistoryStore.open(HistoryConfig.defaults(dir), clock)) {
            store.record(Samples.metrics(T0, values));
            JsonNode out = request(new HistoryRequestHandler(store), window(T0, T0.plusSeconds(60)) + "}").output();
            assertThat(out.toString().length()).isLessThanOrEqualTo(HistoryRequestHandler.MAX_OUTPUT_CHARS);
            assertThat(out.path("truncated").asBoolean()).isTrue();
            assertThat(out.path("metrics").size()).isBetween(100, 1_999);
            assertThat(out.path("metrics").has("a.rather.long.metric.name.to.fill.the.answer.quickly.0000")).isTrue();
        }
    }

    @Test
    void aWindowWithNothingStored_succeedsEmpty_sayingWhatIsHeld() throws Exception {
        SettableClock clock = new SettableClock(T0);
        try (HistoryStore store = HistoryStore.open(HistoryConfig.defaults(dir), clock)) {
            HistoryRequestHandler handler = new HistoryRequestHandler(store);
            CommandOutcome none = request(handler, window(T0.minusSeconds(3600), T0) + "}");
            assertThat(none.succeeded()).isTrue();
            assertThat(none.output().path("metrics").isEmpty()).isTrue();
            assertThat(none.output().path("storedFrom").isNull()).isTrue();

            store.record(Samples.cpu(T0, 1));
            CommandOutcome before = request(handler, window(T0.minus(Duration.ofDays(30)), T0.minus(Duration.ofDays(20))) + "}");
            assertThat(before.succeeded()).isTrue();
            assertThat(before.output().path("metrics").isEmpty()).isTrue();
            assertThat(before.output().path("storedFrom").asText()).isEqualTo(T0.toString());
            CommandOutcome farFuture = request(handler, window(T0, Instant.parse("+100000-01-01T00:00:00Z")) + "}");
            assertThat(farFuture.output().path("metrics").path("cpu.usage")).hasSize(1);
        }
    }

    @Test
    void badParams_failNamingTheProblem() throws Exception {
        try (HistoryStore store = HistoryStore.open(HistoryConfig.defaults(dir), new SettableClock(T0))) {
            HistoryRequestHandler h = new HistoryRequestHandler(store);
            String ok = window(T0.minusSeconds(60), T0);
            assertThat(request(h, "{\"to\":\"" + T0 + "\"}").error()).contains("from is required");
            assertThat(request(h, "{\"from\":\"yesterday\",\"to\":\"" + T0 + "\"}").error()).contains("from is not a date-time");
            assertThat(request(h, "{\"from\":12,\"to\":\"" + T0 + "\"}").error()).contains("from is required");
            assertThat(request(h, window(T0, T0) + "}").error()).contains("must be before to");
            assertThat(request(h, window(T0, T0.minusSeconds(1)) + "}").error()).contains("must be before to");
            assertThat(request(h, ok + ",\"metrics\":[]}").error()).contains("metrics must be a list of 1–256");
            assertThat(request(h, ok + ",\"metrics\":\"cpu.usage\"}").error()).contains("metrics must be a list");
            assertThat(request(h, ok + ",\"metrics\":[\"cpu usage\"]}").error()).contains("'\"cpu usage\"' is not a metric name");
            assertThat(request(h, ok + ",\"metrics\":[7]}").error()).contains("is not a metric name");
            assertThat(request(h, ok + ",\"limit\":5}").error()).contains("unknown param 'limit'");
        }
    }
}
