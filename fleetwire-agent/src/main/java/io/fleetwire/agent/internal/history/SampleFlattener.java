package io.fleetwire.agent.internal.history;

import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.MetricFlattener;

import java.util.Map;

/**
 * A sample as named numbers, named exactly as the hub names them when it stores telemetry (the
 * shared {@link MetricFlattener}, docs/protocol.md §8), so a history upload and the hub's own history
 * speak of the same metrics. Values too large for a 32-bit float (the store keeps min and max as
 * floats) are left out; the flattener already leaves out values that are not finite.
 */
final class SampleFlattener {

    private SampleFlattener() {
    }

    static Map<String, Double> flatten(Message.Sample s) {
        Map<String, Double> out = MetricFlattener.flatten(s);
        out.values().removeIf(v -> Math.abs(v) > Float.MAX_VALUE);
        return out;
    }
}
