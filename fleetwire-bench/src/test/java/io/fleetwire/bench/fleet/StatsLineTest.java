package io.fleetwire.bench.fleet;

import io.fleetwire.sim.FleetStats;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatsLineTest {

    private static Histogram histogram(long... values) {
        Histogram h = new Histogram(60_000_000_000L, 3);
        for (long v : values) {
            h.recordValue(v);
        }
        return h;
    }

    private static FleetStats stats(int base) {
        return new FleetStats(1_000 + base, 10 + base, 9, 1, 100 + base, 2, 98, 2, 0, 0, 1, 3, 4, 5, 4, 4, 0, 6, 7, 0,
                123_456 + base, 654_321, histogram(1_000_000, 2_000_000 + base), histogram(5_000), histogram());
    }

    @Test
    void aSnapshot_survivesTheLine_countersAndHistograms() {
        FleetStats s = stats(0);
        FleetStats back = StatsLine.decode(StatsLine.encode(s));
        assertThat(back).usingRecursiveComparison().ignoringFieldsOfTypes(Histogram.class).isEqualTo(s);
        assertThat(back.ackLatency().getTotalCount()).isEqualTo(2);
        assertThat(back.ackLatency().getMaxValue()).isEqualTo(s.ackLatency().getMaxValue());
        assertThat(back.commandReceiptLatency().getValueAtPercentile(50)).isEqualTo(s.commandReceiptLatency().getValueAtPercentile(50));
        assertThat(back.commandResultLatency().getTotalCount()).isZero();
    }

    @Test
    void twoProcessesSnapshots_addUp() {
        FleetStats sum = stats(0).plus(stats(5));
        assertThat(sum.devices()).isEqualTo(25);
        assertThat(sum.telemetrySent()).isEqualTo(205);
        assertThat(sum.elapsedNanos()).isEqualTo(1_005);
        assertThat(sum.ackLatency().getTotalCount()).isEqualTo(4);
        assertThat(sum.bytesOut()).isEqualTo(2 * 654_321);
    }

    @Test
    void aDamagedLine_isRefused() {
        assertThatThrownBy(() -> StatsLine.decode("1 2 3")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("25 fields");
        String good = StatsLine.encode(stats(0));
        assertThatThrownBy(() -> StatsLine.decode(good.replaceFirst("^\\d+", "x"))).isInstanceOf(NumberFormatException.class);
    }
}
