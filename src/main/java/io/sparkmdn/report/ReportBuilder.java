package io.sparkmdn.report;

import io.sparkmdn.data.SyntheticKind;
import io.sparkmdn.data.XYData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a report's inputs into its figures: decides which figures the inputs allow, draws them with
 * {@link Plots}, writes their captions, and says why each missing figure was left out.
 */
public final class ReportBuilder {

    /** Grid columns (x) of the density heat map. */
    static final int DENSITY_X = 240;
    /** Grid rows (y) of the density heat map. */
    static final int DENSITY_Y = 200;
    /** x values the 2-D sample scatters show. */
    static final int SLICES = 4;

    private ReportBuilder() {
    }

    /** The report of {@code in}: every figure its inputs allow, in the order of the report. */
    public static Report build(ReportInputs in) {
        List<Figure> figures = new ArrayList<>();
        List<String> skipped = new ArrayList<>(in.notes());
        XYData data = in.data();
        boolean oneX = data == null || data.inputDim() == 1;

        if (data != null) {
            figures.add(dataFigure(data, in.dataRows()));
        } else {
            skipped.add("training data scatter: no training data given (--data)");
        }
        if (in.leastSquares() != null && data != null) {
            figures.add(leastSquaresFigure(data, in.leastSquares()));
        } else if (data == null) {
            skipped.add("least-squares curve: it is fitted to the training data, none given (--data)");
        } else if (!oneX) {
            skipped.add("least-squares curve: needs 1-D x, the data have d_x = " + data.inputDim());
        }
        if (in.samples() == null) {
            skipped.add("MDN samples: no samples given (--samples)");
        } else if (in.samples().dim() == 1) {
            figures.add(samplesFigure(data, in.samples()));
        } else {
            figures.add(slicesFigure(data, in.samples()));
        }
        if (in.mixtures() == null) {
            skipped.add("p(y|x) heat map and α, μ, σ along x: need mixture parameters (--params) or a model "
                    + "(--model) with 1-D x");
        } else {
            if (in.mixtures().dim() == 1) {
                figures.add(densityFigure(in));
            } else {
                skipped.add("p(y|x) heat map: needs 1-D y, the model has d_y = " + in.mixtures().dim()
                        + " (see the sample scatters)");
            }
            figures.add(componentsFigure(in.mixtures()));
        }
        if (!in.history().isEmpty()) {
            figures.add(learningFigure(in));
        } else {
            skipped.add("learning curves: need the model's training history (--model)");
        }
        double[] pit = in.metrics() == null ? null : in.metrics().pitHistogram();
        if (pit != null) {
            figures.add(pitFigure(pit, in.metrics().number(Metrics.PIT_KS)));
        } else {
            skipped.add("PIT histogram: needs the evaluate job's metrics (--metrics)");
        }
        if (in.runs() != null) {
            figures.add(runsFigure(in.runs()));
        }
        return new Report(figures, in.metrics(), in.sources(), skipped);
    }

    private static Figure dataFigure(XYData data, long rows) {
        String sample = data.size() < rows
                ? String.format("A random sample of %,d of the %,d training rows", data.size(), rows)
                : String.format("All %,d training rows", data.size());
        String what = data.outputDim() == 1 ? "y against x." : "in the (y1, y2) plane, coloured by x.";
        return new Figure("data.png", "The training data", sample + ", " + what, Plots.data(data, rows));
    }

    private static Figure leastSquaresFigure(XYData data, MeanCurve curve) {
        return new Figure("least-squares.png", "What least squares learns",
                "A net of the MDN's architecture trained on squared error (on the sample above) predicts the "
                        + "conditional mean E[y | x]. Where y has several branches for one x, the mean runs between "
                        + "them, through regions that hold no data.",
                Plots.leastSquares(data, curve));
    }

    private static Figure samplesFigure(XYData data, SampleSet samples) {
        return new Figure("mdn-samples.png", "What the MDN learns: samples of p(y | x)",
                String.format("%,d draws of y from the MDN's mixture at %,d values of x, over the training data. "
                        + "Unlike the least-squares curve they cover every branch, in proportion to its weight.",
                        samples.size(), samples.distinctX()),
                Plots.samples(data, samples));
    }

    private static Figure slicesFigure(XYData data, SampleSet samples) {
        double[] xs = sliceXs(samples);
        return new Figure("sample-slices.png", "What the MDN learns: samples of p(y | x) at a few x",
                "For 2-D y: the MDN's draws at " + xs.length + " values of x in the (y1, y2) plane"
                        + (data == null ? "." : ", with the training rows whose x lies within 2% of the x range "
                        + "of each (grey)."),
                Plots.sampleSlices(data, samples, xs));
    }

    private static Figure densityFigure(ReportInputs in) {
        MixtureCurve curve = in.mixtures();
        double[] xs = Arrays2.linspace(curve.x()[0], curve.x()[curve.size() - 1], DENSITY_X);
        double[] yRange = densityRange(in);
        double[] ys = Arrays2.linspace(yRange[0], yRange[1], DENSITY_Y);
        DensityGrid model = DensityGrid.of(curve, xs, ys);
        SyntheticKind kind = in.truth();
        DensityGrid truth = null;
        if (kind != null && kind.inputDim() == 1 && kind.outputDim() == 1) {
            double[] px = new double[1];
            double[] py = new double[1];
            truth = DensityGrid.of(xs, ys, (x, y) -> {
                px[0] = x;
                py[0] = y;
                return kind.trueLogDensity(px, py);
            });
        }
        String caption = "The model's conditional density p(y | x) on a " + DENSITY_X + " × " + DENSITY_Y + " grid"
                + (truth == null ? "" : ", beside the true density of the '" + kind.name() + "' data")
                + "; one colour scale, capped at the 99.5th percentile.";
        return new Figure("density.png", "p(y | x) as a heat map", caption,
                Plots.density(model, truth, truth == null ? null : "true p(y | x) ('" + kind.name() + "')"));
    }

    /** The y range of the heat map: the data's, else the samples', else μ ± 3σ of the mixtures; padded 5%. */
    private static double[] densityRange(ReportInputs in) {
        double[] range;
        if (in.data() != null && in.data().outputDim() == 1) {
            range = Arrays2.range(in.data().y());
        } else if (in.samples() != null && in.samples().dim() == 1) {
            range = Arrays2.range(in.samples().y());
        } else {
            var m = in.mixtures().mixtures();
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < m.size(); i++) {
                for (int k = 0; k < m.mixtures(); k++) {
                    if (m.weight(i, k) > 0.01) {
                        lo = Math.min(lo, m.mean(i, k, 0) - 3 * m.sigma(i, k, 0));
                        hi = Math.max(hi, m.mean(i, k, 0) + 3 * m.sigma(i, k, 0));
                    }
                }
            }
            range = new double[] {lo, hi};
        }
        double pad = Math.max(1e-6, 0.05 * (range[1] - range[0]));
        return new double[] {range[0] - pad, range[1] + pad};
    }

    private static Figure componentsFigure(MixtureCurve curve) {
        return new Figure("components.png", "The mixture along x: α, μ, σ of each component",
                String.format("Weights, means and standard deviations of the %d components at %d values of x; "
                        + "a component keeps its colour in all three panels. μ and σ are drawn only where the "
                        + "component's weight is at least %s: elsewhere it does not shape the density.",
                        curve.components(), curve.size(), Plots.MIN_SHOWN_WEIGHT),
                Plots.components(curve));
    }

    private static Figure learningFigure(ReportInputs in) {
        Double bayes = bayesLimit(in);
        return new Figure("learning-curves.png", "Learning curves",
                "Mean negative log-likelihood per point (nats, lower is better) on the training and test rows "
                        + "after each epoch" + (bayes == null ? "." : "; the dashed line is the Bayes limit, the "
                        + "NLL of the true density, which no model can beat on average."),
                Plots.learningCurves(in.history(), bayes));
    }

    /** The Bayes-limit NLL: from the metrics, else the true density's mean NLL on the data sample; null if unknown. */
    static Double bayesLimit(ReportInputs in) {
        Double fromMetrics = in.metrics() == null ? null : in.metrics().number(Metrics.BAYES_LIMIT);
        if (fromMetrics != null || in.truth() == null || in.data() == null) {
            return fromMetrics;
        }
        XYData data = in.data();
        SyntheticKind kind = in.truth();
        if (kind.inputDim() != data.inputDim() || kind.outputDim() != data.outputDim()) {
            return null;
        }
        double sum = 0;
        int n = 0;
        for (int i = 0; i < data.size(); i++) {
            double logp = kind.trueLogDensity(
                    Arrays.copyOfRange(data.x(), i * data.inputDim(), (i + 1) * data.inputDim()),
                    Arrays.copyOfRange(data.y(), i * data.outputDim(), (i + 1) * data.outputDim()));
            if (Double.isFinite(logp)) {
                sum -= logp;
                n++;
            }
        }
        return n == 0 ? null : sum / n;
    }

    private static Figure runsFigure(CalibrationRuns runs) {
        return new Figure("calibration-runs.png", "Calibration run after run",
                String.format("From evaluate's metrics table: the coverage of the %s%% interval in each run, one line per "
                        + "group (dotted: the model's own, where it was calibrated), and the p-value of the test that "
                        + "the PIT is uniform. Coverage drifting from its level, or p-values falling, say the data "
                        + "moved away from what the model (or its calibration) saw.", runs.level() * 100),
                Plots.calibrationOverRuns(runs));
    }

    private static Figure pitFigure(double[] pit, Double ks) {
        return new Figure("pit.png", "Calibration: the PIT histogram",
                "The probability integral transform F(y | x) of each test row under the model, as a density over "
                        + "[0, 1]. A calibrated model gives the flat line: a U shape means too narrow, a hump too wide, "
                        + "a slope a biased location.",
                Plots.pit(pit, ks));
    }

    /** Up to {@value #SLICES} distinct x of the samples, spread evenly over their sorted order. */
    static double[] sliceXs(SampleSet samples) {
        double[] distinct = Arrays.stream(samples.x()).distinct().sorted().toArray();
        int n = Math.min(SLICES, distinct.length);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = distinct[n == 1 ? 0 : (int) Math.round((double) i * (distinct.length - 1) / (n - 1) * 0.8
                    + 0.1 * (distinct.length - 1))];
        }
        return Arrays.stream(out).distinct().toArray();
    }
}
