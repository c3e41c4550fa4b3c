package io.fleetwire.sim;

import java.util.Objects;

/**
 * One simulated device as the hub knows it.
 *
 * @param id    the device's id (a UUID, as the hub gave it)
 * @param name  its unique name on the hub
 * @param token its device token ({@code fwd_…}); a secret, so {@link #toString()} leaves it out
 */
public record SimDevice(String id, String name, String token) {

    public SimDevice {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(token, "token");
        if (id.isBlank() || name.isBlank() || token.isBlank()) {
            throw new IllegalArgumentException("a simulated device needs a non-blank id, name and token");
        }
    }

    @Override
    public String toString() {
        return "SimDevice[id=" + id + ", name=" + name + "]";
    }
}
