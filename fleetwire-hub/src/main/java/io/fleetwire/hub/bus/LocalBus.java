package io.fleetwire.hub.bus;

import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** In-process {@link Bus}: subscribers run on the publisher's thread and must not block. */
public final class LocalBus implements Bus {

    private static final Logger log = LoggerFactory.getLogger(LocalBus.class);

    private final Map<String, List<Consumer<JsonObject>>> subscribers = new ConcurrentHashMap<>();

    @Override
    public void publish(String topic, JsonObject event) {
        for (Consumer<JsonObject> s : subscribers.getOrDefault(topic, List.of())) {
            try {
                s.accept(event);
            } catch (RuntimeException e) {
                log.error("Subscriber of {} failed", topic, e);
            }
        }
    }

    @Override
    public AutoCloseable subscribe(String topic, Consumer<JsonObject> subscriber) {
        subscribers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(subscriber);
        return () -> subscribers.getOrDefault(topic, List.of()).remove(subscriber);
    }
}
