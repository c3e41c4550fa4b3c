package io.fleetwire.jmh;

import io.fleetwire.protocol.Message;
import io.fleetwire.sim.TelemetryGenerator;

import java.time.Instant;
import java.util.List;

/**
 * The benchmarks' inputs: seed 003-shaped telemetry from the simulator's {@link TelemetryGenerator}
 * (20 temperatures, 5 voltages, 4 fans, system health: 41 stored values a sample), one generator per
 * simulated device, each stepped a few times so that values have drifted as on a running fleet.
 */
final class Inputs {

    /** Devices whose telemetry the benchmarks cycle through, so no single frame is all the JIT sees. */
    static final int DEVICES = 64;

    private static final Instant START = Instant.parse("2026-11-23T12:00:00Z");
    private static final int WARM_STEPS = 10;

    private Inputs() {
    }

    /** One telemetry message of one sample per device, each with its own seq, as the agent sends them. */
    static List<Message.Telemetry> telemetry() {
        return java.util.stream.IntStream.range(0, DEVICES)
                .mapToObj(d -> new Message.Telemetry(1_000L + d, List.of(sample(d))))
                .toList();
    }

    /** The newest sample of device {@code device} after {@link #WARM_STEPS} steps of 3 s. */
    static Message.Sample sample(int device) {
        TelemetryGenerator generator = new TelemetryGenerator(device);
        Message.Sample sample = null;
        for (int step = 0; step < WARM_STEPS; step++) {
            sample = generator.next(START.plusSeconds(3L * step));
        }
        return sample;
    }

    /** Values handed out in turn, round and round. Not thread-safe: one per benchmark thread ({@code Scope.Thread}). */
    static final class Ring<T> {

        private final List<T> values;
        private int next = -1;

        Ring(List<? extends T> values) {
            this.values = List.copyOf(values);
        }

        T next() {
            next = next + 1 == values.size() ? 0 : next + 1;
            return values.get(next);
        }
    }
}
