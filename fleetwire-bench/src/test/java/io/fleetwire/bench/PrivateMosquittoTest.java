package io.fleetwire.bench;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrivateMosquittoTest {

    @Test
    void config_listensOnLoopbackOnly_anonymous_withNothingPersisted() {
        String conf = PrivateMosquitto.config(18830, Path.of("/tmp/x/mosquitto.log"));
        assertThat(conf).contains("listener 18830 127.0.0.1\n", "allow_anonymous true\n", "persistence false\n",
                "max_connections -1\n", "log_dest file /tmp/x/mosquitto.log\n");
    }

    @Test
    void config_refusesAPortOutOfRange() {
        assertThatThrownBy(() -> PrivateMosquitto.config(0, Path.of("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrivateMosquitto.config(65_536, Path.of("x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStartedBroker_acceptsConnections_andIsGoneAfterClose() throws Exception {
        Path binary = PrivateMosquitto.binary().orElse(null);
        Assumptions.assumeTrue(binary != null, "no mosquitto executable on this machine");
        PrivateMosquitto broker = PrivateMosquitto.start(binary);
        long pid = broker.pid();
        int port = broker.port();
        assertThat(ProcessHandle.of(pid)).isPresent();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(PrivateMosquitto.HOST, port), 1_000);
        }
        assertThat(ProcessStats.rssBytes(pid)).isPositive();
        broker.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
