package io.fleetwire.agent.internal.history;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Merges per-minute aggregates into buckets as fine as the answer allows: it starts at one minute
 * and, whenever the points gathered so far would not fit in {@code maxChars} of JSON, moves to the
 * next coarser bucket (1, 5, 15, 30 min, 1, 3, 6, 12 h, 1 day, then doubling), each a multiple of
 * the one before, so merging is exact. Memory stays near {@code maxChars / 60} points whatever the
 * window. When even one point per metric is too much, metrics are left out (the last by name) and
 * the answer says {@code truncated}.
 *
 * <p>Answer: {@code {"from","to","bucketSeconds","columns":["ts","avg","min","max","count"],
 * "metrics":{name:[[ts,avg,min,max,count],…]},"truncated","storedFrom"}}, {@code ts} being the
 * bucket's start in epoch ms (never before {@code from}). Not thread-safe.
 */
final class Downsampler implements DayFile.Sink {

    private static final long[] LADDER = {60, 300, 900, 1_800, 3_600, 10_800, 21_600, 43_200, 86_400};
    /** A typical point, {@code [1763800000000,12.25,3.5,40.75,20],} is 40–60 characters. */
    private static final int POINT_CHARS = 60;
    private static final int FIXED_CHARS = 300;

    private final int maxChars;
    private final int maxMetrics;
    private final TreeMap<String, TreeMap<Long, Aggregate>> series = new TreeMap<>();
    private long bucketSeconds = LADDER[0];
    private long points;
    private long nameChars;
    private boolean truncated;

    Downsampler(int maxChars) {
        this.maxChars = maxChars;
        // Even a one-point metric takes ~30 characters: more than this many can never all be shown.
        this.maxMetrics = Math.max(1, maxChars / 30);
    }

    @Override
    public boolean minute(long epochMinute, String name, long count, double min, double max, double sum) {
        TreeMap<Long, Aggregate> s = series.get(name);
        if (s == null) {
            if (series.size() >= maxMetrics) {
                truncated = true;
                return true;
            }
            s = new TreeMap<>();
            series.put(name, s);
            nameChars += name.length() + 6;
        }
        long bucket = Math.floorDiv(epochMinute * 60, bucketSeconds) * bucketSeconds;
        Aggregate a = s.get(bucket);
        if (a != null) {
            a.merge(count, min, max, sum);
            return true;
        }
        s.put(bucket, new Aggregate(count, min, max, sum));
        points++;
        while (FIXED_CHARS + nameChars + points * POINT_CHARS > maxChars && coarsen()) {
            // coarser until it fits, or every metric is down to one point
        }
        return true;
    }

    long bucketSeconds() {
        return bucketSeconds;
    }

    /** Moves to the next coarser bucket size; false when no metric has more than one point. */
    private boolean coarsen() {
        if (points <= series.size()) {
            return false;
        }
        bucketSeconds = next(bucketSeconds);
        points = 0;
        for (Map.Entry<String, TreeMap<Long, Aggregate>> e : series.entrySet()) {
            TreeMap<Long, Aggregate> merged = new TreeMap<>();
            for (Map.Entry<Long, Aggregate> p : e.getValue().entrySet()) {
                long bucket = Math.floorDiv(p.getKey(), bucketSeconds) * bucketSeconds;
                Aggregate a = merged.get(bucket);
                if (a == null) {
                    merged.put(bucket, p.getValue());
                } else {
                    a.merge(p.getValue());
                }
            }
            points += merged.size();
            e.setValue(merged);
        }
        return true;
    }

    private static long next(long seconds) {
        for (long step : LADDER) {
            if (step > seconds) {
                return step;
            }
        }
        return seconds * 2;
    }

    /** The answer, at most {@code maxChars} characters as JSON. */
    ObjectNode answer(Instant from, Instant to, Optional<Instant> storedFrom) {
        while (true) {
            ObjectNode out = build(from, to, storedFrom);
            int length = io.fleetwire.protocol.JsonTrees.write(out).length();
            if (length <= maxChars || series.isEmpty()) {
                return out;
            }
            if (!coarsen()) {
                leaveOut(length - maxChars, out.path("metrics"));
            }
        }
    }

    /** Drops the last metrics by name until at least {@code excess} characters are gone. */
    private void leaveOut(int excess, com.fasterxml.jackson.databind.JsonNode metrics) {
        truncated = true;
        List<String> names = new ArrayList<>(series.descendingKeySet());
        int gone = 0;
        for (String name : names) {
            if (gone >= excess) {
                break;
            }
            gone += name.length() + 4 + io.fleetwire.protocol.JsonTrees.write(metrics.path(name)).length();
            points -= series.remove(name).size();
        }
    }

    private ObjectNode build(Instant from, Instant to, Optional<Instant> storedFrom) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode out = json.objectNode();
        out.put("from", from.toString()).put("to", to.toString()).put("bucketSeconds", bucketSeconds);
        out.putArray("columns").add("ts").add("avg").add("min").add("max").add("count");
        ObjectNode metrics = out.putObject("metrics");
        // Buckets never start before 1970; a from far beyond any date stored cannot overflow.
        long fromMs = from.getEpochSecond() < 0 ? 0 : from.getEpochSecond() > 1L << 40 ? Long.MAX_VALUE : from.toEpochMilli();
        for (Map.Entry<String, TreeMap<Long, Aggregate>> e : series.entrySet()) {
            ArrayNode list = metrics.putArray(e.getKey());
            for (Map.Entry<Long, Aggregate> p : e.getValue().entrySet()) {
                Aggregate a = p.getValue();
                list.addArray().add(Math.max(fromMs, p.getKey() * 1000)).add((float) a.avg()).add((float) a.min)
                        .add((float) a.max).add(a.count);
            }
        }
        out.put("truncated", truncated);
        if (storedFrom.isPresent()) {
            out.put("storedFrom", storedFrom.get().toString());
        } else {
            out.putNull("storedFrom");
        }
        return out;
    }
}
