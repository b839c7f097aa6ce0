package io.sparkmdn.report;

import io.sparkmdn.data.XYData;
import io.sparkmdn.train.EpochStats;
import io.sparkmdn.util.Checks;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's figures, one method per figure, each drawn from plain records into an image of a fixed size
 * ({@link ChartStyle#WIDTH} × {@link ChartStyle#HEIGHT} unless its Javadoc says otherwise). 1-D plots use the
 * first feature as x; plots of 2-D y use the plane of the first two label dimensions.
 */
public final class Plots {

    /** Height of one panel of {@link #components}. */
    public static final int COMPONENT_PANEL_HEIGHT = 260;
    /** Width of one panel of {@link #sampleSlices}. */
    public static final int SLICE_PANEL_WIDTH = 400;
    /** Height of one panel of {@link #sampleSlices}. */
    public static final int SLICE_PANEL_HEIGHT = 330;
    /** Width of {@link #density} with the true density beside the model's. */
    public static final int DENSITY_PAIR_WIDTH = 1200;
    /** Weight below which {@link #components} does not draw a component's μ and σ. */
    public static final double MIN_SHOWN_WEIGHT = 0.01;
    /** Bins of x that colour {@link #data} for 2-D y. */
    static final int X_BINS = 4;

    /** Opacity (0–255) of the training data's dots over other series, and alone in {@link #data}. */
    static final int DATA_ALPHA = 70;
    static final int DATA_ALONE_ALPHA = 100;
    /** Opacity of the MDN samples' dots, and of the dots of 2-D y. */
    static final int SAMPLE_ALPHA = 60;
    static final int PLANE_ALPHA = 110;
    /** Opacity of the data and of the samples in {@link #sampleSlices}, where there are few of each. */
    static final int SLICE_DATA_ALPHA = 140;
    static final int SLICE_SAMPLE_ALPHA = 120;

    private Plots() {
    }

    /** The training rows as a scatter: y against x for 1-D y, else the (y₁, y₂) plane coloured by x. */
    public static BufferedImage data(XYData data, long totalRows) {
        String title = String.format("Training data (%,d of %,d rows)", data.size(), Math.max(totalRows, data.size()));
        if (data.outputDim() == 1) {
            XYChart chart = ChartStyle.xyChart(ChartStyle.WIDTH, ChartStyle.HEIGHT, title, xName(data), "y");
            chart.getStyler().setMarkerSize(4);
            ChartStyle.scatter(chart, "training data", firstFeature(data), Arrays2.column(data.y(), 1, 0),
                    ChartStyle.DATA, DATA_ALONE_ALPHA);
            chart.getStyler().setLegendVisible(false);
            return ChartStyle.render(chart);
        }
        XYChart chart = planeChart(ChartStyle.WIDTH, ChartStyle.HEIGHT, title);
        chart.getStyler().setMarkerSize(4);
        double[] x = firstFeature(data);
        double[] edges = new double[X_BINS + 1];
        for (int b = 0; b <= X_BINS; b++) {
            edges[b] = Arrays2.quantile(x, (double) b / X_BINS);
        }
        for (int b = 0; b < X_BINS; b++) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                if (x[i] >= edges[b] && (x[i] < edges[b + 1] || b == X_BINS - 1)) {
                    rows.add(i);
                }
            }
            if (!rows.isEmpty()) {
                ChartStyle.scatter(chart, String.format("%s in [%.2f, %.2f]", xName(data), edges[b], edges[b + 1]),
                        pick(data.y(), data.outputDim(), 0, rows), pick(data.y(), data.outputDim(), 1, rows),
                        ChartStyle.PALETTE[b], PLANE_ALPHA);
            }
        }
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        return ChartStyle.render(chart);
    }

    /** The least-squares net's prediction E[y | x] over the training data (1-D x). */
    public static BufferedImage leastSquares(XYData data, MeanCurve curve) {
        String title = "Least-squares net: the averaged prediction";
        if (curve.dim() == 1) {
            XYChart chart = ChartStyle.xyChart(ChartStyle.WIDTH, ChartStyle.HEIGHT, title, xName(data), "y");
            chart.getStyler().setMarkerSize(4);
            ChartStyle.scatter(chart, "training data", firstFeature(data), data.outputDim() == 1
                    ? data.y() : Arrays2.column(data.y(), data.outputDim(), 0), ChartStyle.DATA, DATA_ALPHA);
            ChartStyle.line(chart, "least-squares net, E[y | x]", curve.x(), curve.y(), ChartStyle.LEAST_SQUARES, 3.5f,
                    SeriesLines.SOLID);
            return ChartStyle.render(chart);
        }
        XYChart chart = planeChart(ChartStyle.WIDTH, ChartStyle.HEIGHT, title);
        chart.getStyler().setMarkerSize(4);
        ChartStyle.scatter(chart, "training data", Arrays2.column(data.y(), data.outputDim(), 0),
                Arrays2.column(data.y(), data.outputDim(), 1), ChartStyle.DATA, DATA_ALPHA);
        ChartStyle.line(chart, "E[y | x] along x", curve.column(0), curve.column(1), ChartStyle.LEAST_SQUARES, 3.5f,
                SeriesLines.SOLID);
        return ChartStyle.render(chart);
    }

    /** MDN draws of y at their x (1-D y) over the training data, when there is data (null for none). */
    public static BufferedImage samples(XYData data, SampleSet samples) {
        Checks.checkArgument(samples.dim() == 1, "The samples plot needs 1-D y (got d=%s); use sampleSlices",
                samples.dim());
        String title = String.format("MDN samples (%,d draws at %,d x)", samples.size(), samples.distinctX());
        XYChart chart = ChartStyle.xyChart(ChartStyle.WIDTH, ChartStyle.HEIGHT, title,
                data == null ? "x" : xName(data), "y");
        chart.getStyler().setMarkerSize(4);
        if (data != null) {
            ChartStyle.scatter(chart, "training data", firstFeature(data), Arrays2.column(data.y(), data.outputDim(), 0),
                    ChartStyle.DATA, DATA_ALPHA);
        }
        ChartStyle.scatter(chart, "MDN samples", samples.x(), samples.y(), ChartStyle.SAMPLES, SAMPLE_ALPHA);
        return ChartStyle.render(chart);
    }

    /**
     * For 2-D y: the MDN's draws at each of {@code xs} in the (y₁, y₂) plane, one panel per x, with the training
     * rows whose x is near it. Panels of {@value #SLICE_PANEL_WIDTH} × {@value #SLICE_PANEL_HEIGHT}, two per row.
     */
    public static BufferedImage sampleSlices(XYData data, SampleSet samples, double[] xs) {
        Checks.checkArgument(samples.dim() >= 2, "Sample slices need d_y >= 2, got %s", samples.dim());
        Checks.checkArgument(xs.length >= 1, "No x values to show the samples at");
        int columns = Math.min(2, xs.length);
        int rows = (xs.length + 1) / 2;
        double[] ranges = planeRanges(data, samples);
        double window = data == null ? 0 : 0.02 * span(firstFeature(data));
        ChartStyle.Canvas canvas = ChartStyle.canvas(columns * SLICE_PANEL_WIDTH, rows * SLICE_PANEL_HEIGHT);
        for (int p = 0; p < xs.length; p++) {
            XYChart chart = planeChart(SLICE_PANEL_WIDTH, SLICE_PANEL_HEIGHT, String.format("x = %.3g", xs[p]));
            chart.getStyler().setMarkerSize(4);
            chart.getStyler().setLegendVisible(p == 0);
            chart.getStyler().setXAxisMin(ranges[0]).setXAxisMax(ranges[1]).setYAxisMin(ranges[2]).setYAxisMax(ranges[3]);
            if (data != null) {
                List<Integer> near = new ArrayList<>();
                double[] x = firstFeature(data);
                for (int i = 0; i < x.length; i++) {
                    if (Math.abs(x[i] - xs[p]) <= window) {
                        near.add(i);
                    }
                }
                if (!near.isEmpty()) {
                    ChartStyle.scatter(chart, "data, x ± " + String.format("%.2g", window),
                            pick(data.y(), data.outputDim(), 0, near), pick(data.y(), data.outputDim(), 1, near),
                            ChartStyle.DATA, SLICE_DATA_ALPHA);
                }
            }
            SampleSet at = samples.at(xs[p]);
            ChartStyle.scatter(chart, "MDN samples", at.column(0), at.column(1), ChartStyle.SAMPLES, SLICE_SAMPLE_ALPHA);
            ChartStyle.paintAt(canvas, chart, (p % 2) * SLICE_PANEL_WIDTH, (p / 2) * SLICE_PANEL_HEIGHT);
        }
        canvas.graphics().dispose();
        return canvas.image();
    }

    /**
     * p(y | x) of the model as a heat map, beside the true density when {@code truth} is not null (then
     * {@value #DENSITY_PAIR_WIDTH} wide); one colour scale, capped at the 99.5th percentile of both grids.
     */
    public static BufferedImage density(DensityGrid model, DensityGrid truth, String truthTitle) {
        List<HeatMap.Panel> panels = new ArrayList<>();
        panels.add(new HeatMap.Panel("MDN p(y | x)", model));
        double[] pooled = model.values();
        if (truth != null) {
            panels.add(new HeatMap.Panel(truthTitle, truth));
            pooled = new double[model.values().length + truth.values().length];
            System.arraycopy(model.values(), 0, pooled, 0, model.values().length);
            System.arraycopy(truth.values(), 0, pooled, model.values().length, truth.values().length);
        }
        double vmax = Arrays2.quantile(pooled, 0.995);
        if (!(vmax > 0)) {
            vmax = Math.max(model.max(), truth == null ? 0 : truth.max());
        }
        vmax = vmax > 0 ? vmax : 1;
        int width = truth == null ? ChartStyle.WIDTH : DENSITY_PAIR_WIDTH;
        return HeatMap.render(panels, "x", "y", "p(y | x)", vmax, width, ChartStyle.HEIGHT);
    }

    /**
     * α_k(x), μ_k(x) and σ_k(x) of every component along x, in three stacked panels of
     * {@value #COMPONENT_PANEL_HEIGHT} pixels ({@link ChartStyle#WIDTH} wide); a component keeps its colour in
     * all three, and for d_y > 1 the dimensions of μ and σ differ by dash pattern. μ and σ are left out where
     * α &lt; {@value #MIN_SHOWN_WEIGHT}: there the component does not shape the density, whatever they are.
     */
    public static BufferedImage components(MixtureCurve curve) {
        int k = curve.components();
        int d = curve.dim();
        int n = curve.size();
        XYChart alpha = componentPanel("Mixing weights α(x)", "α");
        XYChart mu = componentPanel("Means μ(x)", "μ");
        XYChart sigma = componentPanel("Standard deviations σ(x)", "σ");
        alpha.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        BasicStroke[] patterns = {SeriesLines.SOLID, SeriesLines.DASH_DASH, SeriesLines.DOT_DOT, SeriesLines.DASH_DOT};
        for (int c = 0; c < k; c++) {
            Color color = ChartStyle.PALETTE[c % ChartStyle.PALETTE.length];
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = curve.mixtures().weight(i, c);
            }
            ChartStyle.line(alpha, "k = " + (c + 1), curve.x(), a, color, 2.5f, SeriesLines.SOLID);
            for (int l = 0; l < d; l++) {
                double[] m = new double[n];
                double[] s = new double[n];
                for (int i = 0; i < n; i++) {
                    boolean matters = curve.mixtures().weight(i, c) >= MIN_SHOWN_WEIGHT;
                    m[i] = matters ? curve.mixtures().mean(i, c, l) : Double.NaN;
                    s[i] = matters ? curve.mixtures().sigma(i, c, l) : Double.NaN;
                }
                String name = "k = " + (c + 1) + (d > 1 ? ", y" + (l + 1) : "");
                BasicStroke pattern = patterns[l % patterns.length];
                ChartStyle.line(mu, name, curve.x(), m, color, 2.5f, pattern);
                ChartStyle.line(sigma, name, curve.x(), s, color, 2.5f, pattern);
            }
        }
        // XChart's axis range does not see past the gaps (NaN) in a series: give μ's and σ's ranges explicitly
        double[] muRange = finiteRange(mu);
        double[] sigmaRange = finiteRange(sigma);
        double muPad = 0.05 * Math.max(muRange[1] - muRange[0], 1e-9);
        mu.getStyler().setYAxisMin(muRange[0] - muPad).setYAxisMax(muRange[1] + muPad);
        sigma.getStyler().setYAxisMin(0.0).setYAxisMax(1.05 * sigmaRange[1]);
        ChartStyle.Canvas canvas = ChartStyle.canvas(ChartStyle.WIDTH, 3 * COMPONENT_PANEL_HEIGHT);
        ChartStyle.paintAt(canvas, alpha, 0, 0);
        ChartStyle.paintAt(canvas, mu, 0, COMPONENT_PANEL_HEIGHT);
        ChartStyle.paintAt(canvas, sigma, 0, 2 * COMPONENT_PANEL_HEIGHT);
        canvas.graphics().dispose();
        return canvas.image();
    }

    /** Train and test NLL after each epoch, with the Bayes limit as a dashed line when known (null if not). */
    public static BufferedImage learningCurves(List<EpochStats> history, Double bayesLimit) {
        Checks.checkArgument(!history.isEmpty(), "No training history to plot");
        XYChart chart = ChartStyle.xyChart(ChartStyle.WIDTH, ChartStyle.HEIGHT, "Learning curves", "epoch",
                "NLL (nats per point)");
        chart.getStyler().setMarkerSize(8);
        chart.getStyler().setXAxisDecimalPattern("0");
        double[] epochs = history.stream().mapToDouble(EpochStats::epoch).toArray();
        double[] train = history.stream().mapToDouble(EpochStats::trainNll).toArray();
        double[] test = history.stream().mapToDouble(EpochStats::testNll).toArray();
        withMarkers(ChartStyle.line(chart, "train", epochs, train, ChartStyle.PALETTE[0], 2.5f, SeriesLines.SOLID),
                ChartStyle.PALETTE[0]);
        if (java.util.Arrays.stream(test).allMatch(Double::isFinite)) {
            withMarkers(ChartStyle.line(chart, "test", epochs, test, ChartStyle.PALETTE[1], 2.5f, SeriesLines.SOLID),
                    ChartStyle.PALETTE[1]);
        }
        if (bayesLimit != null && Double.isFinite(bayesLimit)) {
            double first = epochs[0];
            double last = Math.max(epochs[epochs.length - 1], first + 1);
            ChartStyle.line(chart, String.format("Bayes limit %.3f", bayesLimit), new double[] {first, last},
                    new double[] {bayesLimit, bayesLimit}, ChartStyle.REFERENCE, 2f, SeriesLines.DASH_DASH);
        }
        return ChartStyle.renderWithDataTicks(chart);
    }

    /**
     * The gap to the Bayes limit against predicted wall time, log-scaled, one panel per problem and one line per
     * number of workers, with the target gap dashed.
     *
     * @param problems per problem (its title), per line (its name): {x values, y values}
     */
    public static BufferedImage timeToFit(Map<String, Map<String, double[][]>> problems, double target) {
        Checks.checkArgument(!problems.isEmpty(), "No fits to plot");
        int width = ChartStyle.WIDTH;
        int height = ChartStyle.HEIGHT;
        ChartStyle.Canvas canvas = ChartStyle.canvas(width, height * problems.size());
        int at = 0;
        for (Map.Entry<String, Map<String, double[][]>> p : problems.entrySet()) {
            XYChart chart = ChartStyle.xyChart(width, height, p.getKey(), "predicted seconds on W one-core executors",
                    "NLL − Bayes limit (nats)");
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setXAxisLogarithmic(true);
            double lo = Double.POSITIVE_INFINITY;
            double hi = 0;
            int i = 0;
            for (Map.Entry<String, double[][]> line : p.getValue().entrySet()) {
                double[][] xy = line.getValue();
                ChartStyle.line(chart, line.getKey(), xy[0], xy[1], ChartStyle.PALETTE[i++ % ChartStyle.PALETTE.length],
                        2f, SeriesLines.SOLID);
                for (double x : xy[0]) {
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
            if (hi > lo) {
                ChartStyle.line(chart, String.format("gap %.2f", target), new double[] {lo, hi},
                        new double[] {target, target}, ChartStyle.REFERENCE, 2f, SeriesLines.DASH_DASH);
            }
            java.awt.Graphics2D g = (java.awt.Graphics2D) canvas.graphics().create(0, at, width, height);
            chart.paint(g, width, height); // log axes: XChart's own ticks
            g.dispose();
            at += height;
        }
        canvas.graphics().dispose();
        return canvas.image();
    }

    /**
     * Two panels over the runs (x: run, labelled by id): the coverage per group with the level dashed (the model's
     * own coverage dotted where it differs), and the PIT KS p-value per group, log-scaled, with 0.01 dashed.
     */
    public static BufferedImage calibrationOverRuns(CalibrationRuns runs) {
        int width = ChartStyle.WIDTH;
        int height = ChartStyle.HEIGHT;
        int n = runs.runs().size();
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        java.util.function.Function<Double, String> runLabel = v -> {
            int i = (int) Math.round(v);
            return Math.abs(v - i) < 1e-9 && i >= 0 && i < n ? runs.runs().get(i) : "";
        };
        XYChart coverage = ChartStyle.xyChart(width, height, String.format("Coverage of the %s%% interval",
                runs.level() * 100), "run", "coverage");
        XYChart pValues = ChartStyle.xyChart(width, height, "PIT uniformity: KS p-value", "run", "p-value");
        pValues.getStyler().setYAxisLogarithmic(true);
        int i = 0;
        for (String group : runs.coverage().keySet()) {
            Color color = ChartStyle.PALETTE[i++ % ChartStyle.PALETTE.length];
            withMarkers(ChartStyle.line(coverage, group, x, runs.coverage().get(group), color, 2.5f,
                    SeriesLines.SOLID), color);
            double[] raw = runs.rawCoverage().get(group);
            if (raw != null && java.util.Arrays.stream(raw).anyMatch(Double::isFinite)) {
                ChartStyle.line(coverage, group + " (model's own)", x, raw, color, 1.5f, SeriesLines.DOT_DOT);
            }
            double[] p = java.util.Arrays.stream(runs.pitKsP().get(group)).map(v -> Math.max(v, 1e-300)).toArray();
            withMarkers(ChartStyle.line(pValues, group, x, p, color, 2.5f, SeriesLines.SOLID), color);
        }
        double right = Math.max(n - 1, 1);
        ChartStyle.line(coverage, "level " + runs.level(), new double[] {0, right},
                new double[] {runs.level(), runs.level()}, ChartStyle.REFERENCE, 2f, SeriesLines.DASH_DASH);
        ChartStyle.line(pValues, "0.01", new double[] {0, right}, new double[] {0.01, 0.01}, ChartStyle.REFERENCE,
                2f, SeriesLines.DASH_DASH);
        ChartStyle.Canvas canvas = ChartStyle.canvas(width, 2 * height);
        int at = 0;
        for (XYChart chart : List.of(coverage, pValues)) {
            chart.getStyler().setXAxisTickLabelsFormattingFunction(runLabel);
            chart.getStyler().setXAxisMin(-0.2).setXAxisMax(right + 0.2);
            java.awt.Graphics2D g = (java.awt.Graphics2D) canvas.graphics().create(0, at, width, height);
            chart.paint(g, width, height);
            g.dispose();
            at += height;
        }
        canvas.graphics().dispose();
        return canvas.image();
    }

    /** The PIT histogram as a density over [0, 1] (fractions × bins), with the uniform density 1 as a line. */
    public static BufferedImage pit(double[] histogram, Double ks) {
        Checks.checkArgument(histogram.length >= 1, "Empty PIT histogram");
        int bins = histogram.length;
        String title = "PIT histogram" + (ks == null ? "" : String.format(" (KS distance %.3f)", ks));
        XYChart chart = ChartStyle.xyChart(ChartStyle.WIDTH, ChartStyle.HEIGHT, title, "PIT value F(y | x)",
                "density");
        double[] x = new double[2 * bins + 2];
        double[] y = new double[2 * bins + 2];
        double top = 1.5;
        for (int b = 0; b < bins; b++) {
            double h = histogram[b] * bins;
            x[2 * b + 1] = (double) b / bins;
            x[2 * b + 2] = (double) (b + 1) / bins;
            y[2 * b + 1] = h;
            y[2 * b + 2] = h;
            top = Math.max(top, 1.1 * h);
        }
        x[2 * bins + 1] = 1;
        XYSeries bars = chart.addSeries("PIT values", x, y);
        bars.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        bars.setMarker(SeriesMarkers.NONE);
        bars.setLineColor(ChartStyle.SAMPLES);
        bars.setFillColor(new Color(0x0072B2 | 0x80 << 24, true));
        ChartStyle.line(chart, "uniform (calibrated)", new double[] {0, 1}, new double[] {1, 1}, ChartStyle.REFERENCE,
                2f, SeriesLines.DASH_DASH);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(top);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideS);
        return ChartStyle.render(chart);
    }

    private static XYChart componentPanel(String title, String yTitle) {
        XYChart chart = ChartStyle.xyChart(ChartStyle.WIDTH, COMPONENT_PANEL_HEIGHT, title, "x", yTitle);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        return chart;
    }

    /** {min, max} of the finite y values of every series in {@code chart}. */
    private static double[] finiteRange(XYChart chart) {
        return Arrays2.range(chart.getSeriesCollection().stream().map(XYSeries::getYData).toArray(double[][]::new));
    }

    private static void withMarkers(XYSeries series, Color color) {
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setMarkerColor(color);
    }

    private static XYChart planeChart(int width, int height, String title) {
        XYChart chart = ChartStyle.xyChart(width, height, title, "y1", "y2");
        return chart;
    }

    /** {y1_lo, y1_hi, y2_lo, y2_hi} over the data and samples, padded by 5%. */
    private static double[] planeRanges(XYData data, SampleSet samples) {
        List<double[]> y1 = new ArrayList<>(List.of(samples.column(0)));
        List<double[]> y2 = new ArrayList<>(List.of(samples.column(1)));
        if (data != null) {
            y1.add(Arrays2.column(data.y(), data.outputDim(), 0));
            y2.add(Arrays2.column(data.y(), data.outputDim(), 1));
        }
        double[] r1 = padded(Arrays2.range(y1.toArray(double[][]::new)));
        double[] r2 = padded(Arrays2.range(y2.toArray(double[][]::new)));
        return new double[] {r1[0], r1[1], r2[0], r2[1]};
    }

    private static double[] padded(double[] range) {
        double pad = Math.max(1e-9, 0.05 * (range[1] - range[0]));
        return new double[] {range[0] - pad, range[1] + pad};
    }

    private static double span(double[] values) {
        double[] r = Arrays2.range(values);
        return r[1] - r[0];
    }

    private static double[] firstFeature(XYData data) {
        return Arrays2.column(data.x(), data.inputDim(), 0);
    }

    private static String xName(XYData data) {
        return data.inputDim() == 1 ? "x" : "x1 (first of " + data.inputDim() + " features)";
    }

    private static double[] pick(double[] values, int dim, int l, List<Integer> rows) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[rows.get(i) * dim + l];
        }
        return out;
    }
}
