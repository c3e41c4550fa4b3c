package io.fleetwire.hub.telemetry;

import io.fleetwire.protocol.ErrorCode;

/** A telemetry message the hub will not store, with the error code to answer the device with. */
public final class TelemetryRejected extends RuntimeException {

    private final ErrorCode code;

    public TelemetryRejected(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
