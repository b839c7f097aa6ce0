package io.sparkmdn.math;

import io.sparkmdn.util.Checks;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.numbers.gamma.RegularizedBeta;

/**
 * Split-conformal calibration of a model's predicted distributions, fitted on labelled rows the model did not
 * train on, in plain Java on {@code double[]}. Under exchangeability of the calibration rows and a new row it gives
 * finite-sample, distribution-free guarantees, each for one output dimension (a marginal; nothing joint):
 * <ul>
 *   <li><b>Quantiles and PIT.</b> The calibrated p-quantile is the raw quantile at level u_(k), the k-th smallest
 *       of the calibration rows' PIT values with k = ⌈(n + 1)·p⌉, so P(Y ≤ calibrated p-quantile) ≥ p. The
 *       calibrated PIT of a row is the fraction of calibration PIT values below its own (the inverse map).</li>
 *   <li><b>Intervals</b>, by one of two methods ({@link Method}), with P(lower ≤ Y ≤ upper) ≥ the level:
 *       distributional conformal prediction (Chernozhukov, Wüthrich and Zhu, 2021: the score |PIT − ½|, an
 *       interval between two raw quantiles, any level) or conformalised quantile regression (Romano, Patterson and
 *       Candès, 2019: the score max(q_lo − y, y − q_hi) in the label's units, the raw interval widened by it, at
 *       the levels calibrated).</li>
 * </ul>
 * <p>Two strengths of guarantee. With {@code confidence} 0 the rank is k = ⌈(n + 1)·L⌉: coverage at least L on
 * average over the draw of the calibration rows (the coverage of one calibrated model is Beta(k, n + 1 − k)
 * distributed, so about half of all calibrations fall a little short of L). With a {@code confidence} c, the rank is
 * the smallest k with P(Beta(k, n + 1 − k) &lt; L) ≤ 1 − c: with probability at least c over the calibration rows,
 * this calibrated model's coverage is at least L (Vovk 2012, "training-conditional" validity); for n = 20,000 and
 * L = 0.9 at c = 0.95 that is about 0.0035 more coverage. The calibrated PIT uses the plain ranks either way.
 *
 * <p>The order statistics are kept on a grid of {@value #GRID} levels, each taken at the rank the guarantee needs
 * for its grid level; a level between grid points uses the next one up, so a guarantee holds for every level and
 * overshoots it by at most 1/{@value #GRID}. Where n is too small for a level (k &gt; n) the answer is
 * unbounded: an infinite quantile or bound.
 *
 * @param method       how intervals are calibrated
 * @param rows         calibration rows n
 * @param confidence   the probability over calibration rows with which each guarantee holds for this model, or 0
 *                     for the guarantee on average over calibrations
 * @param pitGrid      per dimension, GRID + 1 values: at j, the PIT value of rank ⌈(n + 1)·j/GRID⌉ (0 at rank 0,
 *                     1 beyond n): the calibration rows' PIT distribution, for the calibrated PIT
 * @param quantileGrid per dimension, GRID + 1 values: at j, the PIT value of the rank level j/GRID needs (0 at
 *                     rank 0, 1 beyond n), for the calibrated quantiles
 * @param dcpRadius    per dimension, GRID + 1 values: at j, the |PIT − ½| of the rank level j/GRID needs (½ beyond
 *                     n)
 * @param cqrLevels  the interval levels calibrated for {@link Method#CQR}, increasing (empty for DCP)
 * @param cqrMargins per dimension, per CQR level: the score of the rank the level needs (∞ beyond n)
 */
public record Conformal(Method method, long rows, double confidence, double[][] pitGrid, double[][] quantileGrid,
                        double[][] dcpRadius, double[] cqrLevels, double[][] cqrMargins) implements Serializable {

    /** The default confidence of the guarantees. */
    public static final double DEFAULT_CONFIDENCE = 0.95;

    /** Grid points of the kept order statistics (levels j/GRID). */
    public static final int GRID = 1000;

    /** How intervals are calibrated. */
    public enum Method {
        /** Distributional conformal prediction: the score |PIT − ½|; any level. */
        DCP,
        /** Conformalised quantile regression: the score max(q_lo − y, y − q_hi), in the label's units. */
        CQR;

        public static Method parse(String word) {
            return switch (word.trim().toLowerCase(Locale.ROOT)) {
                case "dcp" -> DCP;
                case "cqr" -> CQR;
                default -> throw new IllegalArgumentException("Unknown calibration method: '" + word
                        + "' (known: dcp, cqr)");
            };
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Conformal {
        Checks.checkArgument(rows >= 1, "Invalid calibration rows: %s", rows);
        checkConfidence(confidence);
        Checks.checkArgument(pitGrid.length >= 1 && dcpRadius.length == pitGrid.length
                && quantileGrid.length == pitGrid.length && cqrMargins.length == pitGrid.length,
                "Calibration tables disagree on the dimensions");
        for (int l = 0; l < pitGrid.length; l++) {
            Checks.checkArgument(pitGrid[l].length == GRID + 1 && dcpRadius[l].length == GRID + 1
                            && quantileGrid[l].length == GRID + 1
                            && cqrMargins[l].length == cqrLevels.length,
                    "Calibration tables of dimension %s have the wrong length", l);
        }
        Checks.checkArgument(method != Method.CQR || cqrLevels.length > 0, "CQR calibration without levels");
    }

    /**
     * The fewest calibration rows for which a {@code level} guarantee at {@code confidence} is finite: ⌈(n + 1)·level⌉
     * ≤ n, and at a confidence c also level^n ≤ 1 − c (the chance that even the largest score falls short).
     */
    public static long minimumRows(double level, double confidence) {
        Checks.checkArgument(level > 0 && level < 1, "Invalid level: %s (must be > 0 and < 1)", level);
        checkConfidence(confidence);
        long n = (long) Math.ceil(level / (1 - level) - 1e-9);
        while (Math.ceil((n + 1) * level - 1e-9) > n) {
            n++;
        }
        if (confidence > 0) {
            n = Math.max(n, (long) Math.ceil(Math.log(1 - confidence) / Math.log(level) - 1e-9));
        }
        return n;
    }

    private static void checkConfidence(double confidence) {
        Checks.checkArgument(confidence == 0 || confidence >= 0.5 && confidence < 1,
                "Invalid confidence: %s (0 for coverage on average over calibrations, or in [0.5, 1))", confidence);
    }

    /**
     * Fits the calibration from the calibration rows' raw PIT values {@code pits[l][i]} and, for
     * {@link Method#CQR}, their scores {@code cqrScores[l][j][i]} at {@code cqrLevels[j]} (see {@link #cqrScore}).
     */
    public static Conformal fit(Method method, double confidence, double[][] pits, double[] cqrLevels,
                                double[][][] cqrScores) {
        checkConfidence(confidence);
        int d = pits.length;
        int n = pits[0].length;
        Checks.checkArgument(n >= 1, "No calibration rows");
        double[][] pitGrid = new double[d][];
        double[][] quantileGrid = new double[d][];
        double[][] radius = new double[d][];
        long[] gridRanks = new long[GRID + 1];
        long[] plainRanks = new long[GRID + 1];
        for (int j = 0; j <= GRID; j++) {
            gridRanks[j] = rank(n, (double) j / GRID, confidence);
            plainRanks[j] = rank(n, (double) j / GRID, 0);
        }
        double[][] margins = new double[d][cqrLevels.length];
        for (int l = 0; l < d; l++) {
            double[] u = pits[l].clone();
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                Checks.checkArgument(!Double.isNaN(u[i]), "NaN PIT of calibration row %s, dimension %s", i, l);
                s[i] = Math.abs(u[i] - 0.5);
            }
            Arrays.sort(u);
            Arrays.sort(s);
            pitGrid[l] = grid(u, plainRanks, 0.0, 1.0);
            quantileGrid[l] = grid(u, gridRanks, 0.0, 1.0);
            radius[l] = grid(s, gridRanks, 0.0, 0.5);
            for (int j = 0; j < cqrLevels.length; j++) {
                double[] e = cqrScores[l][j].clone();
                Arrays.sort(e);
                margins[l][j] = orderStatistic(e, rank(n, cqrLevels[j], confidence), Double.NEGATIVE_INFINITY,
                        Double.POSITIVE_INFINITY);
            }
        }
        return new Conformal(method, n, confidence, pitGrid, quantileGrid, radius, cqrLevels.clone(), margins);
    }

    /** The CQR score of label {@code y} against the raw interval [lo, hi]: how far outside it y lies (negative inside). */
    public static double cqrScore(double y, double lo, double hi) {
        return Math.max(lo - y, y - hi);
    }

    public int dim() {
        return pitGrid.length;
    }

    /** The raw level whose quantile is the calibrated {@code p}-quantile of dimension {@code l} (0 or 1: unbounded). */
    public double quantileLevel(int l, double p) {
        return quantileGrid[l][gridIndex(p)];
    }

    /** The calibrated PIT of a raw PIT value {@code u} in dimension {@code l}: the calibration rows' CDF at u. */
    public double pit(int l, double u) {
        double[] g = pitGrid[l];
        if (u < g[0]) {
            return 0;
        }
        if (u >= g[GRID]) {
            return 1;
        }
        int hi = Arrays.binarySearch(g, u);
        if (hi >= 0) {
            // the last grid point with this value (equal values are a flat stretch of the CDF)
            while (hi < GRID && g[hi + 1] == u) {
                hi++;
            }
            return (double) hi / GRID;
        }
        hi = -hi - 1;
        int lo = hi - 1;
        return (lo + (u - g[lo]) / (g[hi] - g[lo])) / GRID;
    }

    /**
     * The calibrated central interval of dimension {@code l} at {@code level}, from the raw mixture: its bounds,
     * possibly infinite.
     *
     * @throws IllegalArgumentException for a CQR calibration at a level it was not calibrated for
     */
    public double[] interval(GaussianMixture m, int l, double level, double rawLower, double rawUpper) {
        if (method == Method.DCP) {
            double r = dcpRadius[l][gridIndex(level)];
            return new double[] {quantile(m, l, 0.5 - r), quantile(m, l, 0.5 + r)};
        }
        double margin = cqrMargins[l][cqrLevelIndex(level)];
        return new double[] {rawLower - margin, rawUpper + margin};
    }

    /** The index of {@code level} among the CQR levels; fails naming the levels there are. */
    public int cqrLevelIndex(double level) {
        for (int j = 0; j < cqrLevels.length; j++) {
            if (Math.abs(cqrLevels[j] - level) < 1e-9) {
                return j;
            }
        }
        throw new IllegalArgumentException("The model's intervals were calibrated (cqr) at the levels "
                + Arrays.toString(cqrLevels) + ", not at " + level + " (calibrate again with --levels including it, "
                + "or use --method dcp, which serves every level)");
    }

    /** The quantile of dimension l at level p, −∞ at p ≤ 0 and +∞ at p ≥ 1. */
    static double quantile(GaussianMixture m, int l, double p) {
        return p <= 0 ? Double.NEGATIVE_INFINITY : p >= 1 ? Double.POSITIVE_INFINITY : m.quantile(l, p);
    }

    /** The grid index of the smallest grid level at or above {@code p}. */
    private static int gridIndex(double p) {
        Checks.checkArgument(p > 0 && p < 1, "Invalid level: %s (must be > 0 and < 1)", p);
        return (int) Math.min(GRID, Math.ceil(p * GRID - 1e-9));
    }

    /**
     * The rank a level's guarantee needs among n scores: k = ⌈(n + 1)·level⌉ at confidence 0; else the smallest
     * k ≥ that with P(Beta(k, n + 1 − k) &lt; level) ≤ 1 − confidence, found by bisection (the probability falls
     * as k grows), n + 1 when even k = n falls short.
     */
    static long rank(long n, double level, double confidence) {
        long k = (long) Math.ceil((n + 1) * level - 1e-9);
        if (confidence == 0 || level == 0 || k > n) {
            return k;
        }
        double alpha = 1 - confidence;
        if (shortfall(n, n, level) > alpha) {
            return n + 1;
        }
        long lo = k;
        long hi = n;
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            if (shortfall(n, mid, level) <= alpha) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** P(Beta(k, n + 1 − k) &lt; level): the chance that the k-th of n scores covers less than {@code level}. */
    private static double shortfall(long n, long k, double level) {
        return RegularizedBeta.value(level, k, n + 1 - k);
    }

    /** The sorted values' order statistics at {@code ranks}: {@code below} at rank 0, {@code beyond} past n. */
    private static double[] grid(double[] sorted, long[] ranks, double below, double beyond) {
        double[] g = new double[ranks.length];
        for (int j = 0; j < ranks.length; j++) {
            g[j] = orderStatistic(sorted, ranks[j], below, beyond);
        }
        return g;
    }

    private static double orderStatistic(double[] sorted, long k, double below, double beyond) {
        return k <= 0 ? below : k > sorted.length ? beyond : sorted[(int) k - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Conformal c && method == c.method && rows == c.rows && confidence == c.confidence
                && Arrays.deepEquals(pitGrid, c.pitGrid) && Arrays.deepEquals(quantileGrid, c.quantileGrid)
                && Arrays.deepEquals(dcpRadius, c.dcpRadius)
                && Arrays.equals(cqrLevels, c.cqrLevels) && Arrays.deepEquals(cqrMargins, c.cqrMargins);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {method, rows, confidence, pitGrid, quantileGrid, dcpRadius, cqrLevels,
            cqrMargins});
    }

    @Override
    public String toString() {
        return "Conformal[" + method.id() + ", " + rows + " rows, " + dim() + " dimension(s), "
                + (confidence == 0 ? "on average" : "confidence " + confidence)
                + (cqrLevels.length == 0 ? "" : ", levels " + Arrays.toString(cqrLevels)) + "]";
    }
}
