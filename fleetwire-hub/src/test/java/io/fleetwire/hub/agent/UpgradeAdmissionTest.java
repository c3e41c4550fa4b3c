package io.fleetwire.hub.agent;

import io.fleetwire.hub.TestHub;
import io.fleetwire.hub.config.HubTuning;
import io.fleetwire.testkit.AgentSocket;
import io.fleetwire.testkit.ApiClient;
import io.fleetwire.testkit.Await;
import io.fleetwire.testkit.RawWebSocket;
import io.fleetwire.testkit.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class UpgradeAdmissionTest {

    @Test
    void upgradeBeyondTheLimit_isAnswered503WithRetryAfterAndCounted_andTheHeldOnesConnectAfterwards() throws Exception {
        try (TestHub hub = TestHub.start(Map.of(), HubTuning.DEFAULTS.withMaxUpgradesInProgress(2))) {
            TestHub.DeviceHandle a = hub.createDevice("admit-a");
            TestHub.DeviceHandle b = hub.createDevice("admit-b");
            TestHub.DeviceHandle c = hub.createDevice("admit-c");
            try (Connection holder = TestDatabase.open(hub.dbUrl()); Statement st = holder.createStatement()) {
                // The token lookup reads `devices`: while this transaction holds the table, lookups wait.
                holder.setAutoCommit(false);
                st.execute("LOCK TABLE devices IN ACCESS EXCLUSIVE MODE");
                CompletableFuture<AgentSocket> first = CompletableFuture.supplyAsync(() -> hub.connect(a));
                CompletableFuture<AgentSocket> second = CompletableFuture.supplyAsync(() -> hub.connect(b));
                Await.until("two token lookups waiting on the lock", Duration.ofSeconds(10), () -> waitingLookups(hub) == 2);

                String refused = RawWebSocket.refusal(hub.hub().port(), c.token());
                assertThat(refused).startsWith("HTTP/1.1 503");
                assertThat(refused.toLowerCase()).contains("retry-after: 1");
                assertThat(refusedCount(hub)).isEqualTo(1);

                holder.rollback();
                try (AgentSocket sa = first.get(20, TimeUnit.SECONDS); AgentSocket sb = second.get(20, TimeUnit.SECONDS)) {
                    assertThat(sa.isClosed()).isFalse();
                    assertThat(sb.isClosed()).isFalse();
                    // Their slots are given back once their connects are stored; the third device gets in.
                    Await.until("third device admitted", Duration.ofSeconds(10),
                            () -> AgentSocket.upgradeStatus(hub.wsUrl(), c.token()) == 101);
                }
            }
        }
    }

    private static long waitingLookups(TestHub hub) {
        return TestDatabase.queryLong(hub.dbUrl(), "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock' AND query LIKE '%token_hash = $1%'");
    }

    private static long refusedCount(TestHub hub) {
        String text = new ApiClient(hub.httpUrl(), null).get("/metrics").text();
        return text.lines().filter(l -> l.startsWith("fleetwire_device_upgrades_refused_total{reason=\"busy\"} "))
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
