package io.fleetwire.hub.telemetry;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps one {@code telemetry} partition per UTC day from the retention horizon to
 * {@value #DAYS_AHEAD} days ahead, and drops partitions that fell behind the horizon. Runs at start
 * and then hourly. Samples outside that window are refused at ingest ({@link #accepts}).
 */
public final class PartitionMaintainer {

    static final int DAYS_AHEAD = 3;
    private static final Logger log = LoggerFactory.getLogger(PartitionMaintainer.class);
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'telemetry_p'yyyyMMdd");

    private final Vertx vertx;
    private final Pool pool;
    private final int retentionDays;
    private final Clock clock;
    private long timerId = -1;

    public PartitionMaintainer(Vertx vertx, Pool pool, int retentionDays, Clock clock) {
        this.vertx = vertx;
        this.pool = pool;
        this.retentionDays = retentionDays;
        this.clock = clock;
    }

    public Future<Void> start() {
        timerId = vertx.setPeriodic(3_600_000, id -> maintain()
                .onFailure(e -> log.error("Telemetry partition maintenance failed", e)));
        return maintain();
    }

    public void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** Oldest instant a sample may carry: the start of the oldest kept day. */
    public Instant horizon() {
        return today().minusDays(retentionDays).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** First instant that is too new: partitions exist further ahead, but the window stays a day clear of them. */
    public Instant newestAccepted() {
        return today().plusDays(DAYS_AHEAD - 1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** True when a sample at {@code ts} has a partition to go to, now and for the next day. */
    public boolean accepts(Instant ts) {
        return !ts.isBefore(horizon()) && ts.isBefore(newestAccepted());
    }

    Future<Void> maintain() {
        LocalDate first = today().minusDays(retentionDays);
        LocalDate last = today().plusDays(DAYS_AHEAD);
        return pool.query("""
                        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                        JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'telemetry'""").execute()
                .compose(rows -> {
                    List<String> existing = new ArrayList<>();
                    rows.forEach(r -> existing.add(r.getString(0)));
                    List<String> statements = new ArrayList<>();
                    for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
                        String name = NAME.format(day);
                        if (!existing.contains(name)) {
                            statements.add("CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF telemetry FOR VALUES FROM ('"
                                    + day + "') TO ('" + day.plusDays(1) + "')");
                        }
                    }
                    for (String name : existing) {
                        LocalDate day = LocalDate.parse(name.substring("telemetry_p".length()), DateTimeFormatter.BASIC_ISO_DATE);
                        if (day.isBefore(first)) {
                            log.info("Dropping telemetry partition {} (older than {} days)", name, retentionDays);
                            statements.add("DROP TABLE IF EXISTS " + name);
                        }
                    }
                    Future<Void> chain = Future.succeededFuture();
                    for (String sql : statements) {
                        chain = chain.compose(v -> pool.query(sql).execute().mapEmpty());
                    }
                    return chain;
                });
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
