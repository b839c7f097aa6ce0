package io.sparkmdn.spark;

import io.sparkmdn.math.Conformal;
import io.sparkmdn.math.GaussianMixture;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.util.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Fits a model's {@link Conformal} calibration on labelled rows in one distributed pass: each row's PIT per
 * dimension (and, for CQR, its score at each level) is computed on the executors with the model broadcast once;
 * the values, {@code 8·d·(1 + levels)} bytes a row, are collected to the driver, where the exact order statistics
 * are taken.
 */
public final class ConformalCalibrator {

    /** The most rows collected to the driver: 20 million rows of one dimension are 160 MB. */
    public static final long MAX_ROWS = 20_000_000L;

    private ConformalCalibrator() {
    }

    /**
     * The calibration of {@code model} on {@code data} (columns {@link Columns#X}, {@link Columns#Y}) by
     * {@code method}, its guarantees holding with probability {@code confidence} over the calibration rows (0: on
     * average); for CQR the intervals are calibrated at {@code levels}, for DCP every level is and {@code levels}
     * only set the fewest rows accepted.
     *
     * @throws IllegalArgumentException when the rows are too few for the highest level (naming the minimum) or too
     *                                  many to collect
     */
    public static Conformal fit(Dataset<Row> data, MdnModel model, Conformal.Method method, double confidence,
                                double[] levels) {
        Checks.checkArgument(levels.length > 0, "No interval levels given");
        double[] sorted = levels.clone();
        Arrays.sort(sorted);
        int d = model.options().outputDim();
        double[] cqrLevels = method == Conformal.Method.CQR ? sorted : new double[0];
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
        jsc.setJobDescription("calibrate: count rows");
        Dataset<Row> xy = data.select(Columns.X, Columns.Y);
        long rows = xy.count();
        double highest = sorted[sorted.length - 1];
        long minimum = Conformal.minimumRows(highest, confidence);
        Checks.checkArgument(rows >= minimum, "Too few calibration rows for level %s%s: %s (at least %s are needed; "
                + "more give tighter intervals: a few thousand is usual)", highest,
                confidence == 0 ? "" : " at confidence " + confidence, rows, minimum);
        Checks.checkArgument(rows <= MAX_ROWS, "Too many calibration rows: %s (at most %s are collected to the "
                + "driver; calibrate on a sample, e.g. --query \"SELECT * FROM … TABLESAMPLE (1 PERCENT)\")", rows,
                MAX_ROWS);
        jsc.setJobDescription("calibrate: PIT" + (cqrLevels.length > 0 ? " and CQR scores" : "") + " of every row");
        ModelBroadcast broadcast = ModelBroadcast.of(jsc, model);
        List<double[]> values;
        try {
            values = xy.javaRDD().mapPartitions(it -> {
                MdnModel m = broadcast.model();
                List<double[]> out = new ArrayList<>();
                Columns.forEachChunk(it, m.options().inputDim(), d, MdnModel.CHUNK_ROWS, (xs, ys, n) -> {
                    var batch = m.predict(xs);
                    for (int i = 0; i < n; i++) {
                        out.add(rowValues(batch.mixture(i), Arrays.copyOfRange(ys, i * d, (i + 1) * d),
                                cqrLevels));
                    }
                });
                return out.iterator();
            }).collect();
        } finally {
            broadcast.destroy();
        }
        int n = values.size();
        double[][] pits = new double[d][n];
        double[][][] scores = new double[d][cqrLevels.length][n];
        for (int i = 0; i < n; i++) {
            double[] v = values.get(i);
            for (int l = 0; l < d; l++) {
                pits[l][i] = v[l * (1 + cqrLevels.length)];
                for (int j = 0; j < cqrLevels.length; j++) {
                    scores[l][j][i] = v[l * (1 + cqrLevels.length) + 1 + j];
                }
            }
        }
        return Conformal.fit(method, confidence, pits, cqrLevels, scores);
    }

    /** One row's PIT per dimension, each followed by its CQR score at each level. */
    private static double[] rowValues(GaussianMixture m, double[] y, double[] cqrLevels) {
        int d = y.length;
        double[] pit = m.pit(y);
        double[] v = new double[d * (1 + cqrLevels.length)];
        double[] bounds = new double[2];
        for (int l = 0; l < d; l++) {
            v[l * (1 + cqrLevels.length)] = pit[l];
            for (int j = 0; j < cqrLevels.length; j++) {
                m.quantiles(l, new double[] {(1 - cqrLevels[j]) / 2, (1 + cqrLevels[j]) / 2}, bounds);
                v[l * (1 + cqrLevels.length) + 1 + j] = Conformal.cqrScore(y[l], bounds[0], bounds[1]);
            }
        }
        return v;
    }
}
