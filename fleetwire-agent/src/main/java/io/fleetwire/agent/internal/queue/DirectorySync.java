package io.fleetwire.agent.internal.queue;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * fsync of a directory, so that a file created, renamed or removed in it stays so after a power
 * loss. Windows cannot open a directory for this (and NTFS journals names), so it is skipped there.
 * A FileChannel is closed by an interrupt; the interrupt status is set aside during the call and the
 * sync retried if an interrupt arrives in the middle, so an interrupted appender cannot fail it.
 */
public final class DirectorySync {

    private static final boolean SUPPORTED = !System.getProperty("os.name", "").startsWith("Windows");

    private DirectorySync() {
    }

    public static void sync(Path directory) throws IOException {
        if (!SUPPORTED) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            for (int attempt = 1; ; attempt++) {
                try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                    dir.force(true);
                    return;
                } catch (ClosedByInterruptException e) {
                    interrupted |= Thread.interrupted();
                    if (attempt == 3) {
                        throw e;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
