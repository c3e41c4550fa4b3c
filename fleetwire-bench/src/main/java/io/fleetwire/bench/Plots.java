package io.fleetwire.bench;

import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The benchmark report's PNG plots (XChart, headless):
 * <ul>
 *   <li>{@link #latencyDistribution}: HdrHistogram's percentile distribution, latency (ms) against
 *       percentile on a scale of log10(1/(1−p)) (0 = p0, 1 = p90, 2 = p99 …), so the tail up to p99.99
 *       is readable;</li>
 *   <li>{@link #memoryPerConnection}: server memory per held connection (KB) against connections held.</li>
 * </ul>
 */
final class Plots {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;
    /** Percentiles marked on the x axis, at log10(1/(1−p)) = 0, 1, 2, 3, 4. */
    private static final String[] TICK_LABELS = {"0%", "90%", "99%", "99.9%", "99.99%"};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {
    }

    /** One line per series (values in nanoseconds), from p0 up to each series' largest value. */
    static void latencyDistribution(Path png, String title, LinkedHashMap<String, Histogram> series) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("no latency series to plot");
        }
        XYChart chart = chart(title, "percentile", "latency, ms");
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(4.0);
        chart.setCustomXAxisTickLabelsFormatter(Plots::label);
        series.forEach((name, h) -> {
            if (h.getTotalCount() == 0) {
                throw new IllegalArgumentException("series '" + name + "' has no values");
            }
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (double p = 0; p <= 99.99; p = p < 90 ? p + 1 : p + (100 - p) / 10) {
                xs.add(Math.log10(1 / (1 - p / 100)));
                ys.add(h.getValueAtPercentile(p) / 1e6);
            }
            chart.addSeries(name, xs, ys).setMarker(SeriesMarkers.NONE);
        });
        write(chart, png);
    }

    /** One line with markers per series; each point is {connections, bytes per connection}. */
    static void memoryPerConnection(Path png, String title, LinkedHashMap<String, List<double[]>> series) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("no memory series to plot");
        }
        XYChart chart = chart(title, "connections held", "KB per connection");
        series.forEach((name, points) -> {
            if (points.isEmpty()) {
                throw new IllegalArgumentException("series '" + name + "' has no points");
            }
            List<Double> xs = points.stream().map(p -> p[0]).toList();
            List<Double> ys = points.stream().map(p -> p[1] / 1024).toList();
            chart.addSeries(name, xs, ys).setMarker(SeriesMarkers.CIRCLE);
        });
        write(chart, png);
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
        Styler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Vertical);
        s.setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setYAxisMin(0.0);
        return chart;
    }

    /** The tick label at {@code x} = log10(1/(1−p)): the percentile at whole numbers of nines, nothing between. */
    static String label(double x) {
        long whole = Math.round(x);
        if (Math.abs(x - whole) < 1e-9 && whole >= 0 && whole < TICK_LABELS.length) {
            return TICK_LABELS[(int) whole];
        }
        // Between the nines a rounded label misleads (3.5 is 99.97 %, which rounds to "100.0%"): none.
        return "";
    }

    private static void write(XYChart chart, Path png) {
        try {
            if (png.toAbsolutePath().getParent() != null) {
                Files.createDirectories(png.toAbsolutePath().getParent());
            }
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }
}
