package io.fleetwire.agent.internal.update;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fleetwire.agent.CommandHandler;
import io.fleetwire.agent.CommandOutcome;
import io.fleetwire.agent.CommandRequest;
import io.fleetwire.protocol.CommandId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * {@code software_update} on an agent installed with packaging/linux/install.sh (docs/agent.md,
 * "Update and rollback"). The handler downloads the jar into {@code <state dir>/updates}, checks its
 * SHA-256 and that it is the agent of the named version, stages it in {@code versions/<version>},
 * writes the {@link UpdateMarker}, switches {@code current} and asks for a restart. Until then any
 * failure leaves the installed agent as it was. From the moment the marker exists the command
 * belongs to it ({@link #owns}): this run reports nothing for it, and its result comes from the next
 * run — {@code succeeded} from the new version once the hub has welcomed it ({@link #welcomed}), or
 * {@code failed} ("rolled back: …") from the old version when the run script had to switch back.
 */
public final class SoftwareUpdate {

    private static final Logger log = LoggerFactory.getLogger(SoftwareUpdate.class);

    /** The handler of an agent that does not run from an installed layout (e.g. ./fleetwire agent). */
    public static final CommandHandler NOT_INSTALLED = r -> CommandOutcome.failed(
            "not installed with packaging/linux/install.sh; cannot self-update");

    private final InstallLayout layout;
    private final Path downloads;
    private final URI hub;
    private final String token;
    private final String running;
    private final Runnable restart;
    private final BiConsumer<CommandId, CommandOutcome> results;
    private final Consumer<CommandId> done;
    private final UpdateDownload download = new UpdateDownload();
    /** The marker this run holds, if any: its command is reported through it. */
    private final AtomicReference<UpdateMarker> pending = new AtomicReference<>();

    /**
     * @param running the version of this agent
     * @param restart called once the new version is current; must end this agent (its supervisor starts the new one)
     * @param results where outcomes go (reliably)
     * @param done    marks a command finished in the run-once journal, after its result is queued
     */
    public SoftwareUpdate(InstallLayout layout, Path stateDir, URI hubHttp, String token, String running, Runnable restart,
                          BiConsumer<CommandId, CommandOutcome> results, Consumer<CommandId> done) {
        this.layout = layout;
        this.downloads = stateDir.resolve("updates");
        this.hub = hubHttp;
        this.token = token;
        this.running = running;
        this.restart = restart;
        this.results = results;
        this.done = done;
    }

    /** True when the update marker holds this command: its result is not this run's to report. */
    public boolean owns(CommandId id) {
        UpdateMarker m = pending.get();
        return m != null && m.command().equals(id);
    }

    /**
     * At start, before unfinished commands are reported: a marker left by an earlier run is reported
     * now when this agent is not its new version (rolled back, or never switched); the new version's
     * marker waits for {@link #welcomed}.
     */
    public void atStart() {
        Optional<UpdateMarker> found;
        try {
            found = UpdateMarker.read(layout.prefix());
        } catch (IOException e) {
            log.error("{}; removing it", e.getMessage());
            deleteMarker();
            return;
        }
        if (found.isEmpty()) {
            return;
        }
        UpdateMarker m = found.get();
        pending.set(m);
        if (m.rolledBack() != null) {
            report(m, CommandOutcome.failed("rolled back: " + m.rolledBack()));
        } else if (running.equals(m.to())) {
            log.info("Running {} after an update from {} (start {}); confirming once the hub welcomes it", m.to(), m.from(), m.attempts());
        } else if (running.equals(m.from())) {
            report(m, CommandOutcome.failed("rolled back: the agent started as " + m.from() + " again before " + m.to()
                    + " confirmed"));
        } else {
            report(m, CommandOutcome.failed("update to " + m.to() + " not confirmed: this agent runs " + running));
        }
    }

    /** The hub welcomed this agent: a pending update to this version has succeeded. */
    public void welcomed() {
        UpdateMarker m = pending.get();
        if (m != null && running.equals(m.to()) && m.rolledBack() == null) {
            report(m, CommandOutcome.succeeded(JsonNodeFactory.instance.objectNode().put("version", m.to()).put("previous", m.from())));
        }
    }

    private void report(UpdateMarker m, CommandOutcome outcome) {
        if (!pending.compareAndSet(m, null)) {
            return;
        }
        log.info("software_update {} ({} → {}): {}", m.command(), m.from(), m.to(), outcome.succeeded() ? "succeeded" : outcome.error());
        // Queued first: a crash before the marker goes only repeats the result, which the hub ignores.
        results.accept(m.command(), outcome);
        deleteMarker();
        done.accept(m.command());
    }

    private void deleteMarker() {
        try {
            UpdateMarker.delete(layout.prefix());
        } catch (IOException e) {
            log.warn("Could not remove the update marker in {}: {}", layout.prefix(), e.toString());
        }
    }

    /** The {@code software_update} handler (params already checked against the built-in schema). */
    public CommandOutcome handle(CommandRequest request) throws IOException, InterruptedException {
        String version = request.params().path("version").asText();
        String sha256 = request.params().path("sha256").asText();
        String problem = Versions.problem(version);
        if (problem != null) {
            return CommandOutcome.failed(problem);
        }
        int order = Versions.compare(version, running);
        if (order <= 0) {
            return CommandOutcome.failed(order == 0 ? "version " + version + " is already running"
                    : "refusing a downgrade from " + running + " to " + version);
        }
        UpdateMarker other = pending.get();
        if (other != null || Files.exists(layout.prefix().resolve(UpdateMarker.FILE))) {
            return CommandOutcome.failed("another update " + (other == null ? "" : "(to " + other.to() + ") ") + "is not finished yet");
        }
        Path file = downloads.resolve(version + ".jar.part");
        try {
            String got;
            try {
                got = request.params().hasNonNull("artifactId")
                        ? download.fetch(hub.resolve("/api/v1/artifacts/" + request.params().path("artifactId").asText() + "/content"),
                        token, file)
                        : download.fetch(URI.create(request.params().path("url").asText()), null, file);
            } catch (UpdateDownload.Failed e) {
                return CommandOutcome.failed(e.getMessage());
            }
            if (!got.equals(sha256)) {
                return CommandOutcome.failed("SHA-256 mismatch: expected " + sha256 + ", downloaded " + got + "; nothing changed");
            }
            String notAgent = AgentJar.problem(file, version);
            if (notAgent != null) {
                return CommandOutcome.failed("the download is not the agent " + version + ": " + notAgent + "; nothing changed");
            }
            layout.stage(file, version);
        } finally {
            Files.deleteIfExists(file);
        }
        UpdateMarker marker = new UpdateMarker(request.id(), running, version, 0, null);
        marker.write(layout.prefix());
        pending.set(marker);
        try {
            layout.switchTo(version);
        } catch (IOException | RuntimeException e) {
            pending.set(null);
            deleteMarker();
            return CommandOutcome.failed("could not switch to " + version + ": " + e.getMessage() + "; still on " + running);
        }
        log.info("software_update {}: {} is current (was {}); restarting", request.id(), version, running);
        restart.run();
        // Not reported by this run (the marker owns it): the new version reports it once the hub welcomes it.
        return CommandOutcome.succeeded(JsonNodeFactory.instance.objectNode().put("version", version).put("previous", running));
    }
}
