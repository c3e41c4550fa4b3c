package io.fleetwire.agent.internal.handlers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fleetwire.agent.CommandOutcome;
import io.fleetwire.agent.CommandRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ssh_access} (seed 004): authorises a public key in a user's {@code ~/.ssh/authorized_keys}
 * for at most 24 hours. Each granted line carries its own expiry in a marker at the end of its
 * comment ({@code fleetwire-grant:<command id>:<expiry epoch seconds>}), so the file itself is the
 * record: {@link #sweep} removes expired grants at start, every minute, and across agent restarts,
 * and never touches lines it did not add. The file is rewritten atomically with mode 600.
 */
public final class SshAccess {

    private static final Logger log = LoggerFactory.getLogger(SshAccess.class);
    private static final Pattern MARKER = Pattern.compile(" fleetwire-grant:([0-9a-f-]{36}):(\\d+)$");

    private final Function<String, Path> homeOf;
    private final Clock clock;

    /** @param homeOf a user name (null: the agent's own user) to that user's home directory */
    public SshAccess(Function<String, Path> homeOf, Clock clock) {
        this.homeOf = homeOf;
        this.clock = clock;
    }

    public static SshAccess system() {
        return new SshAccess(user -> user == null ? Path.of(System.getProperty("user.home"))
                : user.equals("root") ? Path.of("/root") : Path.of("/home", user), Clock.systemUTC());
    }

    public synchronized CommandOutcome grant(CommandRequest r) throws IOException {
        String user = r.params().hasNonNull("user") ? r.params().path("user").asText() : null;
        Path home = homeOf.apply(user);
        if (!Files.isDirectory(home)) {
            return CommandOutcome.failed("no home directory " + home + " for user " + (user == null ? "(agent user)" : user));
        }
        Instant expires = clock.instant().plusSeconds(r.params().path("durationSeconds").asLong());
        String key = r.params().path("publicKey").asText().strip();
        Path file = home.resolve(".ssh/authorized_keys");
        if (Files.isSymbolicLink(file.getParent()) || Files.isSymbolicLink(file)) {
            return CommandOutcome.failed("refusing to write " + file + " through a symbolic link");
        }
        List<String> lines = read(file);
        lines.add(key + " fleetwire-grant:" + r.id() + ":" + expires.getEpochSecond());
        write(file, lines);
        log.info("SSH key granted to {} until {} (command {})", user == null ? "the agent user" : user, expires, r.id());
        return CommandOutcome.succeeded(JsonNodeFactory.instance.objectNode().put("authorizedKeys", file.toString())
                .put("expiresAt", expires.toString()));
    }

    /** Every user this machine has a home for (in /home), plus root and the agent's own user (null). */
    public static List<String> localUsers() {
        List<String> users = new ArrayList<>();
        users.add(null);
        users.add("root");
        try (var s = Files.list(Path.of("/home"))) {
            s.filter(Files::isDirectory).forEach(p -> users.add(p.getFileName().toString()));
        } catch (IOException e) {
            // no /home: only root and the agent user
        }
        return users;
    }

    /** Removes every expired grant from the given users' files; returns how many went. */
    public synchronized int sweep(List<String> users) {
        int removed = 0;
        for (String user : users) {
            Path file = homeOf.apply(user).resolve(".ssh/authorized_keys");
            if (!Files.exists(file)) {
                continue;
            }
            try {
                List<String> lines = read(file);
                List<String> kept = new ArrayList<>();
                for (String line : lines) {
                    Matcher m = MARKER.matcher(line);
                    if (m.find() && expired(m.group(2))) {
                        removed++;
                        log.info("SSH grant {} expired; key removed from {}", m.group(1), file);
                    } else {
                        kept.add(line);
                    }
                }
                if (kept.size() != lines.size()) {
                    write(file, kept);
                }
            } catch (IOException e) {
                log.warn("Could not sweep SSH grants in {}: {}", file, e.toString());
            }
        }
        return removed;
    }

    /** True when the marker's expiry has passed, or cannot be read (someone edited it: the grant goes). */
    private boolean expired(String epochSeconds) {
        try {
            return Long.parseLong(epochSeconds) <= clock.instant().getEpochSecond();
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static List<String> read(Path file) throws IOException {
        return Files.exists(file) ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8)) : new ArrayList<>();
    }

    /**
     * Rewrites the file through a fresh temp file created owner-only (never a fixed name a local user
     * could point elsewhere), refusing a {@code .ssh} or {@code authorized_keys} that is a symlink.
     */
    private static void write(Path file, List<String> lines) throws IOException {
        Path dir = file.getParent();
        if (Files.isSymbolicLink(dir) || Files.isSymbolicLink(file)) {
            throw new IOException("refusing to write through a symbolic link: " + (Files.isSymbolicLink(dir) ? dir : file));
        }
        Files.createDirectories(dir);
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "authorized_keys.", ".fleetwire",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            tmp = Files.createTempFile(dir, "authorized_keys.", ".fleetwire");
        }
        try {
            Files.write(tmp, lines, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
