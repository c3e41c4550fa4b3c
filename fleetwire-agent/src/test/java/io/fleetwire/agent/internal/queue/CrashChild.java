package io.fleetwire.agent.internal.queue;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The process {@link DiskQueueCrashTest} kills: opens the queue in {@code args[0]}, acknowledges the
 * older half of what earlier rounds left (so the watermark moves and segments are deleted), then
 * appends from four threads until killed. Prints {@code W <seq> ok} after each append returned and
 * {@code A <seq> ok} after each ack, flushed, so the test knows what was promised.
 */
public final class CrashChild {

    static final DiskQueueConfig CONFIG_TEMPLATE = DiskQueueConfig.defaults(Path.of("."))
            .withSegmentBytes(64 << 10).withWatermarkInterval(Duration.ofMillis(20));

    private static final PrintStream OUT = System.out;

    private CrashChild() {
    }

    static DiskQueueConfig config(Path dir) {
        return new DiskQueueConfig(dir, CONFIG_TEMPLATE.segmentBytes(), CONFIG_TEMPLATE.budgetBytes(),
                CONFIG_TEMPLATE.syncInterval(), CONFIG_TEMPLATE.watermarkInterval());
    }

    public static void main(String[] args) throws Exception {
        DiskQueue queue = DiskQueue.open(config(Path.of(args[0]))); // never closed: killed
        List<Entry> left = queue.pending(0, Integer.MAX_VALUE);
        for (Entry e : left.subList(0, left.size() / 2)) {
            queue.ack(e.seq());
            say("A " + e.seq() + " ok");
        }
        for (int t = 0; t < 4; t++) {
            Kind kind = t == 0 ? Kind.RELIABLE : Kind.TELEMETRY;
            Thread.ofPlatform().start(() -> {
                while (true) {
                    long seq = queue.append(kind, s -> Payloads.of(s));
                    say("W " + seq + " ok");
                    if (seq % 3 == 0) {
                        queue.ack(seq);
                        say("A " + seq + " ok");
                    }
                }
            });
        }
    }

    private static void say(String line) {
        synchronized (OUT) {
            OUT.println(line);
            OUT.flush();
        }
    }
}
