package io.fleetwire.agent.internal.connection;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.http.HttpClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubHttpClientsTest {

    @Test
    void plainHub_getsAContextThatRefusesTls_notTheDefault() {
        for (String hub : new String[]{"http://hub:8080", "ws://hub:8080/ws/agent", "HTTP://hub"}) {
            try (HttpClient client = HubHttpClients.builder(URI.create(hub)).build()) {
                SSLContext ctx = client.sslContext();
                assertThat(ctx.getProtocol()).as(hub).isEqualTo("none");
                assertThatThrownBy(ctx::createSSLEngine).isInstanceOf(IllegalStateException.class);
            }
        }
    }

    @Test
    void tlsHub_getsTheDefaultContext() throws Exception {
        for (String hub : new String[]{"https://hub", "wss://hub/ws/agent"}) {
            try (HttpClient client = HubHttpClients.builder(URI.create(hub)).build()) {
                assertThat(client.sslContext()).as(hub).isSameAs(SSLContext.getDefault());
            }
        }
    }
}
