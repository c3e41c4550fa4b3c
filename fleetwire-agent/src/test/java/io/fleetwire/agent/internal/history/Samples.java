package io.fleetwire.agent.internal.history;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fleetwire.protocol.Message;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Samples for the history tests. */
final class Samples {

    private Samples() {
    }

    static Message.Sample metrics(Instant ts, Map<String, Double> metrics) {
        return new Message.Sample(ts, metrics, List.of(), List.of(), Map.of(), JsonNodeFactory.instance.objectNode());
    }

    static Message.Sample cpu(Instant ts, double usage) {
        return metrics(ts, Map.of("cpu.usage", usage));
    }
}
