package io.fleetwire.agent;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What running a command came to, reported to the hub as its result.
 *
 * @param succeeded whether it did what was asked
 * @param output    anything worth showing the operator (any JSON, may be null)
 * @param error     why it failed (null when it succeeded)
 */
public record CommandOutcome(boolean succeeded, JsonNode output, String error) {

    public CommandOutcome {
        if (!succeeded && (error == null || error.isBlank())) {
            throw new IllegalArgumentException("a failed outcome says why");
        }
    }

    public static CommandOutcome succeeded(JsonNode output) {
        return new CommandOutcome(true, output, null);
    }

    public static CommandOutcome failed(String error) {
        return new CommandOutcome(false, null, error);
    }
}
