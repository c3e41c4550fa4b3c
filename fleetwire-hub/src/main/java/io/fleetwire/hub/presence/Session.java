package io.fleetwire.hub.presence;

import io.fleetwire.protocol.CloseCode;
import io.fleetwire.protocol.DeviceId;

import java.time.Instant;

/** A device's live connection, as presence sees it. Implementations are thread-safe. */
public interface Session {

    DeviceId deviceId();

    /** When the last frame (of any kind, pongs included) arrived. */
    Instant lastSeen();

    /** Writes a message to the device; false when the socket is closing or gone (the message is not sent). */
    boolean send(io.fleetwire.protocol.Message message);

    /**
     * The device's settings changed: the session remembers them for its next welcome and sends them
     * as a {@code config} message. Settings older than the ones it holds are ignored.
     */
    void configure(io.fleetwire.protocol.Message.Settings settings);

    /** Sends a WebSocket ping frame. */
    void ping();

    /** Ends the connection with this code; calls back {@link PresenceRegistry#disconnected}. */
    void close(CloseCode code);
}
