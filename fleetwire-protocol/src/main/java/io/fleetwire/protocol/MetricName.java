package io.fleetwire.protocol;

/**
 * Name of a numeric metric, such as {@code cpu.usage} or {@code sensor.cpu_temp.temperature}.
 * 1–128 characters from letters, digits and {@code . _ - : /}.
 */
public record MetricName(String value) {

    public static final int MAX_LENGTH = 128;

    public MetricName {
        if (!isValid(value)) {
            throw new IllegalArgumentException("invalid metric name: " + value);
        }
    }

    /** A loop, not a regex: every metric name of every sample passes through here. */
    public static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (!isAllowed(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Letters, digits and {@code . _ - : /}. */
    public static boolean isAllowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '.' || c == ':' || c == '/' || c == '-';
    }

    @Override
    public String toString() {
        return value;
    }
}
