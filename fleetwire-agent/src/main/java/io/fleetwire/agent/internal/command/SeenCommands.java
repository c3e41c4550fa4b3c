package io.fleetwire.agent.internal.command;

import io.fleetwire.protocol.CommandId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The command ids this device has started, kept on disk so that a command delivered twice (a resend
 * after a lost ack, the socket and polling both fetching it, an agent restart in between) runs at
 * most once. {@link #claim} records an id durably (fsync) before it returns true, so a crash after a
 * command started can never let it start again. An id is remembered until a day after its command's
 * expiry, when the hub will no longer send it; the file is compacted when it holds four times as
 * many lines as live ids. Lines: {@code <uuid> <expiresAt epoch millis>} when a command starts,
 * {@code <uuid> done} when its outcome is safe; ids without {@code done} are {@link #unfinished}. A
 * torn last line (a crash mid-write) is cut off when the journal opens. Thread-safe (synchronized).
 */
public final class SeenCommands implements AutoCloseable {

    static final Duration KEEP_AFTER_EXPIRY = Duration.ofDays(1);

    private final Path file;
    private final Clock clock;
    private final Map<CommandId, Instant> seen = new HashMap<>();
    /** Claimed ids without a {@code done} line: started, and not known to have finished. */
    private final java.util.Set<CommandId> unfinished = new java.util.LinkedHashSet<>();
    private FileChannel out;
    private int lines;

    public SeenCommands(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (Files.exists(file)) {
                dropTornTail();
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    lines++;
                    parse(line);
                }
            }
            prune();
            out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            if (lines > 4 * Math.max(16, seen.size())) {
                compact();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the command journal " + file, e);
        }
    }

    private void parse(String line) {
        String[] parts = line.trim().split(" ");
        if (parts.length != 2) {
            return;
        }
        try {
            CommandId id = CommandId.parse(parts[0]);
            if (parts[1].equals("done")) {
                unfinished.remove(id);
            } else {
                seen.put(id, Instant.ofEpochMilli(Long.parseLong(parts[1])));
                unfinished.add(id);
            }
        } catch (IllegalArgumentException e) {
            // a damaged line: that id was never claimed (claim fsyncs before it answers)
        }
    }

    /** A crash mid-write leaves a last line without its newline: cut it, so the next line starts clean. */
    private void dropTornTail() throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = c.size();
            long keep = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (keep > 0) {
                one.clear();
                c.read(one, keep - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                keep--;
            }
            if (keep < size) {
                c.truncate(keep);
                c.force(true);
            }
        }
    }

    /** The command finished and its outcome is safe elsewhere (or there was none to report). */
    public synchronized void done(CommandId id) {
        if (!unfinished.remove(id)) {
            return;
        }
        try {
            out.write(ByteBuffer.wrap((id + " done\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record command " + id + " as done in " + file, e);
        }
        lines++;
    }

    /** Ids claimed by any run of the agent that never got a {@code done}. */
    public synchronized java.util.List<CommandId> unfinished() {
        return java.util.List.copyOf(unfinished);
    }

    /** True, once, for the first claim of an id: the caller may run the command. False for every repeat. */
    public synchronized boolean claim(CommandId id, Instant expiresAt) {
        if (seen.containsKey(id)) {
            return false;
        }
        try {
            out.write(ByteBuffer.wrap((id + " " + expiresAt.toEpochMilli() + "\n").getBytes(StandardCharsets.UTF_8)));
            out.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record command " + id + " in " + file, e);
        }
        seen.put(id, expiresAt);
        unfinished.add(id);
        lines++;
        if (lines > 4 * Math.max(16, seen.size())) {
            prune();
            compact();
        }
        return true;
    }

    public synchronized boolean contains(CommandId id) {
        return seen.containsKey(id);
    }

    public synchronized int size() {
        return seen.size();
    }

    private void prune() {
        Instant cutoff = clock.instant().minus(KEEP_AFTER_EXPIRY);
        seen.values().removeIf(expires -> expires.isBefore(cutoff));
        unfinished.retainAll(seen.keySet());
    }

    /** Rewrites the journal with the live ids only: temp file, fsync, atomic rename. */
    private void compact() {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        StringBuilder text = new StringBuilder();
        seen.forEach((id, expires) -> {
            text.append(id).append(' ').append(expires.toEpochMilli()).append('\n');
            if (!unfinished.contains(id)) {
                text.append(id).append(" done\n");
            }
        });
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            c.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            c.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compact " + file, e);
        }
        try {
            if (out != null) {
                out.close();
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            lines = seen.size() * 2;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compact " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
