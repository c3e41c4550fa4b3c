package io.fleetwire.sim;

import org.HdrHistogram.Histogram;

import java.time.Duration;

/**
 * A snapshot of a {@link Fleet}, taken by {@link Fleet#stats()}. Counters count from the fleet's start; the
 * histograms are copies (the fleet keeps recording into its own), in <b>nanoseconds</b>, 3 significant digits.
 * Take two snapshots and {@link #since(FleetStats)} for what happened between them.
 *
 * <p><b>Bytes</b> ({@link #bytesIn()}, {@link #bytesOut()}) are counted at the socket: every byte the
 * simulator's sockets read from or wrote to the kernel's TCP stream, i.e. the HTTP upgrade request and
 * response, every WebSocket frame header (2–14 bytes; client frames carry a 4-byte mask key) and payload
 * (compressed when permessage-deflate was negotiated), control frames (ping, pong, close) included. TCP/IP
 * headers, retransmissions and TLS handshakes below the socket are not. {@link #bytesInPerDevicePerSecond()}
 * divides by the number of simulated devices and the snapshot's elapsed time.
 *
 * @param elapsedNanos           time since the fleet started (or between two snapshots, for {@link #since})
 * @param devices                simulated devices
 * @param connected              devices whose socket is open and welcomed right now (not a difference in {@code since})
 * @param deflateSockets         sockets opened with permessage-deflate negotiated
 * @param telemetrySent          telemetry messages created (each seq once), sent at once or after reconnecting
 * @param telemetryResent        telemetry frames written again (after a reconnect or a retryable error)
 * @param telemetryAcked         telemetry messages the hub acknowledged (committed), each seq once
 * @param telemetryUnacked       messages neither acked, dropped nor rejected yet: held for re-sending; at the end of
 *                               a run these are the ones whose storage is not known
 * @param telemetryDropped       telemetry dropped because a device's queue was over {@code maxUnacked}
 * @param telemetryRejected      telemetry refused by the hub with a non-retryable error (never stored)
 * @param retryableErrors        {@code rate_limited}, {@code overloaded}, {@code internal} error frames (message re-sent later)
 * @param duplicateAcks          acks for seqs already acked (a re-sent message that had been stored)
 * @param commandsReceived       distinct command ids received
 * @param commandFrames          {@code command} frames received, resends included
 * @param commandsAnswered       {@code command_result}s sent (succeeded or failed)
 * @param commandResultsStored   {@code command_result}s the hub acknowledged
 * @param commandsCancelled      commands not run because a {@code command_cancel} came first
 * @param reconnects             sockets lost and re-opened (first connects not counted)
 * @param connectFailures        connection attempts that failed (TCP, upgrade or handshake)
 * @param authFailures           upgrades refused with 401 or sockets closed with 4003: such a device stops
 * @param bytesIn                bytes read from the sockets, as described above
 * @param bytesOut               bytes written to the sockets, as described above
 * @param ackLatency             telemetry: frame written → {@code ack} decoded, ns
 * @param commandReceiptLatency  command frame decoded → the hub's {@code ack} of the device's {@code command_ack}, ns
 * @param commandResultLatency   command frame decoded → the hub's {@code ack} of the {@code command_result}, ns
 */
public record FleetStats(long elapsedNanos, int devices, int connected, long deflateSockets,
                         long telemetrySent, long telemetryResent, long telemetryAcked, long telemetryUnacked,
                         long telemetryDropped, long telemetryRejected, long retryableErrors, long duplicateAcks,
                         long commandsReceived, long commandFrames, long commandsAnswered, long commandResultsStored,
                         long commandsCancelled, long reconnects, long connectFailures, long authFailures,
                         long bytesIn, long bytesOut,
                         Histogram ackLatency, Histogram commandReceiptLatency, Histogram commandResultLatency) {

    /** The snapshot's time span. */
    public Duration elapsed() {
        return Duration.ofNanos(elapsedNanos);
    }

    /** Bytes read per simulated device per second over {@link #elapsed()} (0 when no time passed). */
    public double bytesInPerDevicePerSecond() {
        return perDevicePerSecond(bytesIn);
    }

    /** Bytes written per simulated device per second over {@link #elapsed()} (0 when no time passed). */
    public double bytesOutPerDevicePerSecond() {
        return perDevicePerSecond(bytesOut);
    }

    private double perDevicePerSecond(long bytes) {
        return elapsedNanos <= 0 || devices == 0 ? 0 : bytes / (double) devices / (elapsedNanos / 1e9);
    }

    /**
     * What happened between {@code earlier} and this snapshot: counters and histograms are differences,
     * {@link #connected()} and {@link #telemetryUnacked()} are this snapshot's. Both must come from the same fleet.
     */
    public FleetStats since(FleetStats earlier) {
        return new FleetStats(elapsedNanos - earlier.elapsedNanos, devices, connected,
                deflateSockets - earlier.deflateSockets,
                telemetrySent - earlier.telemetrySent, telemetryResent - earlier.telemetryResent,
                telemetryAcked - earlier.telemetryAcked, telemetryUnacked,
                telemetryDropped - earlier.telemetryDropped, telemetryRejected - earlier.telemetryRejected,
                retryableErrors - earlier.retryableErrors, duplicateAcks - earlier.duplicateAcks,
                commandsReceived - earlier.commandsReceived, commandFrames - earlier.commandFrames,
                commandsAnswered - earlier.commandsAnswered, commandResultsStored - earlier.commandResultsStored,
                commandsCancelled - earlier.commandsCancelled, reconnects - earlier.reconnects,
                connectFailures - earlier.connectFailures, authFailures - earlier.authFailures,
                bytesIn - earlier.bytesIn, bytesOut - earlier.bytesOut,
                minus(ackLatency, earlier.ackLatency), minus(commandReceiptLatency, earlier.commandReceiptLatency),
                minus(commandResultLatency, earlier.commandResultLatency));
    }

    /**
     * Two fleets' snapshots taken at about the same time, as one (e.g. fleets in several processes):
     * counts and histograms add up, the time span is the longer one.
     */
    public FleetStats plus(FleetStats other) {
        return new FleetStats(Math.max(elapsedNanos, other.elapsedNanos), devices + other.devices,
                connected + other.connected, deflateSockets + other.deflateSockets,
                telemetrySent + other.telemetrySent, telemetryResent + other.telemetryResent,
                telemetryAcked + other.telemetryAcked, telemetryUnacked + other.telemetryUnacked,
                telemetryDropped + other.telemetryDropped, telemetryRejected + other.telemetryRejected,
                retryableErrors + other.retryableErrors, duplicateAcks + other.duplicateAcks,
                commandsReceived + other.commandsReceived, commandFrames + other.commandFrames,
                commandsAnswered + other.commandsAnswered, commandResultsStored + other.commandResultsStored,
                commandsCancelled + other.commandsCancelled, reconnects + other.reconnects,
                connectFailures + other.connectFailures, authFailures + other.authFailures,
                bytesIn + other.bytesIn, bytesOut + other.bytesOut,
                add(ackLatency, other.ackLatency), add(commandReceiptLatency, other.commandReceiptLatency),
                add(commandResultLatency, other.commandResultLatency));
    }

    private static Histogram add(Histogram a, Histogram b) {
        Histogram h = a.copy();
        h.add(b);
        return h;
    }

    private static Histogram minus(Histogram later, Histogram earlier) {
        Histogram h = later.copy();
        h.subtract(earlier);
        return h;
    }
}
