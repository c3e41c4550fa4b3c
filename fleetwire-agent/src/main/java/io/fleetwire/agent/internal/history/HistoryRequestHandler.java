package io.fleetwire.agent.internal.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetwire.agent.CommandHandler;
import io.fleetwire.agent.CommandOutcome;
import io.fleetwire.agent.CommandRequest;
import io.fleetwire.protocol.MetricName;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The {@code history_request} command (docs/protocol.md §9.1): params {@code from}, {@code to}
 * (RFC 3339 date-times, {@code from} before {@code to}) and optionally {@code metrics} (1–256
 * names). Answers with the stored per-minute aggregates overlapping [from, to), merged into
 * buckets coarse enough that the output stays within {@link #MAX_OUTPUT_CHARS} (see
 * {@link Downsampler} for its form).
 *
 * <p>A request the agent cannot read (a missing or malformed date, {@code from} not before
 * {@code to}, an empty or malformed {@code metrics}, an unknown param) fails, naming the problem. A
 * well-formed window with nothing stored in it — nothing kept yet, a window older than the
 * retention or in the future, metrics this device does not have — succeeds with empty
 * {@code metrics}: that is a true answer, and {@code storedFrom} (the oldest minute held, or null)
 * says why.
 */
public final class HistoryRequestHandler implements CommandHandler {

    public static final String TYPE = "history_request";
    /** Below the 65,536 characters the hub keeps of an output, with room to spare. */
    public static final int MAX_OUTPUT_CHARS = 60_000;
    static final int MAX_METRICS = 256;

    private final HistoryStore store;
    private final int maxChars;

    public HistoryRequestHandler(HistoryStore store) {
        this(store, MAX_OUTPUT_CHARS);
    }

    HistoryRequestHandler(HistoryStore store, int maxChars) {
        this.store = store;
        this.maxChars = maxChars;
    }

    @Override
    public CommandOutcome handle(CommandRequest request) throws IOException {
        ObjectNode params = request.params();
        for (Iterator<String> it = params.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!Set.of("from", "to", "metrics").contains(name)) {
                return CommandOutcome.failed("unknown param '" + name + "' (history_request takes from, to and metrics)");
            }
        }
        Instant from;
        Instant to;
        try {
            from = instant(params, "from");
            to = instant(params, "to");
        } catch (IllegalArgumentException e) {
            return CommandOutcome.failed(e.getMessage());
        }
        if (!from.isBefore(to)) {
            return CommandOutcome.failed("from (" + from + ") must be before to (" + to + ")");
        }
        Predicate<String> wanted;
        try {
            wanted = wanted(params.get("metrics"));
        } catch (IllegalArgumentException e) {
            return CommandOutcome.failed(e.getMessage());
        }
        Downsampler answer = new Downsampler(maxChars);
        store.scan(from, to, wanted, answer);
        return CommandOutcome.succeeded(answer.answer(from, to, store.oldest()));
    }

    private static Instant instant(ObjectNode params, String name) {
        JsonNode node = params.get(name);
        if (node == null || !node.isTextual()) {
            throw new IllegalArgumentException(name + " is required: a date-time such as 2026-11-22T08:00:00Z");
        }
        try {
            return OffsetDateTime.parse(node.textValue()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " is not a date-time (RFC 3339, e.g. 2026-11-22T08:00:00Z): '"
                    + clip(node.textValue()) + "'");
        }
    }

    private static Predicate<String> wanted(JsonNode metrics) {
        if (metrics == null) {
            return name -> true;
        }
        if (!metrics.isArray() || metrics.isEmpty() || metrics.size() > MAX_METRICS) {
            throw new IllegalArgumentException("metrics must be a list of 1–" + MAX_METRICS
                    + " metric names (leave it out for every metric)");
        }
        Set<String> names = new HashSet<>();
        for (JsonNode n : metrics) {
            if (!n.isTextual() || !MetricName.isValid(n.textValue())) {
                throw new IllegalArgumentException("metrics: '" + clip(io.fleetwire.protocol.JsonTrees.write(n))
                        + "' is not a metric name (1–128 of A–Z a–z 0–9 . _ - : /)");
            }
            names.add(n.textValue());
        }
        return names::contains;
    }

    private static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
