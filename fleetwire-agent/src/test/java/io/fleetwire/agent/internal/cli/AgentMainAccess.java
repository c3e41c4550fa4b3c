package io.fleetwire.agent.internal.cli;

import io.fleetwire.agent.HubAgent;

import java.io.PrintStream;
import java.nio.file.Path;

/** Lets tests outside this package call AgentMain's package-private steps. */
public final class AgentMainAccess {

    private AgentMainAccess() {
    }

    public static void addPlugins(HubAgent.Builder b, Path dir, PrintStream out, PrintStream err) {
        AgentMain.addPlugins(b, dir, out, err);
    }
}
