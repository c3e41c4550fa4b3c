package io.fleetwire.agent;

/**
 * Runs one type of command on this device. Handlers run on the agent's command worker, never on
 * its socket thread, one command at a time per agent, and are interrupted when they overrun the
 * command timeout. A thrown exception becomes a failed result carrying its message.
 */
@FunctionalInterface
public interface CommandHandler {

    CommandOutcome handle(CommandRequest request) throws Exception;
}
