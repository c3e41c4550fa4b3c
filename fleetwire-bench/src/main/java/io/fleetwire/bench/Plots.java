package io.fleetwire.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Canvas;
import java.awt.Color;
import java.awt.FontMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark report's figures as PNG files ({@value #WIDTH}×{@value #HEIGHT}), drawn with XChart
 * off-screen ({@code java.awt.headless} is set to true unless the JVM was started with a value).
 * Each method writes one file, creating its parent directories, and draws one line per entry of its
 * map, in the map's order, named by the key (the legend).
 *
 * <ul>
 *   <li>{@link #latencyDistribution}: the HdrHistogram percentile-distribution plot. x is the
 *   percentile on a log scale of 1/(1−p), labelled 50%, 90%, 99%, 99.9%, 99.99% (and further nines
 *   when the data reach them), y the latency in ms. Histograms hold nanoseconds, as the simulator's
 *   and the peer's do. E.g. "Fleetwire command REST→device", "Fleetwire ack after commit",
 *   "Mosquitto PUBACK".</li>
 *   <li>{@link #memoryPerConnection}: x the connections held, y the KB (1,024 bytes, as in the
 *   report's tables) per connection, one line with markers a series. E.g. "Fleetwire hub heap",
 *   "Fleetwire hub RSS", "Mosquitto RSS".</li>
 * </ul>
 *
 * Both throw {@link IllegalArgumentException} for nothing to draw (no series, a histogram without
 * values, a series without points) and {@link UncheckedIOException} when the file cannot be written.
 *
 * <pre>{@code
 * var latency = new LinkedHashMap<String, Histogram>();
 * latency.put("Fleetwire command REST→device", restToDevice);
 * latency.put("Mosquitto PUBACK", pubAck);
 * Plots.latencyDistribution(dir.resolve("latency.png"), "Latency by percentile, 1,000 devices", latency);
 *
 * var memory = new LinkedHashMap<String, List<double[]>>();
 * memory.put("Fleetwire hub heap", List.of(new double[]{1_000, heapBytesPerDevice1k}, new double[]{5_000, heapBytesPerDevice5k}));
 * Plots.memoryPerConnection(dir.resolve("memory.png"), "Memory per held connection", memory);
 * }</pre>
 */
final class Plots {

    static final int WIDTH = 900;
    static final int HEIGHT = 500;
    /** Points a percentile distribution gets per halving of the distance to 100 %, as HdrHistogram's own output. */
    private static final int TICKS_PER_HALF_DISTANCE = 5;
    /** Share of the latency plot's area the data span (XChart's default is 0.92). */
    private static final double CONTENT_SIZE = 0.96;

    private Plots() {
    }

    /** Latency by percentile, one line per histogram (values in nanoseconds), to {@code png}. */
    static void latencyDistribution(Path png, String title, LinkedHashMap<String, Histogram> series) {
        requireSeries(series);
        XYChart chart = chart(title, "percentile", "latency (ms)");
        XYStyler styler = chart.getStyler();
        styler.setPlotMargin(0);
        styler.setPlotContentSize(CONTENT_SIZE);
        styler.setXAxisLogarithmic(true);
        styler.setXAxisTickLabelsFormattingFunction(Plots::percentileLabel);
        double maxMs = 0;
        for (Map.Entry<String, Histogram> e : series.entrySet()) {
            double[][] curve = percentileCurve(e.getKey(), e.getValue());
            chart.addSeries(e.getKey(), curve[0], curve[1]).setMarker(SeriesMarkers.NONE);
            maxMs = Math.max(maxMs, curve[1][curve[1].length - 1]);
        }
        styler.setXAxisMin(1.0);
        styler.setYAxisMax(maxMs > 0 ? maxMs * 1.05 : 1.0);
        labelMedian(chart, styler.getYAxisMax());
        write(chart, png);
    }

    /** {x = 1/(1−p), y = ms} of a histogram in nanoseconds, from 0 % up to its last point below 100 %. */
    private static double[][] percentileCurve(String name, Histogram histogram) {
        if (histogram == null || histogram.getTotalCount() == 0) {
            throw new IllegalArgumentException("series '" + name + "' has no values to plot");
        }
        List<double[]> points = new ArrayList<>();
        for (HistogramIterationValue v : histogram.percentiles(TICKS_PER_HALF_DISTANCE)) {
            double p = v.getPercentileLevelIteratedTo() / 100.0;
            if (p < 1.0) { // 100 % lies at infinity on this axis
                points.add(new double[]{1.0 / (1.0 - p), v.getValueIteratedTo() / 1e6});
            }
        }
        if (points.size() < 2) { // one distinct value: a flat line from 0 % to 90 %
            double ms = histogram.getMaxValue() / 1e6;
            points = List.of(new double[]{1.0, ms}, new double[]{10.0, ms});
        }
        double[][] curve = new double[2][points.size()];
        for (int i = 0; i < points.size(); i++) {
            curve[0][i] = points.get(i)[0];
            curve[1][i] = points.get(i)[1];
        }
        return curve;
    }

    /** KB per held connection against connections held, one line per series of {connections, bytes per connection}. */
    static void memoryPerConnection(Path png, String title, LinkedHashMap<String, List<double[]>> series) {
        requireSeries(series);
        XYChart chart = chart(title, "connections held", "KB per connection");
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        series.forEach((name, points) -> {
            if (points == null || points.isEmpty()) {
                throw new IllegalArgumentException("series '" + name + "' has no points to plot");
            }
            double[] x = new double[points.size()];
            double[] y = new double[points.size()];
            for (int i = 0; i < points.size(); i++) {
                double[] point = points.get(i);
                if (point == null || point.length != 2) {
                    throw new IllegalArgumentException("series '" + name + "': point " + i
                            + " must be {connections, bytesPerConnection}");
                }
                x[i] = point[0];
                y[i] = point[1] / 1024;
            }
            chart.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
        });
        write(chart, png);
    }

    /** 2 → "50%", 10 → "90%", 100 → "99%", … ; the log axis's other ticks stay unlabelled. */
    static String percentileLabel(double x) {
        if (Math.abs(x - 2) < 1e-9) {
            return "50%";
        }
        double decades = Math.log10(x);
        long nines = Math.round(decades);
        if (nines < 1 || Math.abs(decades - nines) > 1e-9) {
            return "";
        }
        return String.format(Locale.ROOT, "%." + Math.max(0, nines - 2) + "f%%", 100 - 100 / x);
    }

    /**
     * The log axis labels its decades only (90 %, 99 %, …); 50 % sits at 2, a minor tick, so its label is
     * written as a text annotation under that tick, level with the others: below the plot's lower edge by
     * the tick mark and its padding. The edge is found from a first layout: y = 0 lies above it by half of
     * the space the content leaves free, and 0 to {@code maxMs} spans {@link #CONTENT_SIZE} of the plot.
     */
    private static void labelMedian(XYChart chart, double maxMs) {
        XYStyler styler = chart.getStyler();
        BitmapEncoder.getBufferedImage(chart); // lays the axes out, so that chart coordinates map to pixels
        double zero = chart.getScreenYFromChart(0.0);
        double plotHeight = (zero - chart.getScreenYFromChart(maxMs)) / CONTENT_SIZE;
        double lowerEdge = zero + (1 - CONTENT_SIZE) / 2 * plotHeight;
        FontMetrics metrics = new Canvas().getFontMetrics(styler.getAxisTickLabelsFont());
        double y = lowerEdge + styler.getAxisTickMarkLength() + styler.getAxisTickPadding() + metrics.getAscent() / 2.0;
        styler.setAnnotationTextFont(styler.getAxisTickLabelsFont());
        styler.setAnnotationTextFontColor(styler.getAxisTickLabelsColor());
        chart.addAnnotation(new AnnotationText("50%", chart.getScreenXFromChart(2.0), chart.getHeight() - y, true));
    }

    private static void requireSeries(Map<String, ?> series) {
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException("nothing to plot: no series given");
        }
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        XYStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xDD, 0xDD, 0xDD));
        styler.setYAxisMin(0.0);
        return chart;
    }

    private static void write(XYChart chart, Path png) {
        try {
            Path parent = png.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream out = Files.newOutputStream(png)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plot " + png, e);
        }
    }
}
