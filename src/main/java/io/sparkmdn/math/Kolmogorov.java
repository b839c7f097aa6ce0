package io.sparkmdn.math;

import io.sparkmdn.util.Checks;

/**
 * The Kolmogorov–Smirnov test of uniformity, for PIT values: under a calibrated model a row's PIT is uniform on
 * [0, 1], and the distance D between the empirical and the uniform CDF is small.
 */
public final class Kolmogorov {

    private Kolmogorov() {
    }

    /**
     * The p-value of distance {@code d} over {@code n} values: the asymptotic Kolmogorov distribution at
     * λ = (√n + 0.12 + 0.11/√n)·D (Stephens' small-sample correction, good to about 1% of p for n ≥ 5),
     * Q(λ) = 2 Σ_{k≥1} (−1)^{k−1} exp(−2k²λ²), summed until the terms stop mattering.
     */
    public static double pValue(double d, long n) {
        Checks.checkArgument(d >= 0 && d <= 1, "Invalid KS distance: %s", d);
        Checks.checkArgument(n >= 1, "Invalid count: %s", n);
        double root = Math.sqrt(n);
        double lambda = (root + 0.12 + 0.11 / root) * d;
        if (lambda < 0.2) {
            return 1.0; // the series converges slowly here, and Q(0.2) = 1 - 1e-10
        }
        double sum = 0;
        double sign = 1;
        for (int k = 1; k <= 100; k++) {
            double term = sign * Math.exp(-2.0 * k * k * lambda * lambda);
            sum += term;
            if (Math.abs(term) < 1e-16 * Math.abs(sum)) {
                break;
            }
            sign = -sign;
        }
        return Math.max(0.0, Math.min(1.0, 2 * sum));
    }

    /**
     * The KS distance of values binned into {@code counts} (equal bins of [0, 1]) from the uniform CDF, exact to
     * one bin's width: the largest gap at the bins' edges.
     */
    public static double distance(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            return 0;
        }
        double d = 0;
        long cumulative = 0;
        for (int b = 0; b < counts.length; b++) {
            d = Math.max(d, Math.abs((double) cumulative / total - (double) b / counts.length));
            cumulative += counts[b];
            d = Math.max(d, Math.abs((double) cumulative / total - (double) (b + 1) / counts.length));
        }
        return d;
    }
}
