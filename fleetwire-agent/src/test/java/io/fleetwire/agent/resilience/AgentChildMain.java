package io.fleetwire.agent.resilience;

import io.fleetwire.agent.internal.cli.AgentMain;

/** The runnable agent ({@code ./fleetwire agent}) in a child JVM, so a test can SIGKILL it. */
public final class AgentChildMain {

    private AgentChildMain() {
    }

    public static void main(String[] args) {
        System.exit(AgentMain.run(args, System.out, System.err));
    }
}
