package io.fleetwire.hub.config;

import io.fleetwire.hub.db.BatchWriter;

import java.time.Duration;

/**
 * Internal limits that are not environment variables (not part of {@link ConfigKey}): the defaults
 * serve production; tests set them small to reach the limits with few devices.
 *
 * @param maxUpgradesInProgress device upgrades (token lookup until the connect is stored) in progress
 *                              at once; beyond it the hub answers 503 with {@code Retry-After}
 * @param eventLoops            HTTP servers on the hub's port, each on its own event loop (sockets are spread
 *                              over them); default: one per core
 * @param batches               batches of the presence writer and of the applied-settings reports:
 *                              queue bound, largest batch, and how long the first change after a
 *                              quiet spell waits for company
 */
public record HubTuning(int maxUpgradesInProgress, int eventLoops, BatchWriter.Config batches) {

    public static final HubTuning DEFAULTS = new HubTuning(512,
            Math.max(1, Runtime.getRuntime().availableProcessors()), new BatchWriter.Config(1_000_000, 2_000, Duration.ofMillis(2)));

    public HubTuning {
        if (maxUpgradesInProgress < 1) {
            throw new IllegalArgumentException("maxUpgradesInProgress must be positive");
        }
        if (eventLoops < 1) {
            throw new IllegalArgumentException("eventLoops must be positive");
        }
    }

    public HubTuning withMaxUpgradesInProgress(int max) {
        return new HubTuning(max, eventLoops, batches);
    }

    public HubTuning withBatches(BatchWriter.Config config) {
        return new HubTuning(maxUpgradesInProgress, eventLoops, config);
    }
}
