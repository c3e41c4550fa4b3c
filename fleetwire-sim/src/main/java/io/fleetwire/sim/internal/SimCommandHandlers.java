package io.fleetwire.sim.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetwire.agent.CommandHandler;
import io.fleetwire.agent.CommandOutcome;
import io.fleetwire.sim.TelemetryGenerator;

import java.util.List;

/**
 * What a simulated device does for each built-in command type, written against the agent library's
 * {@link CommandHandler} contract: each handler gets a {@link io.fleetwire.agent.CommandRequest} and
 * returns a {@link CommandOutcome}, as a real agent's handler does. Nothing is run on this machine;
 * {@code set_fan_speed} and {@code apply_fan_profile} change the simulated fans, so the next telemetry
 * shows the new speed.
 */
public final class SimCommandHandlers {

    /** The command types a simulated device answers (the 12 built-in ones). */
    public static final List<String> NAMES = List.of("lock", "unlock", "clear_cache", "buzz", "broadcast_message",
            "reboot", "set_fan_speed", "apply_fan_profile", "update_config", "software_update", "ssh_access",
            "history_request");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SimCommandHandlers() {
    }

    /** The handler of {@code name} on the machine {@code machine}; unknown types fail as on a real agent. */
    public static CommandHandler handler(String name, TelemetryGenerator machine) {
        return switch (name) {
            case "lock" -> r -> ok("locked", true, "message", r.params().path("message").asText(""));
            case "unlock" -> r -> ok("locked", false);
            case "clear_cache" -> r -> ok("scope", r.params().path("scope").asText("all"),
                    "freedBytes", 1_048_576L * (1 + Math.floorMod(r.id().hashCode(), 512)));
            case "buzz" -> r -> ok("method", "simulated beep", "durationSeconds", r.params().path("durationSeconds").asInt(5));
            case "broadcast_message" -> r -> ok("shown", true, "severity", r.params().path("severity").asText("info"));
            case "reboot" -> r -> ok("rebootInSeconds", r.params().path("delaySeconds").asInt(0), "simulated", true);
            case "set_fan_speed" -> r -> {
                String fan = r.params().path("fanId").asText();
                double percent = r.params().path("percent").asDouble();
                double rpm = machine.setFanSpeed(fan, percent);
                return rpm < 0 ? CommandOutcome.failed("fan " + fan + " not found (fans: " + TelemetryGenerator.fanIds() + ")")
                        : ok("fanId", fan, "percent", percent, "expectedRpm", rpm);
            };
            case "apply_fan_profile" -> r -> {
                String profile = r.params().path("name").asText();
                machine.applyFanProfile(profile);
                return ok("profile", profile, "points", r.params().path("points").size());
            };
            case "update_config" -> r -> ok("applied", r.params().path("settings").size(),
                    "version", r.params().path("version").asLong(0));
            case "software_update" -> r -> ok("installed", r.params().path("version").asText(), "simulated", true);
            case "ssh_access" -> r -> ok("user", r.params().path("user").asText("root"),
                    "expiresInSeconds", r.params().path("durationSeconds").asInt());
            case "history_request" -> r -> ok("samples", 0, "note", "a simulated device keeps no history");
            default -> r -> CommandOutcome.failed("no handler for command type '" + name + "' on this device");
        };
    }

    /** A succeeded outcome whose output object holds the given name, value pairs. */
    static CommandOutcome ok(Object... pairs) {
        ObjectNode node = JSON.objectNode();
        for (int i = 0; i < pairs.length; i += 2) {
            String k = (String) pairs[i];
            switch (pairs[i + 1]) {
                case Boolean b -> node.put(k, b);
                case Integer n -> node.put(k, n);
                case Long n -> node.put(k, n);
                case Double d -> node.put(k, d);
                case Object o -> node.put(k, o.toString());
            }
        }
        return CommandOutcome.succeeded(node);
    }
}
