package io.fleetwire.bench;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlotsTest {

    private static Histogram latencies(long baseNanos) {
        Histogram h = new Histogram(60_000_000_000L, 3);
        for (int i = 1; i <= 10_000; i++) {
            h.recordValue(baseNanos + (long) i * i);
        }
        return h;
    }

    private static Set<Integer> colours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int x = 0; x < img.getWidth(); x += 3) {
            for (int y = 0; y < img.getHeight(); y += 3) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen;
    }

    @Test
    void latencyDistribution_writesAPngWithTheLines(@TempDir Path dir) throws Exception {
        LinkedHashMap<String, Histogram> series = new LinkedHashMap<>();
        series.put("a", latencies(1_000_000));
        series.put("b", latencies(3_000_000));
        Path png = dir.resolve("sub/latency.png");
        Plots.latencyDistribution(png, "Latency", series);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(900);
        assertThat(img.getHeight()).isEqualTo(500);
        assertThat(colours(img)).as("background, axes, text and two series colours").hasSizeGreaterThan(5);
    }

    @Test
    void memoryPerConnection_writesAPng(@TempDir Path dir) throws Exception {
        LinkedHashMap<String, List<double[]>> series = new LinkedHashMap<>();
        series.put("hub heap", List.of(new double[]{5_000, 17_000}, new double[]{10_000, 15_000}));
        series.put("mosquitto", List.of(new double[]{5_000, 700}, new double[]{10_000, 690}));
        Path png = dir.resolve("memory.png");
        Plots.memoryPerConnection(png, "Memory", series);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(900);
        assertThat(colours(img)).hasSizeGreaterThan(5);
    }

    @Test
    void thePercentileAxis_isLabelledInNines() {
        assertThat(Plots.label(0)).isEqualTo("0%");
        assertThat(Plots.label(2)).isEqualTo("99%");
        assertThat(Plots.label(4)).isEqualTo("99.99%");
        assertThat(Plots.label(3.5)).as("99.97 %% would round to 100.0%%").isEmpty();
    }

    @Test
    void nothingToPlot_isRefusedClearly(@TempDir Path dir) {
        assertThatThrownBy(() -> Plots.latencyDistribution(dir.resolve("x.png"), "t", new LinkedHashMap<>()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no latency series");
        LinkedHashMap<String, Histogram> empty = new LinkedHashMap<>();
        empty.put("empty", new Histogram(3));
        assertThatThrownBy(() -> Plots.latencyDistribution(dir.resolve("x.png"), "t", empty))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'empty' has no values");
        LinkedHashMap<String, List<double[]>> noPoints = new LinkedHashMap<>();
        noPoints.put("none", List.of());
        assertThatThrownBy(() -> Plots.memoryPerConnection(dir.resolve("y.png"), "t", noPoints))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'none' has no points");
        assertThat(dir.resolve("x.png")).doesNotExist();
    }
}
