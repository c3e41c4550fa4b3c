package io.fleetwire.hub.config;

/** A setting has a value the hub cannot use; the message names the variable and what is allowed. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
