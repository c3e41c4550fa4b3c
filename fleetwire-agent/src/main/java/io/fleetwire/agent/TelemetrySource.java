package io.fleetwire.agent;

import io.fleetwire.protocol.Message;

/**
 * Takes one sample of the device's state; the agent calls it once per telemetry interval (an
 * interval the hub sets) on its own thread and sends the result, acknowledged, in order.
 */
@FunctionalInterface
public interface TelemetrySource {

    Message.Sample sample() throws Exception;
}
