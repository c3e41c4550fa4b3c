package io.fleetwire.hub.telemetry;

import io.fleetwire.hub.db.DbUrl;
import io.fleetwire.hub.db.Migrations;
import io.fleetwire.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class PartitionMaintainerTest {

    private Vertx vertx;
    private Pool pool;

    @BeforeEach
    void setUp() {
        Assumptions.assumeTrue(TestDatabase.reachable(), "test PostgreSQL not reachable");
        DbUrl url = DbUrl.parse(TestDatabase.newDatabase());
        Migrations.apply(url);
        vertx = Vertx.vertx();
        PgConnectOptions options = new PgConnectOptions().setHost(url.host()).setPort(url.port())
                .setDatabase(url.database()).setUser(url.user());
        pool = PgBuilder.pool().connectingTo(options).using(vertx).build();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void maintain_createsTheRetentionWindowAndDropsPartitionsThatFallBehindIt() throws Exception {
        Instant day0 = Instant.parse("2026-03-10T12:00:00Z");
        PartitionMaintainer first = new PartitionMaintainer(vertx, pool, 2, Clock.fixed(day0, ZoneOffset.UTC));
        join(first.maintain());
        assertThat(partitions()).containsExactly("telemetry_p20260308", "telemetry_p20260309", "telemetry_p20260310",
                "telemetry_p20260311", "telemetry_p20260312", "telemetry_p20260313");
        assertThat(first.accepts(Instant.parse("2026-03-08T00:00:00Z"))).isTrue();
        assertThat(first.accepts(Instant.parse("2026-03-07T23:59:59Z"))).isFalse();
        assertThat(first.accepts(Instant.parse("2026-03-12T00:00:00Z"))).isFalse();

        join(pool.query("INSERT INTO telemetry VALUES (gen_random_uuid(), '2026-03-08T05:00:00Z', 1, 0, 1, '{1}')").execute());

        PartitionMaintainer later = new PartitionMaintainer(vertx, pool, 2,
                Clock.fixed(day0.plusSeconds(3 * 86_400), ZoneOffset.UTC));
        join(later.maintain());
        assertThat(partitions()).first().isEqualTo("telemetry_p20260311");
        assertThat(partitions()).last().isEqualTo("telemetry_p20260316");
        long rows = join(pool.query("SELECT count(*) FROM telemetry").execute()).iterator().next().getLong(0);
        assertThat(rows).as("the expired day's rows went with its partition").isZero();
    }

    private List<String> partitions() throws Exception {
        List<String> out = new ArrayList<>();
        join(pool.query("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'telemetry' ORDER BY 1""").execute())
                .forEach(r -> out.add(r.getString(0)));
        return out;
    }

    private static <T> T join(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
