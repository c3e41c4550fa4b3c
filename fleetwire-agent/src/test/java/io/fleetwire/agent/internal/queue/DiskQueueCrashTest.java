package io.fleetwire.agent.internal.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crash test: a child JVM appends from four threads and is killed with SIGKILL mid-flight;
 * everything whose append had returned must be read back intact. Three rounds on one directory,
 * the child acknowledging entries each round.
 */
class DiskQueueCrashTest {

    private static final Pattern LINE = Pattern.compile("([WA]) (\\d+) ok");

    /** What one child printed before it died. */
    private record Promises(List<Long> written, Set<Long> acked) {
    }

    @Test
    void killedWhileAppending_everyEntryWhoseAppendReturnedIsThereIntact(@TempDir Path dir) throws Exception {
        Set<Long> written = new HashSet<>();
        Set<Long> acked = new HashSet<>();
        long highestPromised = 0;
        for (int round = 1; round <= 3; round++) {
            Promises p = runAndKill(dir, 400 * round);
            assertThat(p.written()).as("round %d wrote before it was killed", round).isNotEmpty();
            assertThat(Collections.min(p.written())).as("seqs keep increasing across crashes")
                    .isGreaterThan(highestPromised);
            written.addAll(p.written());
            acked.addAll(p.acked());
            highestPromised = Math.max(highestPromised, Collections.max(p.written()));

            try (DiskQueue q = DiskQueue.open(CrashChild.config(dir))) {
                List<Entry> pending = q.pending(0, Integer.MAX_VALUE);
                List<Long> seqs = pending.stream().map(Entry::seq).toList();
                assertThat(seqs).as("in order").isSorted().doesNotHaveDuplicates();
                Set<Long> present = new HashSet<>(seqs);
                List<Long> missing = written.stream().filter(s -> !acked.contains(s) && !present.contains(s)).toList();
                assertThat(missing).as("appended, never acked, and gone after round %d", round).isEmpty();
                for (Entry e : pending) {
                    assertThat(e.payload()).as("payload of %d", e.seq()).isEqualTo(Payloads.of(e.seq()));
                }
                Stats stats = q.stats();
                assertThat(stats.lastSeq()).isGreaterThanOrEqualTo(highestPromised);
                assertThat(stats.corruptRecordsSkipped()).isZero();
                System.out.printf("round %d: %d promised, %d acked, %d pending, watermark %d, %d segments%n", round,
                        p.written().size(), p.acked().size(), pending.size(), stats.watermark(), stats.segments());
            }
        }
    }

    private static Promises runAndKill(Path dir, int appendsBeforeKill) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<Long> written = Collections.synchronizedList(new ArrayList<>());
        Set<Long> acked = Collections.synchronizedSet(new HashSet<>());
        AtomicInteger writes = new AtomicInteger();
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    Matcher m = LINE.matcher(line);
                    if (!m.matches()) {
                        continue; // a log line, or a line the kill cut short (no "ok")
                    }
                    long seq = Long.parseLong(m.group(2));
                    if (m.group(1).equals("W")) {
                        written.add(seq);
                        writes.incrementAndGet();
                    } else {
                        acked.add(seq);
                    }
                }
            } catch (java.io.IOException e) {
                // the pipe closed with the child
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (writes.get() < appendsBeforeKill && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(child.isAlive()).as("the child is still appending when killed").isTrue();
        child.destroyForcibly();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        reader.join(TimeUnit.SECONDS.toMillis(10));
        synchronized (written) {
            return new Promises(List.copyOf(written), Set.copyOf(acked));
        }
    }
}
