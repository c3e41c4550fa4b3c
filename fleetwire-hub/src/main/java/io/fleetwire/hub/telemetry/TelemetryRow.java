package io.fleetwire.hub.telemetry;

import io.fleetwire.protocol.DeviceId;

import java.time.Instant;
import java.util.List;

/** One sample ready to store: names (sorted, interned as a metric set) and their values. */
record TelemetryRow(DeviceId device, Instant ts, long seq, short idx, List<String> names, double[] values) {
}
