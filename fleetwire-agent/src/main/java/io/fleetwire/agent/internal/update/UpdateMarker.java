package io.fleetwire.agent.internal.update;

import io.fleetwire.agent.internal.queue.DirectorySync;
import io.fleetwire.protocol.CommandId;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code <prefix>/update-pending}: a software_update between the swap of {@code current} and the
 * report of its result, shared by the agent and the run script (packaging/linux/fleetwire-agent.sh),
 * one {@code key=value} a line: {@code command}, {@code from}, {@code to}, {@code attempts} (starts
 * of {@code to} counted by the run script), {@code rolledBack} (why the run script switched back).
 * Written through a temp file, fsync and rename, so it is whole or absent.
 *
 * @param rolledBack null unless the run script switched {@code current} back to {@code from}
 */
public record UpdateMarker(CommandId command, String from, String to, int attempts, String rolledBack) {

    public static final String FILE = "update-pending";

    /** The marker in {@code prefix}, if there is one; a damaged one is an IOException naming what is wrong. */
    public static Optional<UpdateMarker> read(Path prefix) throws IOException {
        Path file = prefix.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Map<String, String> v = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                v.putIfAbsent(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        try {
            String from = v.get("from");
            String to = v.get("to");
            if (from == null || to == null) {
                throw new IllegalArgumentException("no from= or to=");
            }
            int attempts = v.containsKey("attempts") && v.get("attempts").matches("\\d{1,9}") ? Integer.parseInt(v.get("attempts")) : 0;
            String rolledBack = v.getOrDefault("rolledBack", "");
            return Optional.of(new UpdateMarker(CommandId.parse(v.get("command")), from, to, attempts,
                    rolledBack.isEmpty() ? null : rolledBack));
        } catch (RuntimeException e) {
            throw new IOException("damaged update marker " + file + ": " + e.getMessage(), e);
        }
    }

    public void write(Path prefix) throws IOException {
        String text = "command=" + command + "\nfrom=" + from + "\nto=" + to + "\nattempts=" + attempts + "\n"
                + (rolledBack == null ? "" : "rolledBack=" + rolledBack + "\n");
        Path tmp = prefix.resolve("." + FILE + ".tmp");
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            c.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            c.force(true);
        }
        Files.move(tmp, prefix.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DirectorySync.sync(prefix);
    }

    public static void delete(Path prefix) throws IOException {
        Files.deleteIfExists(prefix.resolve(FILE));
        DirectorySync.sync(prefix);
    }
}
