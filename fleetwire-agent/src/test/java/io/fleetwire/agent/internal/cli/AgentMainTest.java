package io.fleetwire.agent.internal.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentMainTest {

    @Test
    void parse_readsHubTokenStateDirAndAllowList() {
        var o = AgentMain.parse(new String[]{"--hub", "http://127.0.0.1:8080", "--token", "fwd_x", "--state-dir", "/tmp/a",
                "--allow", "lock, reboot"});
        assertThat(o.hub().toString()).isEqualTo("http://127.0.0.1:8080");
        assertThat(o.token()).isEqualTo("fwd_x");
        assertThat(o.stateDir()).isEqualTo(Path.of("/tmp/a"));
        assertThat(o.allowed()).isEqualTo(Set.of("lock", "reboot"));
    }

    @Test
    void parse_defaultsToHarmlessCommandsOnly() {
        var o = AgentMain.parse(new String[]{"--hub", "http://h:1", "--token", "t"});
        assertThat(o.allowed()).isEqualTo(AgentMain.DEFAULT_ALLOWED).doesNotContain("reboot", "clear_cache");
        assertThat(o.stateDir().toString()).endsWith(".fleetwire-agent");
    }

    @Test
    void theAllowListComesFromThePolicyFile_unlessGivenOnTheCommandLine(@org.junit.jupiter.api.io.TempDir Path state)
            throws Exception {
        java.nio.file.Files.writeString(state.resolve("policy.properties"), "# local security policy\nallow = lock, set_fan_speed\n");
        assertThat(AgentMain.parse(new String[]{"--hub", "http://h:1", "--token", "t", "--state-dir", state.toString()}).allowed())
                .isEqualTo(Set.of("lock", "set_fan_speed"));
        assertThat(AgentMain.parse(new String[]{"--hub", "http://h:1", "--token", "t", "--state-dir", state.toString(),
                "--allow", "buzz"}).allowed()).isEqualTo(Set.of("buzz"));
    }

    @Test
    void theTokenCanComeFromAFile_soItIsNotInTheProcessList(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        java.nio.file.Files.writeString(file, "fwd_from_file\n");
        assertThat(AgentMain.parse(new String[]{"--hub", "http://h:1", "--token-file", file.toString()}).token())
                .isEqualTo("fwd_from_file");
        assertThatThrownBy(() -> AgentMain.parse(new String[]{"--hub", "http://h:1", "--token-file", file.toString(), "--token", "t"}))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> AgentMain.parse(new String[]{"--hub", "http://h:1", "--token-file", dir.resolve("none").toString()}))
                .hasMessageContaining("cannot read --token-file");
        java.nio.file.Files.writeString(file, "\n");
        assertThatThrownBy(() -> AgentMain.parse(new String[]{"--hub", "http://h:1", "--token-file", file.toString()}))
                .hasMessageContaining("is empty");
    }

    @Test
    void parse_refusesMissingOrUnknownOptions() {
        assertThatThrownBy(() -> AgentMain.parse(new String[]{"--token", "t"})).hasMessageContaining("--hub is required");
        assertThatThrownBy(() -> AgentMain.parse(new String[]{"--hub", "http://h:1", "--token", "t", "--enroll", "e"}))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> AgentMain.parse(new String[]{"--hub", "http://h:1", "--token", "t", "--bogus", "1"}))
                .hasMessageContaining("--bogus");
        assertThatThrownBy(() -> AgentMain.parse(new String[]{"--hub"})).hasMessageContaining("pairs");
    }

    @Test
    void run_withBadArguments_exits2WithAClearMessage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AgentMain.run(new String[]{"--token", "t"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--hub is required");
        assertThat(AgentMain.run(new String[]{"--hub", "ftp://x", "--token", "t"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err))).isEqualTo(2);
        assertThat(err.toString()).contains("http(s)://");
    }

    @Test
    void version_printsTheAgentsOwnVersion() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(AgentMain.run(new String[]{"--version"}, new PrintStream(out), new PrintStream(new ByteArrayOutputStream())))
                .isZero();
        assertThat(out.toString().strip()).isEqualTo("fleetwire-agent " + io.fleetwire.agent.internal.AgentVersion.VALUE);
    }
}
