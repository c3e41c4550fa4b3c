package io.fleetwire.bench;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlotsTest {

    @Test
    void latencyDistribution_writesAPngWithEverySeriesDrawn(@TempDir Path dir) throws IOException {
        LinkedHashMap<String, Histogram> series = new LinkedHashMap<>();
        series.put("Fleetwire command REST→device", latencies(1, 2.5, 10_000));
        series.put("Fleetwire ack after commit", latencies(2, 8.0, 10_000));
        series.put("Mosquitto PUBACK", latencies(3, 0.3, 10_000));
        Path png = dir.resolve("plots/nested/latency.png");

        Plots.latencyDistribution(png, "Latency by percentile", series);

        assertDrawn(png);
    }

    @Test
    void memoryPerConnection_writesAPngWithEverySeriesDrawn(@TempDir Path dir) throws IOException {
        LinkedHashMap<String, List<double[]>> series = new LinkedHashMap<>();
        series.put("Fleetwire hub heap", List.of(new double[]{1_000, 28.9 * 1024}, new double[]{5_000, 17.4 * 1024},
                new double[]{10_000, 20.1 * 1024}));
        series.put("Fleetwire hub RSS", List.of(new double[]{1_000, 100.3 * 1024}, new double[]{5_000, 87.7 * 1024},
                new double[]{10_000, 56.6 * 1024}));
        series.put("Mosquitto RSS", List.of(new double[]{200, 0.7 * 1024}, new double[]{1_000, 0.8 * 1024}));
        Path png = dir.resolve("memory.png");

        Plots.memoryPerConnection(png, "Memory per connection", series);

        assertDrawn(png);
    }

    @Test
    void nothingToPlot_isRefusedWithTheReason(@TempDir Path dir) {
        Path png = dir.resolve("x.png");
        assertThatThrownBy(() -> Plots.latencyDistribution(png, "t", new LinkedHashMap<>()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no series");
        assertThatThrownBy(() -> Plots.memoryPerConnection(png, "t", new LinkedHashMap<>()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no series");

        LinkedHashMap<String, Histogram> empty = new LinkedHashMap<>();
        empty.put("Fleetwire ack after commit", new Histogram(3));
        assertThatThrownBy(() -> Plots.latencyDistribution(png, "t", empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Fleetwire ack after commit' has no values");

        LinkedHashMap<String, List<double[]>> noPoints = new LinkedHashMap<>();
        noPoints.put("Mosquitto RSS", List.of());
        assertThatThrownBy(() -> Plots.memoryPerConnection(png, "t", noPoints))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Mosquitto RSS' has no points");
        LinkedHashMap<String, List<double[]>> badPoint = new LinkedHashMap<>();
        badPoint.put("Mosquitto RSS", List.of(new double[]{200}));
        assertThatThrownBy(() -> Plots.memoryPerConnection(png, "t", badPoint))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{connections, bytesPerConnection}");
        assertThat(png).doesNotExist();
    }

    @Test
    void percentileAxis_labelsHalfAndTheNines_only() {
        assertThat(Plots.percentileLabel(2)).isEqualTo("50%");
        assertThat(Plots.percentileLabel(10)).isEqualTo("90%");
        assertThat(Plots.percentileLabel(100)).isEqualTo("99%");
        assertThat(Plots.percentileLabel(1_000)).isEqualTo("99.9%");
        assertThat(Plots.percentileLabel(10_000)).isEqualTo("99.99%");
        assertThat(Plots.percentileLabel(1)).isEmpty();
        assertThat(Plots.percentileLabel(3)).isEmpty();
        assertThat(Plots.percentileLabel(20)).isEmpty();
    }

    /** Log-normal-ish latencies around {@code medianMs}, in nanoseconds. */
    private static Histogram latencies(long seed, double medianMs, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        Histogram h = new Histogram(3);
        for (int i = 0; i < count; i++) {
            h.recordValue((long) (medianMs * 1e6 * Math.exp(0.6 * random.nextGaussian())));
        }
        return h;
    }

    /** The file is a PNG of the promised size with more than axes and text on it: coloured lines. */
    private static void assertDrawn(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG ImageIO can read").isNotNull();
        assertThat(image.getWidth()).isEqualTo(Plots.WIDTH);
        assertThat(image.getHeight()).isEqualTo(Plots.HEIGHT);
        Set<Integer> colours = new HashSet<>();
        int saturated = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                int r = rgb >> 16 & 0xFF;
                int g = rgb >> 8 & 0xFF;
                int b = rgb & 0xFF;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) {
                    saturated++;
                }
            }
        }
        assertThat(colours).as("distinct colours").hasSizeGreaterThan(10);
        assertThat(saturated).as("pixels of the series' colours (axes, grid and text are grey)").isGreaterThan(500);
    }
}
