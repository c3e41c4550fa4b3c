package io.fleetwire.agent.internal.enroll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetwire.agent.internal.connection.HubHttp;
import io.fleetwire.agent.internal.telemetry.Hwmon;
import io.fleetwire.protocol.JsonTrees;
import io.fleetwire.protocol.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

/**
 * Seed 003's registration: the agent presents an enrollment token with this machine's hostname,
 * OS and discovered sensors and fans ({@code POST /api/v1/register}) and keeps the device token it
 * gets back in the state directory ({@code device-token}, owner-only), so later starts need
 * nothing but the state directory. Registering the same hostname again with the same enrollment
 * token finds the same device (the hub's rule).
 */
public final class Enrollment {

    static final String TOKEN_FILE = "device-token";
    static final String AGENT_ID_FILE = "agent-id";
    /** Left by packaging/linux/install.sh --enroll for the first start; removed once enrolled. */
    static final String ENROLLMENT_TOKEN_FILE = "enrollment-token";

    private Enrollment() {
    }

    /** The device token kept from an earlier enrollment, if any. */
    public static Optional<String> storedToken(Path stateDir) {
        Path f = stateDir.resolve(TOKEN_FILE);
        try {
            return Files.exists(f) ? Optional.of(Files.readString(f).strip()).filter(s -> !s.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }

    /** The enrollment token that install.sh left for the first start, if any. */
    public static Optional<String> storedEnrollmentToken(Path stateDir) {
        Path f = stateDir.resolve(ENROLLMENT_TOKEN_FILE);
        try {
            return Files.exists(f) ? Optional.of(Files.readString(f).strip()).filter(s -> !s.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }

    /** Registers this machine and keeps its device token; throws {@link EnrollmentException} saying why not. */
    public static String enroll(URI hubHttp, String enrollmentToken, Path stateDir, Hwmon hwmon, Collection<String> commands) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("hostname", hostname());
        body.put("agentId", agentId(stateDir));
        body.putObject("os").put("name", System.getProperty("os.name")).put("version", System.getProperty("os.version"))
                .put("arch", System.getProperty("os.arch"));
        ArrayNode sensors = body.putArray("sensors");
        for (Message.Sensor s : hwmon.sensors()) {
            ObjectNode o = sensors.addObject().put("id", s.id());
            putIf(o, "type", s.type());
            putIf(o, "name", s.name());
            if (s.maxTemp() != null) {
                o.put("maxTemp", s.maxTemp());
            }
            if (s.critTemp() != null) {
                o.put("critTemp", s.critTemp());
            }
        }
        ArrayNode fans = body.putArray("fans");
        for (Message.Fan f : hwmon.fans()) {
            putIf(fans.addObject().put("id", f.id()), "name", f.name());
        }
        ArrayNode cmds = body.putArray("commands");
        commands.forEach(cmds::add);
        HubHttp.Response r;
        try {
            r = new HubHttp(enrollmentToken, Duration.ofSeconds(10), Duration.ofSeconds(30))
                    .post(hubHttp.resolve("/api/v1/register"), JsonTrees.write(body));
        } catch (IOException e) {
            throw new EnrollmentException("cannot reach the hub at " + hubHttp + ": " + e.getMessage());
        }
        JsonNode answer;
        try {
            answer = JsonTrees.parse(r.body());
        } catch (IOException e) {
            answer = JsonNodeFactory.instance.objectNode();
        }
        if (r.status() != 200 && r.status() != 201) {
            throw new EnrollmentException("the hub refused the enrollment (" + r.status() + "): "
                    + answer.path("error").path("message").asText(r.body()));
        }
        String token = answer.path("token").asText("");
        if (token.isEmpty()) {
            throw new EnrollmentException("the hub's answer carries no device token");
        }
        write(stateDir.resolve(TOKEN_FILE), token);
        try {
            Files.deleteIfExists(stateDir.resolve(ENROLLMENT_TOKEN_FILE));
        } catch (IOException e) {
            // harmless: the device token is kept, so the enrollment token is not used again
        }
        return token;
    }

    /** A stable id for this agent installation, made once and kept. */
    static String agentId(Path stateDir) {
        Path f = stateDir.resolve(AGENT_ID_FILE);
        try {
            if (Files.exists(f)) {
                return Files.readString(f).strip();
            }
            String id = UUID.randomUUID().toString();
            write(f, id);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the agent id in " + f, e);
        }
    }

    /** Writes through a temp file that is owner-only from its creation, then renames it into place. */
    private static void write(Path file, String text) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp;
            try {
                tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            }
            Files.writeString(tmp, text + "\n");
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "unknown-host" : env;
        }
    }

    private static void putIf(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    /** Enrollment did not give this machine a device token. */
    public static final class EnrollmentException extends RuntimeException {
        public EnrollmentException(String message) {
            super(message);
        }
    }
}
