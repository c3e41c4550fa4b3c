package io.fleetwire.agent.internal.history;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetwire.protocol.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryStoreTest {

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir
    Path dir;

    private HistoryStore open(SettableClock clock) {
        return HistoryStore.open(HistoryConfig.defaults(dir), clock);
    }

    /** What a scan of everything finds: metric → minute → aggregate (parts of a minute merged). */
    static Map<String, TreeMap<Long, Aggregate>> all(HistoryStore store) throws IOException {
        Map<String, TreeMap<Long, Aggregate>> out = new TreeMap<>();
        store.scan(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), name -> true, (m, name, count, min, max, sum) -> {
            out.computeIfAbsent(name, k -> new TreeMap<>()).merge(m, new Aggregate(count, min, max, sum), (a, b) -> {
                a.merge(b);
                return a;
            });
            return true;
        });
        return out;
    }

    static long minute(Instant t) {
        return t.getEpochSecond() / 60;
    }

    @Test
    void samplesOfOneMinute_becomeOneAggregate_withCountMinMaxSum() throws IOException {
        SettableClock clock = new SettableClock(T0);
        try (HistoryStore store = open(clock)) {
            store.record(Samples.cpu(T0, 10));
            store.record(Samples.cpu(T0.plusSeconds(20), 30));
            store.record(Samples.cpu(T0.plusSeconds(59), 20));
            store.flush();
            Aggregate a = all(store).get("cpu.usage").get(minute(T0));
            assertThat(a.count).isEqualTo(3);
            assertThat(a.min).isEqualTo(10);
            assertThat(a.max).isEqualTo(30);
            assertThat(a.sum).isEqualTo(60);
        }
    }

    @Test
    void aSampleIsFlattened_asTheHubNamesItsMetrics() throws IOException {
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        details.putObject("battery").put("level", 80).put("charging", true);
        Message.Sample s = new Message.Sample(T0, Map.of("cpu.usage", 5.0),
                List.of(new Message.Sensor("cpu_temp", "cpu", "CPU", 45.5, 90.0, 100.0)),
                List.of(new Message.Fan("cpu fan", "CPU", 40.0, 1200.0, null, "ok")),
                Map.of("memoryUsage", 61.0), details);
        SettableClock clock = new SettableClock(T0);
        try (HistoryStore store = open(clock)) {
            store.record(s);
            store.flush();
            Map<String, TreeMap<Long, Aggregate>> found = all(store);
            assertThat(found.keySet()).containsExactlyInAnyOrder("cpu.usage", "systemHealth.memoryUsage",
                    "sensor.cpu_temp.temperature", "fan.cpu_fan.rpm", "fan.cpu_fan.speed", "battery.level", "battery.charging");
            assertThat(found.get("sensor.cpu_temp.temperature").firstEntry().getValue().max).isEqualTo(45.5);
            assertThat(found.get("fan.cpu_fan.rpm").firstEntry().getValue().max).isEqualTo(1200);
            assertThat(found.keySet()).isEqualTo(io.fleetwire.protocol.MetricFlattener.flatten(s).keySet());
        }
    }

    @Test
    void aMinuteIsWrittenInOneAppend_whenTheNextBegins_andTheOpenOneIsReadFromMemory() throws IOException {
        SettableClock clock = new SettableClock(T0);
        try (HistoryStore store = open(clock)) {
            store.record(Samples.cpu(T0, 1));
            store.record(Samples.cpu(T0.plusSeconds(30), 2));
            assertThat(store.bytes()).as("nothing written within the minute").isZero();
            store.record(Samples.cpu(T0.plusSeconds(60), 3));
            long afterFirst = store.bytes();
            assertThat(afterFirst).isPositive();
            store.record(Samples.cpu(T0.plusSeconds(90), 4));
            assertThat(store.bytes()).isEqualTo(afterFirst);
            TreeMap<Long, Aggregate> cpu = all(store).get("cpu.usage");
            assertThat(cpu).hasSize(2);
            assertThat(cpu.get(minute(T0)).count).isEqualTo(2);
            assertThat(cpu.get(minute(T0) + 1).sum).as("the open minute, from memory").isEqualTo(7);
        }
    }

    @Test
    void minutesAcrossMidnight_goToTwoDayFiles_andBothAreRead() throws IOException {
        Instant late = Instant.parse("2026-11-22T23:59:30Z");
        SettableClock clock = new SettableClock(late);
        try (HistoryStore store = open(clock)) {
            store.record(Samples.cpu(late, 1));
            clock.advance(Duration.ofMinutes(1));
            store.record(Samples.cpu(late.plusSeconds(60), 2));
            store.flush();
            assertThat(Files.exists(dir.resolve("2026-11-22.fwh"))).isTrue();
            assertThat(Files.exists(dir.resolve("2026-11-23.fwh"))).isTrue();
            assertThat(all(store).get("cpu.usage")).hasSize(2);
        }
    }

    @Test
    void afterARestart_oldFilesAreRead_andNewMinutesAddNamesConsistently() throws IOException {
        SettableClock clock = new SettableClock(T0);
        try (HistoryStore store = open(clock)) {
            store.record(Samples.cpu(T0, 10));
        }
        try (HistoryStore store = open(clock)) {
            store.record(Samples.metrics(T0.plusSeconds(60), Map.of("memory.used_percent", 50.0, "cpu.usage", 20.0)));
            store.flush();
        }
        try (HistoryStore store = open(clock)) {
            Map<String, TreeMap<Long, Aggregate>> found = all(store);
            assertThat(found.get("cpu.usage").get(minute(T0)).sum).isEqualTo(10);
            assertThat(found.get("cpu.usage").get(minute(T0) + 1).sum).isEqualTo(20);
            assertThat(found.get("memory.used_percent").get(minute(T0) + 1).sum).isEqualTo(50);
            assertThat(store.oldest()).contains(T0);
        }
    }

    @Test
    void dayFilesOlderThanTheMaxAge_areDeleted_atStartAndAsTimeGoesOn() throws IOException {
        SettableClock clock = new SettableClock(T0);
        try (HistoryStore store = open(clock)) {
            for (int day = 0; day < 3; day++) {
                clock.set(T0.plus(Duration.ofDays(day)));
                store.record(Samples.cpu(clock.instant(), day));
                store.flush();
            }
        }
        assertThat(dayFiles()).containsExactly("2026-11-22.fwh", "2026-11-23.fwh", "2026-11-24.fwh");
        // 8 days after the first day ended: it goes at open.
        clock.set(Instant.parse("2026-11-23T00:00:00Z").plus(Duration.ofDays(7)).plusSeconds(1));
        try (HistoryStore store = open(clock)) {
            assertThat(dayFiles()).containsExactly("2026-11-23.fwh", "2026-11-24.fwh");
            clock.advance(Duration.ofDays(1));
            store.record(Samples.cpu(clock.instant(), 9));
            store.flush();
            assertThat(dayFiles()).containsExactly("2026-11-24.fwh", clock.instant().toString().substring(0, 10) + ".fwh");
            assertThat(all(store).get("cpu.usage")).hasSize(2);
        }
    }

    @Test
    void aMinuteLeftOpenLongerThanTheMaxAge_isNotWritten_andTheNextDayIsWholeAndReadable() throws IOException {
        SettableClock clock = new SettableClock(T0);
        try (HistoryStore store = open(clock)) {
            store.record(Samples.cpu(T0.minus(Duration.ofDays(6)), 1));
            store.flush();
            store.record(Samples.cpu(T0, 2)); // then the device sleeps for 8 days
            clock.advance(Duration.ofDays(8));
            store.record(Samples.cpu(clock.instant(), 3));
            store.flush();
            assertThat(dayFiles()).containsExactly("2026-11-30.fwh");
            assertThat(all(store).get("cpu.usage")).containsOnlyKeys(minute(clock.instant()));
        }
        try (HistoryStore store = open(clock)) {
            assertThat(all(store).get("cpu.usage").firstEntry().getValue().sum).isEqualTo(3);
        }
    }

    @Test
    void pastTheSizeLimit_theOldestDaysGoFirst_andADayAloneTooBigDropsItsLaterMinutes() throws IOException {
        SettableClock clock = new SettableClock(T0);
        Map<String, Double> many = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            many.put("metric.number_" + i, (double) i);
        }
        HistoryConfig config = HistoryConfig.defaults(dir).withLimits(Duration.ofDays(7), 16 << 10);
        try (HistoryStore store = HistoryStore.open(config, clock)) {
            for (int day = 0; day < 4; day++) {
                for (int m = 0; m < 4; m++) { // ~1.3 KB a minute, plus the names once a day: ~7 KB a day
                    Instant t = T0.plus(Duration.ofDays(day)).plus(Duration.ofMinutes(m));
                    clock.set(t);
                    store.record(Samples.metrics(t, many));
                }
                store.flush();
                assertThat(store.bytes()).isLessThanOrEqualTo(16 << 10);
            }
            assertThat(dayFiles()).containsExactly("2026-11-24.fwh", "2026-11-25.fwh");
            assertThat(store.droppedMinutes()).isZero();
            // The last day alone: 13 more minutes fill it; what does not fit is dropped and counted.
            for (int m = 4; m < 17; m++) {
                Instant t = T0.plus(Duration.ofDays(3)).plus(Duration.ofMinutes(m));
                clock.set(t);
                store.record(Samples.metrics(t, many));
            }
            store.flush();
            assertThat(dayFiles()).containsExactly("2026-11-25.fwh");
            assertThat(store.bytes()).isLessThanOrEqualTo(16 << 10).isEqualTo(Files.size(dir.resolve("2026-11-25.fwh")));
            assertThat(store.droppedMinutes()).isPositive();
            assertThat(all(store).get("metric.number_7")).hasSize((int) (17 - store.droppedMinutes()));
        }
    }

    @Test
    void aTornOrGarbageTail_isSkippedByReaders_andCutOffBeforeTheNextAppend() throws IOException {
        SettableClock clock = new SettableClock(T0);
        try (HistoryStore store = open(clock)) {
            for (int m = 0; m < 3; m++) {
                store.record(Samples.cpu(T0.plus(Duration.ofMinutes(m)), m));
            }
        }
        Path file = dir.resolve("2026-11-22.fwh");
        long whole = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(whole - 12); // the last minute torn (its max and sum)
        }
        // and garbage after it, long enough to fill the torn record's length
        Files.write(file, new byte[]{-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 1, 2}, StandardOpenOption.APPEND);
        try (HistoryStore store = open(clock)) {
            assertThat(all(store).get("cpu.usage")).containsOnlyKeys(minute(T0), minute(T0) + 1);
            store.record(Samples.cpu(T0.plus(Duration.ofMinutes(5)), 5));
            store.flush();
        }
        try (HistoryStore store = open(clock)) {
            assertThat(all(store).get("cpu.usage")).containsOnlyKeys(minute(T0), minute(T0) + 1, minute(T0) + 5);
        }
    }

    @Test
    void aFileThatIsNotHistory_readsAsEmpty_andIsStartedAgainWhenItsDayIsWritten() throws IOException {
        Files.writeString(dir.resolve("2026-11-22.fwh"), "{\"not\":\"history\"}\n");
        Files.writeString(dir.resolve("notes.txt"), "left alone");
        SettableClock clock = new SettableClock(T0);
        try (HistoryStore store = open(clock)) {
            assertThat(all(store)).isEmpty();
            assertThat(store.oldest()).isEmpty();
            store.record(Samples.cpu(T0, 4));
            store.flush();
            assertThat(all(store).get("cpu.usage").get(minute(T0)).sum).isEqualTo(4);
        }
        assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("left alone");
    }

    @Test
    void samplesOutsideTheKeptSpan_andValuesAFloatCannotHold_areLeftOut() throws IOException {
        SettableClock clock = new SettableClock(T0);
        try (HistoryStore store = open(clock)) {
            store.record(Samples.cpu(T0.minus(Duration.ofDays(8)), 1));
            store.record(Samples.cpu(T0.plus(Duration.ofDays(2)), 2));
            store.record(Samples.metrics(T0, Map.of("huge", 1e300, "cpu.usage", 3.0)));
            store.flush();
            Map<String, TreeMap<Long, Aggregate>> found = all(store);
            assertThat(found).containsOnlyKeys("cpu.usage");
            assertThat(found.get("cpu.usage")).containsOnlyKeys(minute(T0));
            assertThat(dayFiles()).containsExactly("2026-11-22.fwh");
        }
    }

    @Test
    void anUnwritableDirectory_isAClearErrorAtOpen() throws IOException {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HistoryStore.open(HistoryConfig.defaults(file.resolve("history")),
                new SettableClock(T0))).isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot keep telemetry history");
    }

    private List<String> dayFiles() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".fwh")).sorted().toList();
        }
    }
}
