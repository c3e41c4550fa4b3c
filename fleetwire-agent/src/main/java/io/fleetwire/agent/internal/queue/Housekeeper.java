package io.fleetwire.agent.internal.queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Does the queue's disk work that acks cause, off the acking thread: writes the acknowledged
 * watermark, then deletes the segments that hold nothing live. Runs on its own platform thread when
 * {@link #request requested}, at most once per interval, so a burst of acks costs one watermark
 * write. A failed write or delete is logged and retried on the next round.
 *
 * <p>Threading: {@link #request} from any thread, also under the queue's lock (it only takes this
 * class's own lock, which is never held while calling the queue). {@link #tidy} runs on the
 * housekeeper thread, or synchronously before {@link #start} and after {@link #close}.
 */
final class Housekeeper implements AutoCloseable {

    /** What a round should do, taken from the queue under its lock. */
    record Plan(long watermark, List<Path> deletable) {
    }

    private static final Logger log = LoggerFactory.getLogger(Housekeeper.class);

    private final WatermarkFile watermarkFile;
    private final long intervalNanos;
    private final Supplier<Plan> planner;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Path> undeleted = new ArrayList<>(); // tidy's only
    private boolean wanted;
    private boolean closed;
    private Thread thread;

    Housekeeper(WatermarkFile watermarkFile, Duration interval, Supplier<Plan> planner) {
        this.watermarkFile = watermarkFile;
        this.intervalNanos = interval.toNanos();
        this.planner = planner;
    }

    void start() {
        thread = Thread.ofPlatform().name("fleetwire-queue-housekeeper").daemon().start(this::run);
    }

    /** Something was acknowledged or dropped: a round is wanted. */
    void request() {
        lock.lock();
        try {
            wanted = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Files to delete that the queue found without being asked (empty segments on opening). */
    synchronized void delete(List<Path> files) {
        undeleted.addAll(files);
    }

    /** One round, now, on the calling thread. */
    synchronized void tidy() {
        Plan plan = planner.get();
        undeleted.addAll(plan.deletable());
        try {
            watermarkFile.persist(plan.watermark());
        } catch (IOException e) {
            log.warn("cannot write the acknowledged watermark (will retry): {}", e.toString());
            request();
        }
        for (var it = undeleted.iterator(); it.hasNext(); ) {
            Path path = it.next();
            try {
                Files.deleteIfExists(path);
                it.remove();
            } catch (IOException e) {
                log.warn("cannot delete the segment {} (will retry): {}", path, e.toString());
                request();
            }
        }
    }

    /** Stops the thread after its current round, then runs a last round. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (thread != null && thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        tidy();
    }

    private void run() {
        while (awaitRequest()) {
            tidy();
            pause();
        }
    }

    private boolean awaitRequest() {
        lock.lock();
        try {
            while (!closed && !wanted) {
                changed.awaitUninterruptibly();
            }
            wanted = false;
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    /** Waits out the interval (requests meanwhile wait for the next round), or until closed. */
    private void pause() {
        lock.lock();
        try {
            long deadline = System.nanoTime() + intervalNanos;
            for (long left = intervalNanos; !closed && left > 0; left = deadline - System.nanoTime()) {
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }
}
