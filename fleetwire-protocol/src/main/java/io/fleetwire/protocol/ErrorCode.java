package io.fleetwire.protocol;

/** Codes carried by {@link Message.Error} frames, each with its wire name. */
public enum ErrorCode {
    /** The frame is not JSON, or not a JSON object. */
    BAD_JSON("bad_json"),
    /** The {@code type} field is missing or names no known message. */
    UNKNOWN_TYPE("unknown_type"),
    /** The message is well-formed JSON but breaks the protocol's rules (field missing, wrong type, out of range). */
    INVALID_MESSAGE("invalid_message"),
    /** The message cannot be accepted from this peer (wrong agent id, wrong direction). */
    FORBIDDEN("forbidden"),
    /** The message names something that does not exist for this peer (e.g. a command never sent to this device). */
    NOT_FOUND("not_found"),
    /** The peer sends faster than its allowance; the message was dropped, not stored. */
    RATE_LIMITED("rate_limited"),
    /** The hub's bounded queue is full; the message was dropped, not stored; send it again later. */
    OVERLOADED("overloaded"),
    /** The hub failed to process the message; send it again later. */
    INTERNAL("internal");

    private final String wireName;

    ErrorCode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** True when re-sending the same message later may succeed. */
    public boolean retryable() {
        return this == RATE_LIMITED || this == OVERLOADED || this == INTERNAL;
    }

    public static ErrorCode fromWire(String name) {
        for (ErrorCode code : values()) {
            if (code.wireName.equals(name)) {
                return code;
            }
        }
        throw new IllegalArgumentException("unknown error code: " + name);
    }
}
