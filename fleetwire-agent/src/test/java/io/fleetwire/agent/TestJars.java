package io.fleetwire.agent;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Jars made by tests: sources compiled with javax.tools against the test classpath, plus a manifest and resources. */
public final class TestJars {

    public static final String AGENT_MAIN = "io.fleetwire.agent.internal.cli.AgentMain";

    private TestJars() {
    }

    /**
     * A stand-in for the agent jar of {@code version}: its Main-Class is the agent's, and running it with
     * {@code --version} prints {@code fleetwire-agent <version>} like the real one.
     */
    public static Path fakeAgent(Path dir, String version) throws IOException {
        String source = "package io.fleetwire.agent.internal.cli;\n"
                + "public final class AgentMain { public static void main(String[] a) {\n"
                + "  System.out.println(\"fleetwire-agent " + version + "\"); } }\n";
        return jar(dir, "agent-" + version + ".jar", Map.of(AGENT_MAIN, source),
                Map.of("Main-Class", AGENT_MAIN, "Implementation-Version", version), Map.of());
    }

    /** Compiles {@code sources} (class name → source) into {@code dir/name} with the manifest attributes and extra entries. */
    public static Path jar(Path dir, String name, Map<String, String> sources, Map<String, String> manifest,
                           Map<String, String> resources) throws IOException {
        Path src = Files.createTempDirectory(dir, "src");
        Path classes = Files.createTempDirectory(dir, "classes");
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                "--release", "21", "-proc:none"));
        for (var e : sources.entrySet()) {
            Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
            args.add(f.toString());
        }
        if (!sources.isEmpty()) {
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            if (javac.run(null, OutputStream.nullOutputStream(), err, args.toArray(String[]::new)) != 0) {
                throw new IllegalStateException("test sources do not compile: " + err);
            }
        }
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.forEach((k, v) -> m.getMainAttributes().putValue(k, v));
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
            for (var r : resources.entrySet()) {
                out.putNextEntry(new JarEntry(r.getKey()));
                out.write(r.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }
}
