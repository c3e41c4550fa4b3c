package io.fleetwire.agent.internal.history;

/**
 * Count, min, max and sum of one metric over a span of time (a minute, or a bucket of minutes).
 * Mutable; owned by one thread at a time.
 */
final class Aggregate {

    long count;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum;

    Aggregate() {
    }

    Aggregate(long count, double min, double max, double sum) {
        this.count = count;
        this.min = min;
        this.max = max;
        this.sum = sum;
    }

    void add(double value) {
        count++;
        min = Math.min(min, value);
        max = Math.max(max, value);
        sum += value;
    }

    void merge(Aggregate other) {
        merge(other.count, other.min, other.max, other.sum);
    }

    void merge(long count, double min, double max, double sum) {
        this.count += count;
        this.min = Math.min(this.min, min);
        this.max = Math.max(this.max, max);
        this.sum += sum;
    }

    double avg() {
        return sum / count;
    }

    Aggregate copy() {
        return new Aggregate(count, min, max, sum);
    }
}
