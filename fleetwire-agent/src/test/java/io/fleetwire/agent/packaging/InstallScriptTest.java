package io.fleetwire.agent.packaging;

import io.fleetwire.agent.TestJars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** packaging/linux/install.sh and the run script it installs, on temp dirs (--no-systemd). */
public class InstallScriptTest {

    static final Path SCRIPT = Path.of("../packaging/linux/install.sh").toAbsolutePath().normalize();
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    public record Run(int code, String out, String err) {
    }

    public static Run run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        var out = p.getInputStream();
        var err = p.getErrorStream();
        String[] texts = new String[2];
        Thread o = Thread.ofVirtual().start(() -> texts[0] = read(out));
        Thread e = Thread.ofVirtual().start(() -> texts[1] = read(err));
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished: " + command).isTrue();
        o.join();
        e.join();
        return new Run(p.exitValue(), texts[0], texts[1]);
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException ex) {
            return ex.toString();
        }
    }

    public static Run install(Path prefix, Path state, Path jar, String... more) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString(), "--hub", "http://127.0.0.1:8080", "--prefix",
                prefix.toString(), "--state-dir", state.toString(), "--jar", jar.toString(), "--java", JAVA, "--no-systemd"));
        cmd.addAll(List.of(more));
        return run(cmd);
    }

    @Test
    void install_laysOutTheVersion_currentAndTheRunScript_andASecondRunChangesNothing(@TempDir Path dir) throws Exception {
        Path jar = TestJars.fakeAgent(dir, "1.0.0");
        Path prefix = dir.resolve("opt");
        Path state = dir.resolve("state");
        Run first = install(prefix, state, jar, "--token", "fwd_abcdefgh12345678");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("fleetwire-agent 1.0.0 installed in " + prefix);

        assertThat(Files.readAllBytes(prefix.resolve("versions/1.0.0/fleetwire-agent.jar"))).isEqualTo(Files.readAllBytes(jar));
        assertThat(Files.readSymbolicLink(prefix.resolve("current"))).isEqualTo(Path.of("versions/1.0.0"));
        assertThat(Files.isExecutable(prefix.resolve("bin/fleetwire-agent"))).isTrue();
        assertThat(Files.readString(prefix.resolve("agent.conf"))).contains("FLEETWIRE_HUB=http://127.0.0.1:8080")
                .contains("FLEETWIRE_STATE_DIR=" + state);
        assertThat(Files.readString(state.resolve("device-token")).strip()).isEqualTo("fwd_abcdefgh12345678");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("device-token")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
        assertThat(Files.readString(state.resolve("policy.properties"))).contains("allow=buzz,broadcast_message,lock,unlock");

        var jarTime = Files.getLastModifiedTime(prefix.resolve("versions/1.0.0/fleetwire-agent.jar"));
        Files.writeString(state.resolve("policy.properties"), "allow=lock\n");
        Run again = install(prefix, state, jar, "--token", "fwd_abcdefgh12345678");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("already installed").contains("nothing changed");
        assertThat(Files.getLastModifiedTime(prefix.resolve("versions/1.0.0/fleetwire-agent.jar"))).isEqualTo(jarTime);
        assertThat(Files.readString(state.resolve("policy.properties"))).as("the local policy is the owner's").isEqualTo("allow=lock\n");
        try (var files = Files.list(prefix)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("versions", "current", "bin", "agent.conf", "agent.jvm-options");
        }
        // The run script uses the launcher's JVM options, from the one file both read.
        assertThat(Files.readString(prefix.resolve("agent.jvm-options")))
                .isEqualTo(Files.readString(Path.of("agent.jvm-options")));
    }

    @Test
    void aNewerJar_isInstalledBesideTheOld_andCurrentMovesToIt(@TempDir Path dir) throws Exception {
        Path prefix = dir.resolve("opt");
        Path state = dir.resolve("state");
        assertThat(install(prefix, state, TestJars.fakeAgent(dir, "1.0.0"), "--enroll", "fwe_enrollment1").code()).isZero();
        assertThat(Files.readString(state.resolve("enrollment-token")).strip()).isEqualTo("fwe_enrollment1");
        Run second = install(prefix, state, TestJars.fakeAgent(dir, "1.1.0"));
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(Files.readSymbolicLink(prefix.resolve("current"))).isEqualTo(Path.of("versions/1.1.0"));
        assertThat(prefix.resolve("versions/1.0.0/fleetwire-agent.jar")).exists();
    }

    @Test
    void badArguments_exit2_withAMessage_andChangeNothing(@TempDir Path dir) throws Exception {
        Path jar = TestJars.fakeAgent(dir, "1.0.0");
        Path prefix = dir.resolve("opt");
        Path state = dir.resolve("state");
        record Case(List<String> args, String message) {
        }
        List<Case> cases = List.of(
                new Case(List.of("--token", "fwd_abcdefgh1", "--hub", "ftp://x"), "http(s)://"),
                new Case(List.of("--token", "fwd_abcdefgh1", "--enroll", "fwe_abcdefgh1"), "not both"),
                new Case(List.of("--token", "short"), "8 to 512"),
                new Case(List.of("--token", "fwd_abcdefgh1", "--bogus"), "unknown argument '--bogus'"),
                new Case(List.of("--token", "fwd_abcdefgh1", "--prefix", "relative/dir"), "absolute"),
                new Case(List.of("--token"), "--token needs a value"),
                new Case(List.of(), "give --token"),
                new Case(List.of("--token", "fwd_abcdefgh1", "--jar", dir.resolve("nope.jar").toString()), "no such file"));
        for (Case c : cases) {
            Run r = install(prefix, state, jar, c.args().toArray(String[]::new));
            assertThat(r.code()).as(c.args() + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).as(c.args().toString()).contains(c.message()).contains("Usage: install.sh");
        }
        Run noHub = run(List.of("bash", SCRIPT.toString(), "--token", "fwd_abcdefgh1", "--prefix", prefix.toString(), "--no-systemd"));
        assertThat(noHub.code()).isEqualTo(2);
        assertThat(noHub.err()).contains("--hub URL is required");
        assertThat(prefix).doesNotExist();
        assertThat(state).doesNotExist();
    }

    @Test
    void anOldJava_isRefusedClearly(@TempDir Path dir) throws Exception {
        Path java17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        assumeTrue(Files.isExecutable(java17), "no Java 17 on this machine");
        Run r = run(List.of("bash", SCRIPT.toString(), "--hub", "http://h:1", "--token", "fwd_abcdefgh1", "--prefix",
                dir.resolve("opt").toString(), "--state-dir", dir.resolve("state").toString(), "--java", java17.toString(),
                "--jar", TestJars.fakeAgent(dir, "1.0.0").toString(), "--no-systemd"));
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("is Java 17; the agent needs 21 or newer");
        assertThat(dir.resolve("opt")).doesNotExist();
    }

    @Test
    void notAnAgentJar_isRefused(@TempDir Path dir) throws Exception {
        Path jar = TestJars.jar(dir, "other.jar", java.util.Map.of(), java.util.Map.of(), java.util.Map.of("x.txt", "x"));
        Run r = install(dir.resolve("opt"), dir.resolve("state"), jar, "--token", "fwd_abcdefgh1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("is not a Fleetwire agent jar");
        assertThat(dir.resolve("opt")).doesNotExist();
    }
}
