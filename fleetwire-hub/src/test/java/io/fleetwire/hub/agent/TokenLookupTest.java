package io.fleetwire.hub.agent;

import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.config.ConfigKey;
import io.fleetwire.hub.db.DbUrl;
import io.fleetwire.testkit.AgentSocket;
import io.fleetwire.testkit.SlowLink;
import io.fleetwire.testkit.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class TokenLookupTest {

    /** Every answer from PostgreSQL reaches the hub this much later: each round trip costs at least this. */
    private static final long LINK_DELAY_MILLIS = 200;
    private static final int BURST = 40;

    /**
     * A reconnect storm's token lookups must not queue for the lookup connections one round trip at a time
     * (2 connections, one lookup each: 40 devices would need 20 round trips, 4 s here). Over a link where
     * a round trip costs 200 ms, 40 devices upgrading at once all get their welcome within a few round trips.
     */
    @Test
    void upgradesInABurst_doNotWaitForEachOthersTokenLookups() throws Exception {
        DbUrl db = DbUrl.parse(TestDatabase.newDatabase());
        try (SlowLink link = SlowLink.to(db.host(), db.port());
             TestHub hub = TestHub.start(Map.of(ConfigKey.DB_URL,
                     "postgresql://" + db.user() + "@127.0.0.1:" + link.port() + "/" + db.database()))) {
            List<TestHub.DeviceHandle> warm = new ArrayList<>();
            List<TestHub.DeviceHandle> burst = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                warm.add(hub.createDevice("warm-" + i));
            }
            for (int i = 0; i < BURST; i++) {
                burst.add(hub.createDevice("burst-" + i));
            }
            ExecutorService clients = Executors.newFixedThreadPool(BURST);
            try {
                // The lookup connections are opened before the link slows down (opening one takes round trips too).
                for (AgentSocket s : connectAll(hub, warm, clients)) {
                    s.close();
                }
                link.delay(LINK_DELAY_MILLIS);
                long t0 = System.nanoTime();
                List<AgentSocket> sockets = connectAll(hub, burst, clients);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                link.delay(0);
                sockets.forEach(AgentSocket::close);
                assertThat(millis).as("all %d welcomed, in ms (round trip %d ms)", BURST, LINK_DELAY_MILLIS)
                        .isLessThan(BURST / 4 * LINK_DELAY_MILLIS);
            } finally {
                link.delay(0);
                clients.shutdownNow();
            }
        }
    }

    private static List<AgentSocket> connectAll(TestHub hub, List<TestHub.DeviceHandle> devices, ExecutorService clients)
            throws Exception {
        List<CompletableFuture<AgentSocket>> pending = devices.stream()
                .map(d -> CompletableFuture.supplyAsync(() -> hub.connect(d), clients)).toList();
        List<AgentSocket> sockets = new ArrayList<>();
        for (CompletableFuture<AgentSocket> f : pending) {
            sockets.add(f.get(60, TimeUnit.SECONDS));
        }
        return sockets;
    }
}
