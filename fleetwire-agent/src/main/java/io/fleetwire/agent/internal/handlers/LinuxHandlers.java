package io.fleetwire.agent.internal.handlers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetwire.agent.CommandHandler;
import io.fleetwire.agent.CommandOutcome;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The runnable agent's command handlers for Linux (seed 000's command set), each doing the real
 * thing through the system's own tools and failing with a clear reason when it cannot: no
 * simulated success. Which of them may run is the local allow-list's decision.
 */
public final class LinuxHandlers {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);

    private LinuxHandlers() {
    }

    /** Every handler this agent has, by command type. */
    public static Map<String, CommandHandler> all() {
        Map<String, CommandHandler> out = new LinkedHashMap<>();
        out.put("lock", r -> run(List.of("loginctl", "lock-sessions"), null));
        out.put("unlock", r -> run(List.of("loginctl", "unlock-sessions"), null));
        out.put("broadcast_message", r -> {
            String severity = r.params().path("severity").asText("info");
            String text = "[" + severity + "] " + r.params().path("text").asText();
            return run(List.of("wall"), text);
        });
        out.put("buzz", r -> {
            // The terminal bell on the console the agent runs on; machines without a speaker stay silent.
            System.out.print('\u0007');
            System.out.flush();
            return CommandOutcome.succeeded(object().put("method", "terminal bell"));
        });
        out.put("clear_cache", r -> clearCache(r.params().path("scope").asText("all")));
        out.put("reboot", r -> {
            long delay = r.params().path("delaySeconds").asLong(0);
            long minutes = (delay + 59) / 60;
            return run(List.of("shutdown", "-r", minutes == 0 ? "now" : "+" + minutes,
                    // A leading '-' would read as an option of shutdown.
                    r.params().path("reason").asText("Fleetwire reboot command").replaceFirst("^-+", "")), null);
        });
        return out;
    }

    private static CommandOutcome clearCache(String scope) throws IOException {
        if (!scope.equals("all") && !scope.equals("system")) {
            return CommandOutcome.failed("clearing the '" + scope + "' cache is not supported by this agent on Linux");
        }
        Path drop = Path.of("/proc/sys/vm/drop_caches");
        if (!Files.isWritable(drop)) {
            return CommandOutcome.failed("cannot clear the page cache: " + drop + " is not writable (the agent needs root)");
        }
        Files.writeString(drop, "3\n", StandardCharsets.US_ASCII);
        return CommandOutcome.succeeded(object().put("cleared", "page cache, dentries and inodes"));
    }

    /** Runs a system tool; its exit status decides the outcome, its output is the result. */
    static CommandOutcome run(List<String> command, String stdin) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return CommandOutcome.failed("'" + command.getFirst() + "' is not available on this device: " + e.getMessage());
        }
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        if (!p.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return CommandOutcome.failed("'" + String.join(" ", command) + "' did not finish within " + TOOL_TIMEOUT.toSeconds() + " s");
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (output.length() > 4_000) {
            output = output.substring(0, 4_000) + "…";
        }
        if (p.exitValue() != 0) {
            return CommandOutcome.failed("'" + String.join(" ", command) + "' exited with " + p.exitValue()
                    + (output.isEmpty() ? "" : ": " + output));
        }
        return CommandOutcome.succeeded(object().put("command", String.join(" ", command)).put("output", output));
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }
}
