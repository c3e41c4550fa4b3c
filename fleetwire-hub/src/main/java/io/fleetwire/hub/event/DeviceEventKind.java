package io.fleetwire.hub.event;

/** What happened to a device, with its wire name in {@code device_events.kind} and the API. */
public enum DeviceEventKind {
    CREATED("created"),
    REGISTERED("registered"),
    CONNECTED("connected"),
    DISCONNECTED("disconnected"),
    REPLACED("replaced"),
    UPDATED("updated"),
    DELETED("deleted");

    private final String wireName;

    DeviceEventKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
