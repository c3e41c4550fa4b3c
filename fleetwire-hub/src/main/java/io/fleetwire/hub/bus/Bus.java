package io.fleetwire.hub.bus;

import io.vertx.core.json.JsonObject;

import java.util.function.Consumer;

/**
 * How parts of the hub (and, later, several hub processes through NATS) tell each other what
 * happened. Every cross-feature notification goes through here, so that clustering replaces the
 * implementation, not the callers.
 */
public interface Bus {

    /** Delivers the event to every current subscriber of the topic. Never blocks. */
    void publish(String topic, JsonObject event);

    /** Subscribes; the returned handle cancels the subscription. */
    AutoCloseable subscribe(String topic, Consumer<JsonObject> subscriber);
}
