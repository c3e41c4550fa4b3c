package io.fleetwire.agent.internal.update;

import io.fleetwire.agent.internal.queue.DirectorySync;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The layout packaging/linux/install.sh makes: {@code <prefix>/versions/<version>/fleetwire-agent.jar},
 * {@code <prefix>/current -> versions/<version>} (what the run script starts), the run script in
 * {@code bin/}. A new version is staged beside the others and becomes current with one rename of a
 * symlink, so {@code current} always names a whole version.
 */
public final class InstallLayout {

    public static final String JAR = "fleetwire-agent.jar";

    private final Path prefix;

    private InstallLayout(Path prefix) {
        this.prefix = prefix;
    }

    /** The layout at {@code prefix}; an IllegalArgumentException says why it is not one. */
    public static InstallLayout open(Path prefix) {
        Path p = prefix.toAbsolutePath().normalize();
        if (!Files.isDirectory(p.resolve("versions")) || !Files.isSymbolicLink(p.resolve("current"))) {
            throw new IllegalArgumentException(p + " is not an agent installed with packaging/linux/install.sh"
                    + " (no versions/ directory or no current link)");
        }
        return new InstallLayout(p);
    }

    public Path prefix() {
        return prefix;
    }

    /** The version {@code current} points to, or null when it points elsewhere. */
    public String currentVersion() throws IOException {
        Path target = Files.readSymbolicLink(prefix.resolve("current"));
        return target.getNameCount() == 2 && target.getName(0).toString().equals("versions") ? target.getName(1).toString() : null;
    }

    public Path jar(String version) {
        return prefix.resolve("versions").resolve(version).resolve(JAR);
    }

    /** Copies a checked jar to {@code versions/<version>/} (temp file, fsync, rename), replacing a half-done earlier try. */
    public void stage(Path jar, String version) throws IOException {
        Path target = jar(version);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(JAR + ".staging");
        Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DirectorySync.sync(target.getParent());
        DirectorySync.sync(prefix.resolve("versions"));
    }

    /** Points {@code current} at {@code versions/<version>}: a new symlink renamed over the old one (atomic). */
    public void switchTo(String version) throws IOException {
        if (!Files.isRegularFile(jar(version))) {
            throw new IOException("version " + version + " is not staged in " + jar(version).getParent());
        }
        Path tmp = prefix.resolve(".current." + UUID.randomUUID());
        Files.createSymbolicLink(tmp, Path.of("versions", version));
        try {
            Files.move(tmp, prefix.resolve("current"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        DirectorySync.sync(prefix);
    }
}
