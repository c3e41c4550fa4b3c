package io.fleetwire.agent.internal.update;

import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** Checks that a downloaded file is an agent jar of the expected version before it is installed. */
final class AgentJar {

    static final String MAIN_CLASS = "io.fleetwire.agent.internal.cli.AgentMain";

    private AgentJar() {
    }

    /** Why {@code file} is not the agent jar of {@code version}, or null when it is. */
    static String problem(Path file, String version) {
        try (JarFile jar = new JarFile(file.toFile(), true)) {
            Manifest m = jar.getManifest();
            if (m == null) {
                return "it has no manifest";
            }
            Attributes a = m.getMainAttributes();
            if (!MAIN_CLASS.equals(a.getValue(Attributes.Name.MAIN_CLASS))) {
                return "its Main-Class is " + a.getValue(Attributes.Name.MAIN_CLASS) + ", not " + MAIN_CLASS;
            }
            if (jar.getJarEntry(MAIN_CLASS.replace('.', '/') + ".class") == null) {
                return "it does not contain " + MAIN_CLASS;
            }
            String v = a.getValue(Attributes.Name.IMPLEMENTATION_VERSION);
            if (!version.equals(v)) {
                return "it is version " + v + ", not " + version;
            }
            return null;
        } catch (IOException | SecurityException e) {
            return "it does not open as a jar (" + e.getMessage() + ")";
        }
    }
}
