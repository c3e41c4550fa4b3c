package io.fleetwire.sim;

/**
 * A command as a simulated device first received it (resends of the same id are not reported again).
 *
 * @param deviceId        the receiving device's id
 * @param commandId       the command's id
 * @param name            the command type, e.g. {@code buzz}
 * @param attempt         the frame's {@code attempt} (1 unless it is a resend the device had not seen)
 * @param receivedAtNanos {@link System#nanoTime()} when the frame was decoded on the device's event loop,
 *                        comparable with {@code System.nanoTime()} taken elsewhere in the same JVM
 */
public record CommandReceipt(String deviceId, String commandId, String name, int attempt, long receivedAtNanos) {
}
