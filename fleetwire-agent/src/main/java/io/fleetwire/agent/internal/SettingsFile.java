package io.fleetwire.agent.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetwire.protocol.JsonTrees;
import io.fleetwire.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The hub's last settings, kept in the state directory so an agent that starts offline behaves as
 * the hub last told it (seed 003: no settings of the agent's own). Written atomically (temp file,
 * rename); a damaged file is ignored.
 */
public final class SettingsFile {

    private static final Logger log = LoggerFactory.getLogger(SettingsFile.class);
    private final Path file;

    public SettingsFile(Path file) {
        this.file = file;
    }

    public Optional<Message.Settings> read() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JsonTrees.parse(Files.readAllBytes(file));
            return Optional.of(io.fleetwire.protocol.MessageCodec.readSettings(n));
        } catch (IOException | RuntimeException e) {
            log.warn("Ignoring unreadable settings file {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    public void write(Message.Settings s) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, JsonTrees.write(io.fleetwire.protocol.MessageCodec.settingsJson(s)));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("Could not keep the hub's settings in {}: {}", file, e.toString());
        }
    }
}
