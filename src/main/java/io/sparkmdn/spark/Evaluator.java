package io.sparkmdn.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.sparkmdn.data.XYData;
import io.sparkmdn.math.GaussianMixture;
import io.sparkmdn.math.Conformal;
import io.sparkmdn.math.GaussianMixture;
import io.sparkmdn.math.MixtureBatch;
import io.sparkmdn.math.Scoring;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.Standardizer;
import io.sparkmdn.local.LeastSquaresNet;
import io.sparkmdn.train.TrainOptions;
import io.sparkmdn.util.Checks;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.DoubleStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Scores a model on a labelled table in one distributed pass: mean NLL, PIT calibration (histogram and
 * Kolmogorov–Smirnov distance to uniform), CRPS for 1-D labels, the NLL of two baselines, for data whose true
 * density is known the Bayes limit and the gap to it, and the {@link Calibration} of the prediction interval,
 * overall and per group. Each row is scored once, by {@link Scoring}, as the {@code score} job scores it.
 *
 * <p>Baselines: a single Gaussian fitted to the labels (ignoring x), and a least-squares net of the model's
 * architecture fitted to a sample of the rows and read as a Gaussian around its prediction. PIT values of
 * multi-dimensional labels are the per-dimension marginal CDFs, pooled. The KS distance is computed from a
 * histogram of {@value #PIT_FINE_BINS} bins, so it is exact to ±1/{@value #PIT_FINE_BINS}.
 */
public final class Evaluator {

    /** Bins of the PIT histogram in the report. */
    public static final int PIT_BINS = 20;
    static final int PIT_FINE_BINS = 1000;

    /** The true conditional log-density of built-in data, evaluated on executors. */
    @FunctionalInterface
    public interface TrueDensity extends Serializable {
        double logDensity(double[] x, double[] y);
    }

    /**
     * The metrics of one evaluation; NLLs in nats per point, null where not applicable.
     *
     * @param rows          rows scored
     * @param nll           mean −log p(y | x) under the model
     * @param gaussianNll   mean NLL of a single Gaussian fitted to y (by maximum likelihood, σ = 1 for a
     *                      constant dimension)
     * @param mseNetNll     mean NLL of the least-squares net with Gaussian residuals
     * @param baselineRows  rows the least-squares net was fitted on
     * @param pitKs         Kolmogorov–Smirnov distance of the PIT values from uniform
     * @param pitHistogram  fraction of PIT values in each of {@value #PIT_BINS} equal bins of [0, 1]
     * @param crps          mean CRPS (d = 1 only)
     * @param bayesLimitNll mean −log of the true density, the best achievable NLL (built-in data only)
     */
    public record Report(long rows, double nll, double gaussianNll, double mseNetNll, long baselineRows,
                         double pitKs, double[] pitHistogram, Double crps, Double bayesLimitNll) {

        /** NLL minus the Bayes limit, or null when the limit is unknown. */
        public Double bayesGap() {
            return bayesLimitNll == null ? null : nll - bayesLimitNll;
        }

        /** The report with the JSON keys of the evaluate job's output. */
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rows", rows);
            m.put("nll", nll);
            m.put("gaussian_nll", gaussianNll);
            m.put("mse_net_nll", mseNetNll);
            m.put("baseline_rows", baselineRows);
            m.put("pit_ks", pitKs);
            m.put("pit_histogram", pitHistogram);
            m.put("crps", crps);
            m.put("bayes_limit_nll", bayesLimitNll);
            m.put("bayes_gap", bayesGap());
            return m;
        }

        /** A readable table of the metrics. */
        public String table() {
            StringBuilder s = new StringBuilder();
            s.append(String.format("%-34s %12s%n", "metric", "value"));
            s.append(String.format("%-34s %12d%n", "rows", rows));
            s.append(String.format("%-34s %12.4f%n", "NLL, MDN (nats/point)", nll));
            s.append(String.format("%-34s %12.4f%n", "NLL, single Gaussian", gaussianNll));
            s.append(String.format("%-34s %12.4f%n", "NLL, least-squares net", mseNetNll));
            if (bayesLimitNll != null) {
                s.append(String.format("%-34s %12.4f%n", "NLL, Bayes limit (true density)", bayesLimitNll));
                s.append(String.format("%-34s %12.4f%n", "gap to the Bayes limit", bayesGap()));
            }
            s.append(String.format("%-34s %12.4f%n", "PIT KS distance", pitKs));
            if (crps != null) {
                s.append(String.format("%-34s %12.4f%n", "CRPS", crps));
            }
            return s.toString();
        }
    }

    private Evaluator() {
    }

    /** The metrics and the calibration of one evaluation, from the same pass. */
    public record Evaluation(Report metrics, Calibration.Report calibration) {

        /** The evaluate job's JSON: the metrics' keys, then the calibration's. */
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>(metrics.toJson());
            m.putAll(calibration.toJson());
            return m;
        }

        /** Both readable tables. */
        public String table() {
            return metrics.table() + "\n" + calibration.table();
        }
    }

    /**
     * Evaluates {@code model} on {@code data} (columns {@link Columns#X}, {@link Columns#Y}); {@code truth} may
     * be null; the least-squares baseline is fitted on at most {@code baselineRows} rows chosen by hash.
     */
    public static Report evaluate(Dataset<Row> data, MdnModel model, TrueDensity truth, int baselineRows,
                                  long seed) {
        return evaluate(data, model, truth, baselineRows, seed, Scoring.DEFAULT_INTERVAL, new double[0], null)
                .metrics();
    }

    /**
     * {@link #evaluate(Dataset, MdnModel, TrueDensity, int, long)} with the calibration of the central
     * {@code interval} and of the intervals at {@code levels}, overall and per value of {@code groupBy} (a column
     * of {@code data}, or null).
     */
    public static Evaluation evaluate(Dataset<Row> data, MdnModel model, TrueDensity truth, int baselineRows,
                                      long seed, double interval, double[] levels, String groupBy) {
        Checks.checkArgument(baselineRows >= 10, "Invalid number of baseline rows: %s (must be >= 10)",
                baselineRows);
        List<String> columns = List.of(data.columns());
        Checks.checkArgument(groupBy == null || columns.contains(groupBy),
                "--group-by column '%s' not found; the input's columns are: %s", groupBy,
                String.join(", ", columns.stream().filter(c -> !c.startsWith("__")).toList()));
        // the costliest answer (the mode) is not aggregated; the median is the one quantile
        Conformal conformal = model.calibration() == null ? null : model.calibration().conformal();
        Scoring scoring = new Scoring(new double[] {0.5}, interval).withoutMode().calibratedBy(conformal);
        double[] allLevels = DoubleStream.concat(Arrays.stream(levels), DoubleStream.of(interval)).sorted()
                .distinct().toArray();
        for (double level : allLevels) {
            Checks.checkArgument(level > 0 && level < 1, "Invalid interval level: %s (must be > 0 and < 1)", level);
            if (conformal != null && conformal.method() == Conformal.Method.CQR) {
                conformal.cqrLevelIndex(level);
            }
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
        Dataset<Row> xy = data.select(Columns.X, Columns.Y);
        jsc.setJobDescription("evaluate: count rows");
        long rows = xy.count();
        Checks.checkArgument(rows > 0, "Nothing to evaluate: 0 rows");
        jsc.setJobDescription("evaluate: fit the least-squares baseline");
        XYData sample = sample(xy, rows, baselineRows, seed, model);
        LeastSquaresNet leastSquares = LeastSquaresNet.fit(model.options(), new TrainOptions(10, 128, seed), sample);
        double[] labelShift = Standardizer.fit(sample.y(), sample.outputDim()).mean();

        jsc.setJobDescription("evaluate: score every row" + (groupBy == null ? "" : ", per " + groupBy));
        Column group = groupBy == null ? lit(null).cast("string")
                : col(MixtureInference.quoted(groupBy)).cast("string");
        ModelBroadcast broadcast = ModelBroadcast.of(jsc, model);
        Partial total;
        try {
            total = data.select(col(Columns.X), col(Columns.Y), group).javaRDD().mapPartitions(it -> List.of(
                    score(it, broadcast.model(), scoring, allLevels, leastSquares, truth, labelShift)).iterator())
                    .treeReduce(Partial::merge);
        } finally {
            broadcast.destroy();
        }
        return new Evaluation(total.report(sample.size(), truth != null),
                Calibration.report(interval, groupBy, total.groups, model.options().outputDim(), allLevels,
                        conformal == null ? null : conformal.method().id()));
    }

    /** Up to {@code max} rows picked by a hash of their values, collected to the driver. */
    private static XYData sample(Dataset<Row> xy, long rows, int max, long seed, MdnModel model) {
        double fraction = Math.min(1.0, 1.2 * max / rows);
        Dataset<Row> picked = xy.where(Columns.uniformDraw(seed).lt(fraction)).limit(max);
        List<Row> list = picked.collectAsList();
        int dx = model.options().inputDim();
        int dy = model.options().outputDim();
        double[] x = new double[list.size() * dx];
        double[] y = new double[list.size() * dy];
        for (int i = 0; i < list.size(); i++) {
            Columns.copyDoubles(list.get(i), 0, x, i * dx);
            Columns.copyDoubles(list.get(i), 1, y, i * dy);
        }
        return new XYData(dx, dy, x, y);
    }

    /**
     * The sums of one partition (rows of features, labels and group). Labels go into the Gaussian baseline's
     * statistics less {@code labelShift} (the mean of the baseline's sample), so the running mean stays near 0 and
     * keeps its digits: unshifted, the rounding of a mean near 10⁸ alone costs 10⁻⁹ of a unit variance.
     */
    private static Partial score(Iterator<Row> rows, MdnModel model, Scoring scoring, double[] levels,
                                 LeastSquaresNet leastSquares, TrueDensity truth, double[] labelShift) {
        int dx = model.options().inputDim();
        int dy = model.options().outputDim();
        Partial p = new Partial(dy);
        double[] xr = new double[dx];
        double[] shifted = new double[dy];
        Columns.forEachRowChunk(rows, dx, dy, MdnModel.CHUNK_ROWS, (chunk, xs, ys) -> {
            MixtureBatch batch = model.predict(xs);
            double[] mse = leastSquares.negativeLogDensities(xs, ys);
            for (int i = 0; i < chunk.size(); i++) {
                double[] yr = Arrays.copyOfRange(ys, i * dy, (i + 1) * dy);
                GaussianMixture mixture = batch.mixture(i);
                Scoring.Scores scores = scoring.score(mixture, yr);
                Row row = chunk.get(i);
                p.groups.computeIfAbsent(row.isNullAt(2) ? null : row.getString(2),
                        g -> new Calibration.Sums(dy, levels)).add(scores, scoring.interval(), mixture, yr,
                        scoring.conformal());
                p.mseNll += mse[i];
                for (int l = 0; l < dy; l++) {
                    double pit = scores.pit()[l];
                    p.pit[Math.min(PIT_FINE_BINS - 1, (int) (pit * PIT_FINE_BINS))]++;
                    shifted[l] = yr[l] - labelShift[l];
                }
                p.labels.add(shifted, 0);
                if (truth != null) {
                    System.arraycopy(xs, i * dx, xr, 0, dx);
                    p.trueNll -= truth.logDensity(xr, yr);
                }
            }
        });
        return p;
    }

    /** Sums of one partition; merged on the driver. */
    private static final class Partial implements Serializable {
        private static final long serialVersionUID = 1L;
        double mseNll;
        double trueNll;
        final long[] pit = new long[PIT_FINE_BINS];
        /** Count, mean and squared deviations of the shifted labels (Welford, merged by Chan's update). */
        final Standardizer.Accumulator labels;
        /** Each group's rows, NLL, CRPS, interval and PIT deciles: the key null for all rows without a group. */
        final Map<String, Calibration.Sums> groups = new HashMap<>();

        Partial(int dy) {
            labels = new Standardizer.Accumulator(dy);
        }

        Partial merge(Partial o) {
            mseNll += o.mseNll;
            trueNll += o.trueNll;
            for (int b = 0; b < pit.length; b++) {
                pit[b] += o.pit[b];
            }
            labels.merge(o.labels);
            o.groups.forEach((g, sums) -> groups.merge(g, sums, Calibration.Sums::merge));
            return this;
        }

        Report report(long baselineRows, boolean hasTruth) {
            // the NLL of the maximum-likelihood Gaussian on its own data: ½ log(2πe σ²) per dimension, so
            // ½ log(2πe) per dimension plus Σ log σ (a constant dimension counts with σ = 1, as when standardising)
            Standardizer y = labels.result();
            double gaussian = y.dim() * 0.5 * (Math.log(2 * Math.PI) + 1) + y.logJacobian();
            long count = 0;
            double nll = 0;
            double crps = 0;
            for (Calibration.Sums g : groups.values()) {
                count += g.rows;
                nll += g.nll;
                crps += g.crps[0];
            }
            long pitTotal = Arrays.stream(pit).sum();
            double ks = 0;
            long cumulative = 0;
            double[] histogram = new double[PIT_BINS];
            for (int b = 0; b < PIT_FINE_BINS; b++) {
                ks = Math.max(ks, Math.abs((double) cumulative / pitTotal - (double) b / PIT_FINE_BINS));
                cumulative += pit[b];
                ks = Math.max(ks, Math.abs((double) cumulative / pitTotal - (double) (b + 1) / PIT_FINE_BINS));
                histogram[b * PIT_BINS / PIT_FINE_BINS] += (double) pit[b] / pitTotal;
            }
            return new Report(count, nll / count, gaussian, mseNll / count, baselineRows, ks, histogram,
                    y.dim() == 1 ? crps / count : null, hasTruth ? trueNll / count : null);
        }
    }
}
