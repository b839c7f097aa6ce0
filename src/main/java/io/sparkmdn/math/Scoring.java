package io.sparkmdn.math;

import io.sparkmdn.util.Checks;
import java.io.Serializable;
import java.util.Arrays;

/**
 * What an analyst asks of each row's predicted distribution: its mean, spread, most likely value, quantiles and a
 * central prediction interval, and, when the row's label is known, how likely it was, where it fell (PIT), its
 * CRPS, how much of an outlier it is, and whether the interval caught it. All per output dimension (marginals),
 * except the log-likelihood, which is the joint one.
 *
 * @param levels   quantile levels, strictly increasing, each in (0, 1) (default 0.05, 0.5, 0.95)
 * @param interval the central probability of the prediction interval, in (0, 1) (default 0.9): its bounds are
 *                 the quantiles at (1 − interval)/2 and (1 + interval)/2
 * @param mode      whether to find the mode (the costliest answer: hill climbs from the component means); false
 *                  leaves {@link Scores#mode()} null, for callers that aggregate the other answers
 * @param conformal the model's conformal calibration, or null: with one, the quantiles, the interval, the PIT,
 *                  the outlier p and whether the interval caught the label are the calibrated ones, and
 *                  {@link Scores#raw()} has the model's own (the mean, spread, mode, log-likelihood and CRPS are the
 *                  model's either way)
 */
public record Scoring(double[] levels, double interval, boolean mode, Conformal conformal) implements Serializable {

    /** The default quantile levels. */
    public static final double[] DEFAULT_LEVELS = {0.05, 0.5, 0.95};
    /** The default central probability of the prediction interval. */
    public static final double DEFAULT_INTERVAL = 0.9;

    public Scoring {
        Checks.checkArgument(levels != null && levels.length > 0, "No quantile levels given");
        levels = levels.clone();
        for (int i = 0; i < levels.length; i++) {
            Checks.checkArgument(levels[i] > 0 && levels[i] < 1, "Invalid quantile level: %s (must be > 0 and < 1)",
                    levels[i]);
            if (i > 0) {
                Checks.checkArgument(levels[i] > levels[i - 1],
                        "Quantile levels must be strictly increasing, without repeats: %s after %s", levels[i],
                        levels[i - 1]);
            }
        }
        Checks.checkArgument(interval > 0 && interval < 1, "Invalid interval: %s (must be > 0 and < 1)", interval);
    }

    /** Every answer, the mode included. */
    public Scoring(double[] levels, double interval) {
        this(levels, interval, true);
    }

    /** The model's own answers. */
    public Scoring(double[] levels, double interval, boolean mode) {
        this(levels, interval, mode, null);
    }

    /** These levels and interval without the mode. */
    public Scoring withoutMode() {
        return new Scoring(levels, interval, false, conformal);
    }

    /** These answers calibrated by {@code calibration} (null: the model's own). */
    public Scoring calibratedBy(Conformal calibration) {
        if (calibration != null && calibration.method() == Conformal.Method.CQR) {
            calibration.cqrLevelIndex(interval);
        }
        return new Scoring(levels, interval, mode, calibration);
    }

    /** The defaults: quantiles at 0.05, 0.5, 0.95 and a central 90% interval. */
    public static Scoring defaults() {
        return new Scoring(DEFAULT_LEVELS, DEFAULT_INTERVAL);
    }

    /**
     * One row's answers, each array indexed by output dimension ({@code quantiles[l]} by level).
     *
     * @param mode          the highest-density point; null when the scoring leaves it out
     * @param logLikelihood log p(y | x), the joint density at the label, in nats; NaN without a label
     * @param outlierP      the two-sided tail probability 2·min(pit, 1 − pit); null without a label
     * @param raw           with a calibration, the model's own answers; null without one
     */
    public record Scores(double[] mean, double[] std, double[] mode, double[][] quantiles, double[] lower,
                         double[] upper, double logLikelihood, double[] pit, double[] crps, double[] outlierP,
                         boolean[] inInterval, Scores raw) {
    }

    /** The answers for {@code mixture}, with its label {@code y} (d values) or null when unknown. */
    public Scores score(GaussianMixture mixture, double[] y) {
        int d = mixture.dim();
        double[] mean = mixture.mean();
        double[] std = mixture.std();
        double[][] quantiles = new double[d][levels.length];
        double[] bounds = {(1 - interval) / 2, (1 + interval) / 2};
        double[] lower = new double[d];
        double[] upper = new double[d];
        double[] lu = new double[2];
        for (int l = 0; l < d; l++) {
            mixture.quantiles(l, levels, quantiles[l]);
            mixture.quantiles(l, bounds, lu);
            lower[l] = lu[0];
            upper[l] = lu[1];
        }
        double[] mode = this.mode ? mixture.mode() : null;
        if (y == null) {
            return calibrated(mixture, new Scores(mean, std, mode, quantiles, lower, upper, Double.NaN, null, null,
                    null, null, null), null);
        }
        double[] pit = mixture.pit(y);
        double[] crps = new double[d];
        double[] outlier = new double[d];
        boolean[] in = new boolean[d];
        for (int l = 0; l < d; l++) {
            crps[l] = (d == 1 ? mixture : marginal(mixture, l)).crps(y[l]);
            outlier[l] = 2 * Math.min(pit[l], 1 - pit[l]);
            in[l] = y[l] >= lower[l] && y[l] <= upper[l];
        }
        return calibrated(mixture, new Scores(mean, std, mode, quantiles, lower, upper, mixture.logDensity(y), pit,
                crps, outlier, in, null), y);
    }

    /** {@code raw} with the calibrated quantiles, interval, PIT, outlier p and coverage, when calibrated. */
    private Scores calibrated(GaussianMixture mixture, Scores raw, double[] y) {
        if (conformal == null) {
            return raw;
        }
        int d = mixture.dim();
        double[][] quantiles = new double[d][levels.length];
        double[] lower = new double[d];
        double[] upper = new double[d];
        double[] pit = y == null ? null : new double[d];
        double[] outlier = y == null ? null : new double[d];
        boolean[] in = y == null ? null : new boolean[d];
        for (int l = 0; l < d; l++) {
            for (int i = 0; i < levels.length; i++) {
                quantiles[l][i] = Conformal.quantile(mixture, l, conformal.quantileLevel(l, levels[i]));
            }
            double[] bounds = conformal.interval(mixture, l, interval, raw.lower()[l], raw.upper()[l]);
            lower[l] = bounds[0];
            upper[l] = bounds[1];
            if (y != null) {
                pit[l] = conformal.pit(l, raw.pit()[l]);
                outlier[l] = 2 * Math.min(pit[l], 1 - pit[l]);
                in[l] = y[l] >= lower[l] && y[l] <= upper[l];
            }
        }
        return new Scores(raw.mean(), raw.std(), raw.mode(), quantiles, lower, upper, raw.logLikelihood(), pit,
                raw.crps(), outlier, in, raw);
    }

    /** The quantile levels (a copy). */
    @Override
    public double[] levels() {
        return levels.clone();
    }

    /** The 1-D mixture of dimension {@code l}: the same weights, each component's mean and σ in that dimension. */
    private static GaussianMixture marginal(GaussianMixture m, int l) {
        int k = m.components();
        double[] means = new double[k];
        double[] sigmas = new double[k];
        for (int c = 0; c < k; c++) {
            means[c] = m.mean(c, l);
            sigmas[c] = m.sigma(c, l);
        }
        return new GaussianMixture(m.weights(), means, sigmas, 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scoring s && Arrays.equals(levels, s.levels) && interval == s.interval && mode == s.mode
                && java.util.Objects.equals(conformal, s.conformal);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(levels) + Double.hashCode(interval)) + Boolean.hashCode(mode))
                + java.util.Objects.hashCode(conformal);
    }

    @Override
    public String toString() {
        return "Scoring[levels=" + Arrays.toString(levels) + ", interval=" + interval + ", mode=" + mode
                + (conformal == null ? "" : ", " + conformal) + "]";
    }
}
