package io.fleetwire.agent;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A command type added to the agent by a plug-in: a class with a public no-argument constructor,
 * listed in its jar's {@code META-INF/services/io.fleetwire.agent.CommandPlugin}. The runnable agent
 * loads plug-ins from its classpath and from the jars in {@code <state dir>/plugins} (or
 * {@code --plugins DIR}); a library user passes them to {@link HubAgent.Builder#plugin}. A plug-in's
 * commands run like built-in ones: at most once per id, on the command worker, with the command
 * timeout, and only when the local allow-list names the type (docs/agent.md, "Plug-ins").
 *
 * <pre>{@code
 * public final class OpenDoor implements CommandPlugin {
 *     public String type() { return "open_door"; }
 *     public CommandOutcome handle(CommandRequest r) { … return CommandOutcome.succeeded(null); }
 * }
 * }</pre>
 */
public interface CommandPlugin extends CommandHandler {

    /** The command type this plug-in runs: 1–64 of {@code a–z 0–9 _}, starting with a letter, as registered on the hub. */
    String type();

    /**
     * A JSON schema (draft 2020-12) that params must match before {@link #handle} is called, or null
     * for none (the hub checks params against the type's registered schema in any case). Ignored for
     * built-in command types, whose schemas ship with the agent.
     */
    default JsonNode paramsSchema() {
        return null;
    }
}
