package io.fleetwire.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.IntConsumer;

/**
 * The simulated devices' identities: created through the hub's admin REST API ({@code POST /api/v1/devices},
 * which answers each device's id and token once) and kept in a <b>state file</b>, so a later run reuses them
 * instead of creating more.
 *
 * <p>State file (JSON, written owner-only through a temporary file, since it holds tokens):
 * {@code {"version":1,"hub":"http://…","prefix":"sim-1a2b3c","devices":[{"id":…,"name":…,"token":…},…]}}.
 * Devices are named {@code <prefix>-<n>} (n from 1), hostnames the same, with the label
 * {@code fleetwire.sim=<prefix>} so a job can target them all; the prefix is random per state file, so
 * several simulator processes with their own state files never collide on names.
 */
public final class SimDevices {

    /** Requests in flight while creating devices. */
    private static final int CONCURRENCY = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SimDevices() {
    }

    /** Setting up the devices failed: the message says why, in words for the user. */
    public static final class SetupException extends RuntimeException {
        public SetupException(String message) {
            super(message);
        }

        public SetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The first {@code count} devices of {@code stateFile}, creating (and appending) as many as are missing.
     * With devices in the file and an admin token, the first one is checked on the hub first (so a state file
     * of another hub or database fails here, not as {@code count} refused sockets).
     *
     * @param adminToken the hub's admin token; may be null when the file already holds {@code count} devices
     * @param progress   told the number created so far (from the calling thread or an HTTP client thread)
     * @throws SetupException with a message for the user: bad file, no token, hub unreachable or refusing
     */
    public static List<SimDevice> createOrLoad(URI hub, String adminToken, int count, Path stateFile, IntConsumer progress) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        State state = Files.exists(stateFile) ? read(stateFile) : new State(hub.toString(), newPrefix(), new ArrayList<>());
        if (!state.devices.isEmpty() && adminToken != null) {
            checkKnown(hub, adminToken, state.devices.getFirst(), stateFile);
        }
        if (state.devices.size() >= count) {
            return List.copyOf(state.devices.subList(0, count));
        }
        if (adminToken == null || adminToken.isBlank()) {
            throw new SetupException(stateFile + " holds " + state.devices.size() + " devices and " + count
                    + " are needed: creating the others needs the hub's admin token (--admin-token or FLEETWIRE_ADMIN_TOKEN;"
                    + " the hub printed it on its first start, and its data directory keeps only the token's SHA-256)");
        }
        try {
            create(hub, adminToken, state, count, progress);
        } finally {
            if (!state.devices.isEmpty()) {
                write(stateFile, state);
            }
        }
        return List.copyOf(state.devices.subList(0, count));
    }

    /** The devices of a state file. */
    public static List<SimDevice> load(Path stateFile) {
        return List.copyOf(read(stateFile).devices);
    }

    private record State(String hub, String prefix, List<SimDevice> devices) {
    }

    private static String newPrefix() {
        byte[] b = new byte[3];
        new java.security.SecureRandom().nextBytes(b);
        return "sim-" + HexFormat.of().formatHex(b);
    }

    private static void create(URI hub, String token, State state, int count, IntConsumer progress) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        Semaphore slots = new Semaphore(CONCURRENCY);
        List<CompletableFuture<SimDevice>> pending = new ArrayList<>();
        int first = state.devices.size() + 1;
        try {
            for (int n = first; n <= count; n++) {
                slots.acquire();
                String name = state.prefix + "-" + n;
                ObjectNode body = JSON.createObjectNode().put("name", name).put("hostname", name);
                body.putObject("labels").put("fleetwire.sim", state.prefix);
                HttpRequest request = HttpRequest.newBuilder(api(hub, "/api/v1/devices"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
                CompletableFuture<SimDevice> f = client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .thenApply(r -> created(name, r))
                        .whenComplete((d, e) -> slots.release());
                pending.add(f);
                if (f.isCompletedExceptionally()) {
                    break;
                }
                collect(pending, state, progress, false);
            }
            collect(pending, state, progress, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SetupException("interrupted while creating devices", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c ? c.getCause() : e.getCause();
            if (cause instanceof SetupException s) {
                throw s;
            }
            throw new SetupException("cannot reach the hub at " + hub + ": " + cause, cause);
        }
    }

    /** Moves finished creations, in order, into the state (only a prefix of finished ones, to keep names in order). */
    private static void collect(List<CompletableFuture<SimDevice>> pending, State state, IntConsumer progress, boolean all)
            throws InterruptedException, ExecutionException {
        while (!pending.isEmpty() && (all || pending.getFirst().isDone())) {
            state.devices.add(pending.removeFirst().get());
            progress.accept(state.devices.size());
        }
    }

    private static SimDevice created(String name, HttpResponse<String> r) {
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            body = JSON.createObjectNode();
        }
        if (r.statusCode() == 201 && body.path("id").isTextual() && body.path("token").isTextual()) {
            return new SimDevice(body.get("id").asText(), name, body.get("token").asText());
        }
        String why = body.path("error").path("message").asText(r.body());
        throw new SetupException(switch (r.statusCode()) {
            case 401 -> "the hub refused the admin token (401): pass the token the hub printed on its first start";
            case 409 -> "a device named " + name + " already exists on the hub (409); use another --state file";
            default -> "creating device " + name + " failed: HTTP " + r.statusCode() + " " + why;
        });
    }

    private static void checkKnown(URI hub, String token, SimDevice device, Path stateFile) {
        HttpRequest request = HttpRequest.newBuilder(api(hub, "/api/v1/devices/" + device.id()))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).GET().build();
        int status;
        try {
            status = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new SetupException("cannot reach the hub at " + hub + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SetupException("interrupted", e);
        }
        if (status == 404) {
            throw new SetupException("device " + device.name() + " of " + stateFile + " does not exist on " + hub
                    + " (another hub or database?): delete the file, or pass another --state file");
        }
        if (status == 401) {
            throw new SetupException("the hub refused the admin token (401): pass the token the hub printed on its first start");
        }
        if (status != 200) {
            throw new SetupException("checking device " + device.id() + " on the hub failed: HTTP " + status);
        }
    }

    private static URI api(URI hub, String path) {
        String s = hub.toString().replaceAll("/+$", "");
        String scheme = hub.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("ws") || scheme.equals("wss")) {
            s = "http" + s.substring(2);
        }
        return URI.create(s + path);
    }

    private static State read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new SetupException("cannot read the state file " + file + ": " + e.getMessage(), e);
        }
        if (root == null || root.path("version").asInt() != 1 || !root.path("prefix").isTextual() || !root.path("devices").isArray()) {
            throw new SetupException(file + " is not a simulator state file (expected {\"version\":1,\"prefix\":…,\"devices\":[…]})");
        }
        List<SimDevice> devices = new ArrayList<>();
        for (JsonNode d : root.get("devices")) {
            if (!d.path("id").isTextual() || !d.path("name").isTextual() || !d.path("token").isTextual()) {
                throw new SetupException(file + ": device entry " + (devices.size() + 1) + " lacks id, name or token");
            }
            try {
                devices.add(new SimDevice(d.get("id").asText(), d.get("name").asText(), d.get("token").asText()));
            } catch (IllegalArgumentException e) {
                throw new SetupException(file + ": device entry " + (devices.size() + 1) + ": " + e.getMessage());
            }
        }
        return new State(root.path("hub").asText(""), root.get("prefix").asText(), devices);
    }

    private static void write(Path file, State state) {
        ObjectNode root = JSON.createObjectNode().put("version", 1).put("hub", state.hub).put("prefix", state.prefix);
        ArrayNode list = root.putArray("devices");
        for (SimDevice d : state.devices) {
            list.addObject().put("id", d.id()).put("name", d.name()).put("token", d.token());
        }
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".fleetwire-sim", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.writeString(tmp, root.toString() + "\n");
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new SetupException("cannot write the state file " + file + ": " + e.getMessage(), e);
        }
    }
}
