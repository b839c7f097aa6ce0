package io.sparkmdn.math;

import java.util.Objects;

/**
 * Quantiles of one dimension's marginal of a {@link GaussianMixture}: the 1-D mixture Σ_k α_k N(μ_kl, σ_kl²),
 * with the weights renormalised to sum exactly to 1 and zero weights dropped, inverted by a safeguarded Newton
 * root finder. The entry points are {@link GaussianMixture#quantile(int, double)} and
 * {@link GaussianMixture#quantiles(int, double[], double[])}, which state the accuracy.
 *
 * <p>The method, for a level p:
 * <ol>
 *   <li>Bracket. The mixture CDF is a convex combination of the component CDFs, so the quantile lies between
 *       the smallest and largest component quantile μ_k + σ_k Φ⁻¹(p): a bracket with no search.</li>
 *   <li>First guess, as if the components did not overlap: walk them in order of mean until their weights reach
 *       p, then take the quantile within that component (the "staircase" guess).</li>
 *   <li>Root finding on the tail on p's side, T = F below the median and S = 1 − F above it, summed directly
 *       so the far tail keeps its relative precision: Newton steps (Numerical Recipes' rtsafe) while they stay
 *       inside the bracket and at least halve the step before last, bisection otherwise. The Newton step is
 *       taken on ±log(T(x)/t) rather than on T(x) − t: far in a tail T falls off like a Gaussian tail, whose
 *       log is close to quadratic, so this takes a few steps where plain Newton crawls.</li>
 *   <li>Stop once T matches its target to a relative {@link #TAIL_TOLERANCE}, or when the bracket or the
 *       Newton correction is down to the resolution of x (then only where the excess changes sign within it,
 *       so a density spike far from the root is stepped past by bisection).</li>
 * </ol>
 * An instance holds one dimension's marginal, so several levels share the set-up; instances are not thread-safe.
 */
final class MarginalQuantiles {

    /** The root finder stops once the tail probability at x matches its target to this relative error. */
    static final double TAIL_TOLERANCE = 1e-14;

    /** Iteration cap of the root finder (bisection alone would shrink the bracket by 2^-200). */
    private static final int MAX_ITERATIONS = 200;

    /** A tail term below this fraction of the target probability is dropped (2^-60, under its rounding). */
    private static final double NEGLIGIBLE = 0x1p-60;

    private final int n;
    private final double[] w;
    private final double[] mu;
    private final double[] sigma;
    /** Component indices in increasing order of mean, for the staircase first guess. */
    private final int[] byMean;
    private final double sigmaMin;
    /** Density at the x of the last {@link #excess} call. */
    private double density;
    /** Tail probability T(x) (F below the median, S above) at the x of the last {@link #excess} call. */
    private double tail;

    /** The marginal of dimension {@code l} of {@code m} (l already checked). */
    private MarginalQuantiles(GaussianMixture m, int l) {
        int k = m.components();
        int d = m.dim();
        double[] weights = m.weightArray();
        double[] means = m.meanArray();
        double[] sigmas = m.sigmaArray();
        double total = m.totalWeight();
        int count = 0;
        for (int c = 0; c < k; c++) {
            if (weights[c] > 0.0) {
                count++;
            }
        }
        n = count;
        w = new double[n];
        mu = new double[n];
        sigma = new double[n];
        double smin = Double.POSITIVE_INFINITY;
        for (int c = 0, j = 0; c < k; c++) {
            if (weights[c] > 0.0) {
                w[j] = weights[c] / total;
                mu[j] = means[c * d + l];
                sigma[j] = sigmas[c * d + l];
                smin = Math.min(smin, sigma[j]);
                j++;
            }
        }
        sigmaMin = smin;
        byMean = new int[n];
        for (int j = 0; j < n; j++) { // insertion sort: K is small, and this avoids boxing
            int i = j;
            for (; i > 0 && mu[byMean[i - 1]] > mu[j]; i--) {
                byMean[i] = byMean[i - 1];
            }
            byMean[i] = j;
        }
    }

    /** The p-quantile of dimension l of {@code m}; see {@link GaussianMixture#quantile(int, double)}. */
    static double quantile(GaussianMixture m, int l, double p) {
        Objects.checkIndex(l, m.dim());
        checkLevel(p, -1);
        return new MarginalQuantiles(m, l).solve(p, Double.NEGATIVE_INFINITY);
    }

    /**
     * The quantiles of dimension l of {@code m} at strictly increasing levels, into {@code out}, never crossing;
     * see {@link GaussianMixture#quantiles(int, double[], double[])}.
     */
    static void quantiles(GaussianMixture m, int l, double[] levels, double[] out) {
        Objects.checkIndex(l, m.dim());
        Objects.requireNonNull(levels, "levels");
        Objects.requireNonNull(out, "out");
        if (out.length != levels.length) {
            throw new IllegalArgumentException("out has length " + out.length + " but levels has length "
                    + levels.length);
        }
        for (int i = 0; i < levels.length; i++) {
            checkLevel(levels[i], i);
            if (i > 0 && !(levels[i] > levels[i - 1])) {
                throw new IllegalArgumentException("Quantile levels must be strictly increasing but levels[" + i
                        + "] = " + levels[i] + " follows levels[" + (i - 1) + "] = " + levels[i - 1]);
            }
        }
        MarginalQuantiles marginal = new MarginalQuantiles(m, l);
        double previous = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < levels.length; i++) {
            previous = marginal.solve(levels[i], previous);
            out[i] = previous;
        }
    }

    private static void checkLevel(double p, int index) {
        if (!(p > 0.0 && p < 1.0)) {
            throw new IllegalArgumentException("Invalid quantile level" + (index < 0 ? "" : " levels[" + index + "]")
                    + ": " + p + " (must be strictly between 0 and 1)");
        }
    }

    /** The p-quantile, searched for in [max(lower, bracket low), bracket high]; never below {@code lower}. */
    private double solve(double p, double lower) {
        // The quantile lies between the smallest and largest component quantile: a bracket with no search.
        double zp = Gaussian.standardQuantile(p);
        double a = Double.POSITIVE_INFINITY;
        double b = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            double qj = clampFinite(mu[j] + sigma[j] * zp);
            a = Math.min(a, qj);
            b = Math.max(b, qj);
        }
        if (lower >= b) {
            return lower; // the quantile is at most b: keep the previous level's, so quantiles never cross
        }
        a = Math.max(a, lower);
        if (!(a < b)) {
            return a; // one component, or identical ones: the component quantile is exact
        }
        boolean upper = p > 0.5;
        double t = upper ? 1.0 - p : p; // exact for p ≥ ½ (Sterbenz)
        // Safeguarded Newton (Numerical Recipes' rtsafe): Newton steps while they stay inside the bracket and
        // at least halve the step before last, bisection otherwise. [a, b] keeps g(a) < 0 ≤ g(b) up to
        // rounding, so a flat gap between components (density ~ 0) just falls back to bisection.
        double x = Math.min(Math.max(staircaseGuess(p), a), b);
        double dxOld = b - a;
        double dx = dxOld;
        for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
            double g = excess(x, t, upper);
            double f = density;
            if (Math.abs(g) <= TAIL_TOLERANCE * t) {
                // Probability matched: one free Newton step removes the remaining first-order error.
                return clamp(x - g / f, a, b, x);
            }
            if (g < 0.0) {
                a = x;
            } else {
                b = x;
            }
            // Newton on h = ±log(T(x)/t) rather than on g: far in a tail T falls off like a Gaussian tail,
            // whose log is close to quadratic, so this takes a few steps where Newton on g crawls; near the
            // root the two agree (h ≈ ±g/t). h' = f/T.
            double h = Math.log(tail / t);
            double newton = x - (upper ? -h : h) * tail / f;
            double xtol = 2.0 * Math.ulp(1.0) * Math.max(Math.abs(x), sigmaMin);
            boolean newtonOk = newton > a && newton < b && Math.abs(2.0 * (newton - x)) <= Math.abs(dxOld);
            dxOld = dx;
            if (Math.abs(newton - x) <= xtol) {
                // The correction is below the resolution of x. That means convergence only if g changes sign
                // within it: a density spike (σ far below the spread) also gives a tiny step far from the root.
                double probe = g < 0.0 ? Math.min(x + xtol, b) : Math.max(x - xtol, a);
                double gProbe = excess(probe, t, upper);
                if (gProbe == 0.0 || (gProbe > 0.0) != (g > 0.0)) {
                    return Math.abs(gProbe) < Math.abs(g) ? probe : x;
                }
                if (gProbe < 0.0) {
                    a = probe;
                } else {
                    b = probe;
                }
                newtonOk = false; // step past the spike by bisection
            }
            if (newtonOk) {
                dx = newton - x;
                x = newton;
            } else {
                dx = 0.5 * (b - a);
                x = 0.5 * a + 0.5 * b; // midpoint without overflowing b − a
                if (x <= a || x >= b || dx <= xtol) {
                    return x; // the bracket is down to the resolution of x
                }
            }
        }
        return x;
    }

    /**
     * g(x) = F(x) − t below the median (upper = false), t − S(x) above it, with F = Σ w Φ(z_k) and
     * S = Σ w Q(z_k) = 1 − F summed directly so the far tail keeps its relative precision. Both are
     * increasing in x, with derivative the density; the density and T (F or S) are left in fields.
     */
    private double excess(double x, double t, boolean upper) {
        double sum = 0.0;
        double dens = 0.0;
        for (int j = 0; j < n; j++) {
            double z = (x - mu[j]) / sigma[j];
            double pdf = Gaussian.standardPdf(z);
            dens += w[j] * pdf / sigma[j];
            // Both sums are Σ w Q(u) with u = z (upper) or −z (lower, Φ(z) = Q(−z)). erfc is the cost, so
            // skip it where the term is known to rounding: Q(u) ≤ φ(u)/u for u > 0 (Mills ratio), so far
            // out on the tail side the term is below 2^-60·t; far on the other side Q(u) rounds to 1.
            double u = upper ? z : -z;
            if (u > 8.0) {
                if (w[j] * pdf > NEGLIGIBLE * t * u) {
                    sum += w[j] * Gaussian.standardSurvival(u);
                }
            } else if (u < -8.5) {
                sum += w[j]; // Q(u) = 1 − Q(−u), and Q(8.5) < 1e-17 is below half an ulp of 1
            } else {
                sum += w[j] * Gaussian.standardSurvival(u);
            }
        }
        density = dens;
        tail = sum;
        return upper ? t - sum : sum - t;
    }

    /**
     * First guess as if the components did not overlap: walk them in order of mean until their weights
     * reach p, then take the quantile within that component.
     */
    private double staircaseGuess(double p) {
        double below = 0.0;
        for (int i = 0; i < n - 1; i++) {
            int c = byMean[i];
            if (below + w[c] >= p) {
                return within(c, p - below);
            }
            below += w[c];
        }
        return within(byMean[n - 1], p - below);
    }

    /** The quantile of component c at level excess/w_c, the level kept inside (0, 1) against rounding. */
    private double within(int c, double excess) {
        double level = Math.min(Math.max(excess / w[c], Double.MIN_NORMAL), 1.0 - 0x1p-53);
        return clampFinite(mu[c] + sigma[c] * Gaussian.standardQuantile(level));
    }

    /** v if it lies in [a, b] (false for NaN), otherwise the fallback. */
    private static double clamp(double v, double a, double b, double fallback) {
        return v >= a && v <= b ? v : fallback;
    }

    private static double clampFinite(double v) {
        return Math.max(-Double.MAX_VALUE, Math.min(Double.MAX_VALUE, v));
    }
}
