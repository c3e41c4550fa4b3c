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

    /** Sends a WebSocket ping frame. */
    void ping();

    /** Ends the connection with this code; calls back {@link PresenceRegistry#disconnected}. */
    void close(CloseCode code);
}
