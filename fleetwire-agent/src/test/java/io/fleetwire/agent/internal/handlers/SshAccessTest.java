package io.fleetwire.agent.internal.handlers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetwire.agent.CommandOutcome;
import io.fleetwire.agent.CommandRequest;
import io.fleetwire.protocol.CommandId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SshAccessTest {

    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ops@lab";
    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

    private static CommandRequest grant(int seconds) throws Exception {
        return new CommandRequest(CommandId.random(), "ssh_access", (ObjectNode) new ObjectMapper()
                .readTree("{\"publicKey\":\"" + KEY + "\",\"durationSeconds\":" + seconds + "}"), T0.plusSeconds(60));
    }

    @Test
    void grantedKey_isAuthorised_andRemovedAtExpiry_evenByANewAgent_leavingOtherKeysAlone(@TempDir Path home) throws Exception {
        Path file = home.resolve(".ssh/authorized_keys");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "ssh-rsa AAAAB3Nz existing@host\n");
        SshAccess atStart = new SshAccess(user -> home, Clock.fixed(T0, ZoneOffset.UTC));
        CommandOutcome o = atStart.grant(grant(3600));
        assertThat(o.succeeded()).isTrue();
        assertThat(Files.readAllLines(file)).hasSize(2).anySatisfy(l -> assertThat(l).startsWith(KEY + " fleetwire-grant:"));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        assertThat(atStart.sweep(Arrays.asList((String) null))).isZero();
        // A restarted agent, an hour and a second later.
        SshAccess later = new SshAccess(user -> home, Clock.fixed(T0.plusSeconds(3601), ZoneOffset.UTC));
        assertThat(later.sweep(Arrays.asList((String) null))).isEqualTo(1);
        assertThat(Files.readAllLines(file)).containsExactly("ssh-rsa AAAAB3Nz existing@host");
    }

    @Test
    void aUserWithoutAHome_isRefused(@TempDir Path dir) throws Exception {
        SshAccess s = new SshAccess(user -> dir.resolve("missing"), Clock.systemUTC());
        assertThat(s.grant(grant(60)).error()).contains("no home directory");
        assertThat(s.sweep(List.of("nobody"))).isZero();
    }

    @Test
    void anEditedMarker_doesNotStopTheSweep_andASymlinkedSshDirIsRefused(@TempDir Path home) throws Exception {
        Path file = home.resolve(".ssh/authorized_keys");
        Files.createDirectories(file.getParent());
        Files.writeString(file, KEY + " fleetwire-grant:6b0f4c1e-2d3a-4b5c-8d7e-9f0a1b2c3d4e:99999999999999999999\n");
        SshAccess s = new SshAccess(user -> home, Clock.fixed(T0, ZoneOffset.UTC));
        assertThat(s.sweep(Arrays.asList((String) null))).isEqualTo(1);
        assertThat(Files.readAllLines(file)).isEmpty();

        Path other = home.resolve("elsewhere");
        Files.createDirectories(other);
        Path linked = home.resolve("linked");
        Files.createDirectories(linked);
        Files.createSymbolicLink(linked.resolve(".ssh"), other);
        CommandOutcome o = new SshAccess(user -> linked, Clock.fixed(T0, ZoneOffset.UTC)).grant(grant(60));
        assertThat(o.succeeded()).isFalse();
        assertThat(o.error()).contains("symbolic link");
        assertThat(other.resolve("authorized_keys")).doesNotExist();
    }
}
