package io.fleetwire.protocol;

import java.util.regex.Pattern;

/**
 * Name of a numeric metric, such as {@code cpu.usage} or {@code sensor.cpu_temp.temperature}.
 * 1–128 characters from letters, digits and {@code . _ - : /}.
 */
public record MetricName(String value) {

    public static final int MAX_LENGTH = 128;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.:/\\-]{1,128}");

    public MetricName {
        if (!isValid(value)) {
            throw new IllegalArgumentException("invalid metric name: " + value);
        }
    }

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
