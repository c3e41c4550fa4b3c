package io.fleetwire.agent.internal;

/** This agent's version, as reported in its hello. */
public final class AgentVersion {

    public static final String VALUE = versionOf(AgentVersion.class.getPackage().getImplementationVersion());

    private AgentVersion() {
    }

    private static String versionOf(String implementationVersion) {
        return implementationVersion == null ? "0.1.0-dev" : implementationVersion;
    }
}
