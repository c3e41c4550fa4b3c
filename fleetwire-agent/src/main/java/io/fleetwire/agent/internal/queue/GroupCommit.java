package io.fleetwire.agent.internal.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes appends durable with as few fsyncs as possible (leader/follower group commit). An appender
 * calls {@link #begin} before it writes and {@link #await} after; in {@code await}, the first thread
 * that finds no fsync running becomes the leader: it waits up to the linger time while other
 * appenders are still writing (never when it is alone), then runs the flush, which covers every
 * record written so far. Everyone whose record is covered returns; the others elect the next leader.
 * So N concurrent appenders share about one fsync, and an appender alone pays one fsync and no wait.
 *
 * <p>A failed flush fails this commit for good: after an fsync error the kernel may have dropped the
 * dirty pages, so nothing written since the last good fsync can be promised. Reopening the queue
 * reads back what really is on disk.
 *
 * <p>Threading: any thread; one internal lock, never held while flushing. Waits ignore interrupts
 * (they last one fsync) and keep the thread's interrupt status.
 */
final class GroupCommit {

    /** Makes every record written so far durable; returns the highest seq that covers. */
    interface Flush {
        long flush() throws IOException;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Flush flush;
    private final long lingerNanos;
    private int writing;
    private boolean flushing;
    private volatile long durable;
    private IOException failure;
    private long flushes;

    GroupCommit(Flush flush, long lingerNanos, long durable) {
        this.flush = flush;
        this.lingerNanos = lingerNanos;
        this.durable = durable;
    }

    /** An appender is about to write. */
    void begin() {
        lock.lock();
        try {
            writing++;
        } finally {
            lock.unlock();
        }
    }

    /** An appender that called {@link #begin} wrote nothing after all. */
    void abandon() {
        lock.lock();
        try {
            doneWriting();
        } finally {
            lock.unlock();
        }
    }

    /** An appender wrote {@code seq}; returns once it is durable. */
    void await(long seq) {
        lock.lock();
        try {
            doneWriting();
            while (durable < seq) {
                if (failure != null) {
                    throw new UncheckedIOException("the queue could not sync to disk; reopen it", failure);
                }
                if (flushing) {
                    changed.awaitUninterruptibly();
                } else {
                    lead();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Everything up to {@code seq} is durable by other means (opening, closing). */
    void markDurable(long seq) {
        lock.lock();
        try {
            durable = Math.max(durable, seq);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Fails every waiting and later {@link #await}. */
    void fail(IOException e) {
        lock.lock();
        try {
            if (failure == null) {
                failure = e;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The highest seq known durable: entries above it must not be sent yet. */
    long durable() {
        return durable;
    }

    long flushes() {
        lock.lock();
        try {
            return flushes;
        } finally {
            lock.unlock();
        }
    }

    private void doneWriting() {
        if (--writing == 0) {
            changed.signalAll();
        }
    }

    /** Called holding the lock; returns holding it. */
    private void lead() {
        flushing = true;
        linger();
        lock.unlock();
        long covered = -1;
        IOException error = null;
        try {
            covered = flush.flush();
        } catch (IOException e) {
            error = e;
        } finally {
            lock.lock();
            flushing = false;
            changed.signalAll();
        }
        if (error != null) {
            failure = failure == null ? error : failure;
        } else {
            durable = Math.max(durable, covered);
            flushes++;
        }
    }

    private void linger() {
        long remaining = lingerNanos;
        try {
            while (writing > 0 && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
