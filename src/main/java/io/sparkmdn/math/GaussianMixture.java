package io.sparkmdn.math;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.apache.commons.numbers.gamma.Erf;

/**
 * A mixture of K Gaussian components over d output dimensions with diagonal covariance: the
 * predictive distribution a Mixture Density Network emits for one input row, already mapped back to
 * the user's units. Its density is p(y) = Σ_k α_k Π_l N(y_l; μ_kl, σ_kl²), where the weights α_k are
 * non-negative and sum to 1.
 *
 * <p>Parameters are stored row-major by component ({@code means[k*d + l]}, {@code sigmas[k*d + l]}).
 * Instances are immutable and cheap to build, since one is created per data row: the constructor
 * keeps the arrays it is given without copying, so callers must not mutate them afterwards.
 * Densities are evaluated in log space with log-sum-exp, so they stay finite far in the tails.
 * Sampling and temperature (τ) follow the usual MDN convention: α_k ∝ α_k^{1/τ}, σ scaled by τ.
 *
 * <p>Summaries for analysis: {@link #mean()}, {@link #variance()} and {@link #std()} of the whole mixture (law
 * of total variance), marginal quantiles by a safeguarded Newton root finder ({@link #quantile(int, double)},
 * {@link #quantiles(int, double[], double[])}), probability integral transforms ({@link #pit(double[])}) and
 * the highest-density point ({@link #mode()}).
 */
public final class GaussianMixture implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Largest accepted |Σ_k α_k − 1|. */
    public static final double WEIGHT_SUM_TOLERANCE = 1e-6;

    private final int k;
    private final int d;
    private final double[] weights;
    private final double[] means;
    private final double[] sigmas;
    private final double[] logWeights;
    /** log α_c − Σ_l log σ_cl − d·log √(2π): the constant part of each component's log joint density. */
    private final double[] logNorms;
    /** Running sums of α in index order, used to pick a component; the last is their exact total. */
    private final double[] cumulative;
    private final int mostProbable;
    private final int lastPositive;
    /** Component-choice table for the last temperature used by sampleInto (racy cache, safe: all-final holder). */
    private transient TemperedChoice temperedChoice;

    /**
     * Builds a mixture from weights[K], means[K*d] and sigmas[K*d] (kept, not copied), validating
     * every value.
     */
    public GaussianMixture(double[] weights, double[] means, double[] sigmas, int dim) {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(means, "means");
        Objects.requireNonNull(sigmas, "sigmas");
        if (dim < 1) {
            throw new IllegalArgumentException("dim must be >= 1 but was " + dim);
        }
        int kk = weights.length;
        if (kk < 1) {
            throw new IllegalArgumentException("weights must hold at least one component (K >= 1) but has length 0");
        }
        long expected = (long) kk * dim;
        if (means.length != expected) {
            throw new IllegalArgumentException("means has length " + means.length + " but K * d = "
                    + kk + " * " + dim + " = " + expected);
        }
        if (sigmas.length != expected) {
            throw new IllegalArgumentException("sigmas has length " + sigmas.length + " but K * d = "
                    + kk + " * " + dim + " = " + expected);
        }
        double[] lw = new double[kk];
        double[] cum = new double[kk];
        double sum = 0.0;
        int best = 0;
        int lastPos = -1;
        for (int c = 0; c < kk; c++) {
            double w = weights[c];
            if (!(w >= 0.0) || w == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(
                        "Invalid weight at component " + c + ": " + w + " (must be finite and >= 0)");
            }
            sum += w;
            cum[c] = sum;
            lw[c] = Math.log(w);
            if (w > weights[best]) {
                best = c;
            }
            if (w > 0.0) {
                lastPos = c;
            }
        }
        if (!(Math.abs(sum - 1.0) <= WEIGHT_SUM_TOLERANCE)) {
            throw new IllegalArgumentException("Weights must sum to 1 (within " + WEIGHT_SUM_TOLERANCE
                    + ") but sum to " + sum + " over K = " + kk + " components");
        }
        double[] norms = new double[kk];
        for (int c = 0, i = 0; c < kk; c++) {
            double logSigmas = 0.0;
            for (int l = 0; l < dim; l++, i++) {
                double m = means[i];
                if (m - m != 0.0) { // NaN or infinite
                    throw new IllegalArgumentException("Invalid mean at component " + c + ", dimension " + l
                            + ": " + m + " (must be finite)");
                }
                double s = sigmas[i];
                if (!(s > 0.0) || s == Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("Invalid sigma at component " + c + ", dimension " + l
                            + ": " + s + " (must be finite and > 0)");
                }
                logSigmas += Math.log(s);
            }
            norms[c] = lw[c] - logSigmas - dim * Gaussian.LOG_SQRT_2PI;
        }
        this.k = kk;
        this.d = dim;
        this.weights = weights;
        this.means = means;
        this.sigmas = sigmas;
        this.logWeights = lw;
        this.logNorms = norms;
        this.cumulative = cum;
        this.mostProbable = best;
        this.lastPositive = lastPos;
    }

    /** Builds a mixture whose weights are the (max-shifted) softmax of {@code logits}; the logits array is not modified. */
    public static GaussianMixture fromLogits(double[] logits, double[] means, double[] sigmas, int dim) {
        double[] w = Objects.requireNonNull(logits, "logits").clone();
        LogSumExp.softmaxInPlace(w, 0, w.length);
        return new GaussianMixture(w, means, sigmas, dim);
    }

    // ----------------------------------------------------------------------------------- accessors

    /** Number of components K. */
    public int components() {
        return k;
    }

    /** Number of output dimensions d. */
    public int dim() {
        return d;
    }

    /** Weight α_k of component {@code comp}. */
    public double weight(int comp) {
        return weights[Objects.checkIndex(comp, k)];
    }

    /** Mean μ of component {@code comp} in dimension {@code l}. */
    public double mean(int comp, int l) {
        return means[index(comp, l)];
    }

    /** Standard deviation σ of component {@code comp} in dimension {@code l}. */
    public double sigma(int comp, int l) {
        return sigmas[index(comp, l)];
    }

    /** Copy of the weights α[K]. */
    public double[] weights() {
        return weights.clone();
    }

    /** Copy of the means, row-major by component (index k*d + l). */
    public double[] means() {
        return means.clone();
    }

    /** Copy of the standard deviations, row-major by component (index k*d + l). */
    public double[] sigmas() {
        return sigmas.clone();
    }

    // ------------------------------------------------------------------------------------- density

    /**
     * log p(y) = log Σ_k α_k Π_l N(y_l; μ_kl, σ_kl²), finite even where p(y) underflows; NaN if y has a NaN.
     */
    public double logDensity(double[] y) {
        checkY(y);
        // Log-sum-exp for numerical stability, streamed (running max, rescaled sum) to avoid a per-call array.
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0.0;
        for (int c = 0; c < k; c++) {
            if (logWeights[c] == Double.NEGATIVE_INFINITY) {
                continue; // zero-weight component contributes nothing
            }
            double lp = logJoint(c, y);
            if (lp != lp) {
                return Double.NaN;
            }
            if (lp == Double.NEGATIVE_INFINITY) {
                continue; // z² overflowed: no mass here, and exp(-Inf - -Inf) would be NaN
            }
            if (lp <= max) {
                sum += Math.exp(lp - max);
            } else {
                sum = sum * Math.exp(max - lp) + 1.0;
                max = lp;
            }
        }
        return max == Double.NEGATIVE_INFINITY ? max : max + Math.log(sum);
    }

    /** Posterior component probabilities P(k | y) (summing to 1), computed in log space. */
    public double[] responsibilities(double[] y) {
        checkY(y);
        double[] r = new double[k];
        for (int c = 0; c < k; c++) {
            r[c] = logWeights[c] == Double.NEGATIVE_INFINITY ? Double.NEGATIVE_INFINITY : logJoint(c, y);
        }
        // Log-sum-exp for numerical stability: exp(log α_k p_k(y) − log p(y)).
        double lse = LogSumExp.of(r, 0, k);
        for (int c = 0; c < k; c++) {
            r[c] = Math.exp(r[c] - lse);
        }
        return r;
    }

    /** log α_c + Σ_l log N(y_l; μ_cl, σ_cl²). */
    private double logJoint(int c, double[] y) {
        int base = c * d;
        double squares = 0.0;
        for (int l = 0; l < d; l++) {
            double z = (y[l] - means[base + l]) / sigmas[base + l];
            squares += z * z;
        }
        return logNorms[c] - 0.5 * squares;
    }

    // ------------------------------------------------------------------------------------- moments

    /** Mixture mean Σ_k α_k μ_k, per dimension. */
    public double[] mean() {
        double[] m = new double[d];
        for (int c = 0; c < k; c++) {
            double w = weights[c];
            int base = c * d;
            for (int l = 0; l < d; l++) {
                m[l] += w * means[base + l];
            }
        }
        return m;
    }

    /**
     * Per-dimension variance of the whole mixture by the law of total variance: the mean within-component
     * variance plus the variance of the component means, Σ_k α_k σ_kl² + Σ_k α_k (μ_kl − mean_l)²
     * (= Σ_k α_k(σ_kl² + μ_kl²) − mean_l²).
     */
    public double[] variance() {
        double[] m = mean();
        double[] v = new double[d];
        for (int c = 0; c < k; c++) {
            double w = weights[c];
            int base = c * d;
            for (int l = 0; l < d; l++) {
                double s = sigmas[base + l];
                double dev = means[base + l] - m[l];
                // Same quantity as Σα(σ²+μ²) − mean², written around the mean to avoid cancellation.
                v[l] += w * (s * s + dev * dev);
            }
        }
        return v;
    }

    /** Per-dimension standard deviation of the whole mixture, √{@link #variance()}. */
    public double[] std() {
        double[] v = variance();
        for (int l = 0; l < d; l++) {
            v[l] = Math.sqrt(v[l]);
        }
        return v;
    }

    /** Index of the component with the largest weight (the lowest index wins ties). */
    public int mostProbableComponent() {
        return mostProbable;
    }

    /** Marginal distribution function P(Y_l ≤ v) = Σ_k α_k Φ((v − μ_kl)/σ_kl), e.g. for PIT calibration. */
    public double marginalCdf(int l, double v) {
        Objects.checkIndex(l, d);
        double p = 0.0;
        for (int c = 0; c < k; c++) {
            double w = weights[c];
            if (w > 0.0) {
                int i = c * d + l;
                p += w * Gaussian.cdf(v, means[i], sigmas[i]);
            }
        }
        return Math.min(1.0, p); // weights may sum to 1 + 1e-6
    }

    /**
     * Probability integral transform of an observation: {@code marginalCdf(l, y[l])} for every dimension l.
     * For a calibrated model each entry is Uniform(0, 1) over the data; values near 0 or 1 flag outliers.
     * A NaN in y gives NaN in that dimension.
     */
    public double[] pit(double[] y) {
        checkY(y);
        double[] u = new double[d];
        for (int l = 0; l < d; l++) {
            u[l] = marginalCdf(l, y[l]);
        }
        return u;
    }

    /** Continuous ranked probability score of observation {@code y} (closed form; only for d = 1). */
    public double crps(double y) {
        if (d != 1) {
            throw new IllegalStateException(
                    "crps is only defined for univariate mixtures (d = 1) but this mixture has d = " + d);
        }
        // Closed form for a mixture of normals (Grimit et al. 2006, QJRMS 132, eq. 5), from
        // CRPS(F, y) = E|X − y| − ½ E|X − X'| with X, X' ~ F independent:
        //   CRPS = Σ_k α_k A(y − μ_k, σ_k²) − ½ Σ_k Σ_j α_k α_j A(μ_k − μ_j, σ_k² + σ_j²)
        //   A(m, s²) = E|N(m, s²)| = 2 s φ(m/s) + m (2Φ(m/s) − 1)
        double first = 0.0;
        double second = 0.0;
        for (int c = 0; c < k; c++) {
            double wc = weights[c];
            if (wc == 0.0) {
                continue;
            }
            double mc = means[c];
            double sc = sigmas[c];
            first += wc * absNormalMean(y - mc, sc);
            // j == c: A(0, 2σ²) = 2·√2σ·φ(0) = 2σ/√π; j > c counted twice by symmetry.
            second += wc * wc * (2.0 * Gaussian.SQRT2 * sc * Gaussian.INV_SQRT_2PI);
            for (int j = c + 1; j < k; j++) {
                double wj = weights[j];
                if (wj != 0.0) {
                    double sj = sigmas[j];
                    second += 2.0 * wc * wj * absNormalMean(mc - means[j], Math.sqrt(sc * sc + sj * sj));
                }
            }
        }
        return first - 0.5 * second;
    }

    /** A(m, s²) = E|Z| for Z ~ N(m, s²) = 2 s φ(m/s) + m (2Φ(m/s) − 1), with 2Φ(z) − 1 = erf(z/√2). */
    private static double absNormalMean(double m, double s) {
        double z = m / s;
        return 2.0 * s * Gaussian.standardPdf(z) + m * Erf.value(z / Gaussian.SQRT2);
    }

    // ----------------------------------------------------------------------------------- quantiles

    /** The quantile root finder stops once the tail probability at x matches its target to this relative error. */
    static final double QUANTILE_TAIL_TOLERANCE = 1e-14;

    /** Iteration cap of the quantile root finder (bisection alone would shrink the bracket by 2^-200). */
    private static final int QUANTILE_MAX_ITERATIONS = 200;

    /**
     * The p-quantile of the marginal of dimension l, the x with P(Y_l ≤ x) = p, where Y_l is the 1-D mixture
     * Σ_k α_k N(μ_kl, σ_kl²) (weights renormalised to sum exactly to 1).
     *
     * <p>Accuracy: the result x matches the tail probability on p's side, P(Y_l ≤ x) for p ≤ ½ and
     * P(Y_l > x) for p > ½, to a relative error of about {@link #QUANTILE_TAIL_TOLERANCE} (or lies within a few
     * ulps of where it crosses), so {@code 1e-6} and {@code 1 − 1e-6} are resolved as well as the median.
     * Where the density at the quantile is not tiny this puts x within about 1e-13·max(|x|, σ_min) of the exact
     * quantile (σ_min the smallest σ_kl); in a gap between separated components, where the distribution
     * function is flat to double precision, any point of the gap is a valid answer and the matched probability
     * is the guarantee. Cost: a few evaluations of the K-term distribution function (erfc), typically 5 to 15.
     *
     * @param l dimension, 0 ≤ l < d
     * @param p level, strictly between 0 and 1
     * @throws IllegalArgumentException if p is NaN or outside (0, 1)
     */
    public double quantile(int l, double p) {
        Objects.checkIndex(l, d);
        checkLevel(p, -1);
        return new Marginal(this, l).quantile(p, Double.NEGATIVE_INFINITY);
    }

    /**
     * The quantiles of the marginal of dimension l at strictly increasing {@code levels}, written to
     * {@code out}; same accuracy as {@link #quantile(int, double)}, and never crossing: each quantile is
     * searched for no lower than the one before, so {@code out} is non-decreasing for every mixture, even for
     * levels an ulp apart.
     *
     * @throws IllegalArgumentException naming the offending value if a level is NaN, outside (0, 1), or not
     *                                  greater than the one before, or if out's length differs from levels'
     */
    public void quantiles(int l, double[] levels, double[] out) {
        Objects.checkIndex(l, d);
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
        Marginal marginal = new Marginal(this, l);
        double previous = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < levels.length; i++) {
            previous = marginal.quantile(levels[i], previous);
            out[i] = previous;
        }
    }

    private static void checkLevel(double p, int index) {
        if (!(p > 0.0 && p < 1.0)) {
            throw new IllegalArgumentException("Invalid quantile level" + (index < 0 ? "" : " levels[" + index + "]")
                    + ": " + p + " (must be strictly between 0 and 1)");
        }
    }

    /** The 1-D marginal mixture of one dimension, with the weights renormalised and zero weights dropped. */
    private static final class Marginal {
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

        Marginal(GaussianMixture m, int l) {
            double total = m.cumulative[m.k - 1];
            int count = 0;
            for (int c = 0; c < m.k; c++) {
                if (m.weights[c] > 0.0) {
                    count++;
                }
            }
            n = count;
            w = new double[n];
            mu = new double[n];
            sigma = new double[n];
            double smin = Double.POSITIVE_INFINITY;
            for (int c = 0, j = 0; c < m.k; c++) {
                if (m.weights[c] > 0.0) {
                    w[j] = m.weights[c] / total;
                    mu[j] = m.means[c * m.d + l];
                    sigma[j] = m.sigmas[c * m.d + l];
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

        /** The p-quantile, searched for in [max(lower, bracket low), bracket high]; never below {@code lower}. */
        double quantile(double p, double lower) {
            // The mixture CDF is a convex combination of the component CDFs, so the quantile lies between the
            // smallest and largest component quantile μ_k + σ_k Φ⁻¹(p): a bracket with no search.
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
            for (int iter = 0; iter < QUANTILE_MAX_ITERATIONS; iter++) {
                double g = excess(x, t, upper);
                double f = density;
                if (Math.abs(g) <= QUANTILE_TAIL_TOLERANCE * t) {
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

    // ---------------------------------------------------------------------------------------- mode

    /** Iteration cap of each hill climb in {@link #mode()}. */
    private static final int MODE_MAX_ITERATIONS = 1000;

    /** A hill climb stops once its step is below this fraction of max(|x_l|, local σ_l) in every dimension. */
    static final double MODE_TOLERANCE = 1e-12;

    /**
     * A climb within this fraction of the local scale 1/√(Σ r_k/σ_kl²) of an earlier climb's endpoint, in every
     * dimension, ends there: two distinct maxima are separated by at least about the σ of the components that
     * make them, and the local scale is at most the smallest of those σ.
     */
    static final double MODE_MERGE = 1e-3;

    /**
     * No climb starts from a component whose peak α_c·N(μ_c; μ_c, σ_c) is below this fraction of the highest
     * peak, divided by K. Such a component adds less than that fraction of the highest peak, itself at most the
     * global maximum, anywhere, so the global maximum is made by the others, and is reached from their means.
     * In a trained model most components have weights near zero; this skips their climbs.
     */
    static final double MODE_START_FLOOR = 1e-3;

    /**
     * The highest-density point of the (joint) mixture density, found by hill climbing from the component
     * means and keeping the endpoint with the highest log-density (the lowest component index wins ties). Climbs
     * start from every mean but those of components too small to matter ({@link #MODE_START_FLOOR}), and a
     * climb that reaches an earlier endpoint stops there ({@link #MODE_MERGE}).
     *
     * <p>Each climb takes Newton steps on log p where its Hessian is negative definite and the step raises the
     * density, and otherwise the Gaussian mean-shift (EM) step x_l ← Σ_k r_k(x) μ_kl/σ_kl² / Σ_k r_k(x)/σ_kl²,
     * which never lowers the density (Carreira-Perpiñán 2007, "Gaussian mean-shift is an EM algorithm"). For
     * overlapping components the mode need not be any component mean. Starting from every mean finds the
     * global maximum in practice (Carreira-Perpiñán 2000), but that is not a certificate: a mode unreachable
     * from every mean would be missed. Cost: at most K climbs of typically a few steps, each O(K d² + d³).
     */
    public double[] mode() {
        ModeSearch search = new ModeSearch();
        double[] best = null;
        double bestLog = Double.NEGATIVE_INFINITY;
        double highestPeak = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            highestPeak = Math.max(highestPeak, logNorms[c]);
        }
        double startFloor = highestPeak + Math.log(MODE_START_FLOOR / k);
        for (int c = 0; c < k; c++) {
            if (weights[c] == 0.0 || logNorms[c] < startFloor || repeatsEarlierStart(c)) {
                continue;
            }
            double[] x = Arrays.copyOfRange(means, c * d, c * d + d);
            double lp = search.climb(x);
            if (best == null || lp > bestLog) {
                best = x;
                bestLog = lp;
            }
        }
        return best;
    }

    /** Whether an earlier component with positive weight has the same mean as {@code c} (same climb). */
    private boolean repeatsEarlierStart(int c) {
        for (int e = 0; e < c; e++) {
            if (weights[e] > 0.0 && Arrays.equals(means, e * d, e * d + d, means, c * d, c * d + d)) {
                return true;
            }
        }
        return false;
    }

    /** Work arrays of one {@link #mode()} call. */
    private final class ModeSearch {
        private final double[] r = new double[k];
        private final double[] grad = new double[d];
        private final double[] precision = new double[d];
        private final double[] hessian = new double[d * d];
        private final double[] step = new double[d];
        private final double[] trial = new double[d];
        private final double[] gk = new double[d];
        private final double[] savedGrad = new double[d];
        private final double[] savedPrecision = new double[d];
        /** Endpoints of earlier climbs (x, then log p), d + 1 values each. */
        private double[] endpoints = new double[4 * (d + 1)];
        private int found;

        /** Records the endpoint of a finished climb, so later climbs that reach it can stop there. */
        private void remember(double[] x, double lp) {
            if ((found + 1) * (d + 1) > endpoints.length) {
                endpoints = Arrays.copyOf(endpoints, 2 * endpoints.length);
            }
            System.arraycopy(x, 0, endpoints, found * (d + 1), d);
            endpoints[found * (d + 1) + d] = lp;
            found++;
        }

        /**
         * Climbs from x (updated in place) to a local maximum of the density; returns log p there. A climb that
         * comes within MODE_MERGE of the local scale of an earlier endpoint, in every dimension, is taken to end
         * there (most climbs of a trained model's overlapping components share their maximum).
         */
        double climb(double[] x) {
            // The local model at an accepted point is the next iteration's: one pass over the components per
            // Newton step. A rejected trial costs a second pass, and the mean-shift step uses x's saved model.
            double lp = localModel(x);
            for (int iter = 0; iter < MODE_MAX_ITERATIONS; iter++) {
                System.arraycopy(grad, 0, savedGrad, 0, d);
                System.arraycopy(precision, 0, savedPrecision, 0, d);
                boolean newtonTaken = false;
                if (newtonStep()) {
                    for (int l = 0; l < d; l++) {
                        trial[l] = x[l] + step[l];
                    }
                    double lpTrial = localModel(trial);
                    if (lpTrial >= lp) {
                        System.arraycopy(trial, 0, x, 0, d);
                        lp = lpTrial;
                        newtonTaken = true;
                    }
                }
                if (!newtonTaken) {
                    // Mean-shift: x + ∇log p / Σ r_k Λ_k, the weighted mean of the μ_k under weights r_k Λ_k.
                    for (int l = 0; l < d; l++) {
                        step[l] = savedGrad[l] / savedPrecision[l];
                        x[l] += step[l];
                    }
                    lp = localModel(x);
                }
                if (converged(x)) {
                    break;
                }
                int merged = mergedEndpoint(x);
                if (merged >= 0) {
                    System.arraycopy(endpoints, merged * (d + 1), x, 0, d);
                    return endpoints[merged * (d + 1) + d];
                }
            }
            remember(x, lp);
            return lp;
        }

        /** The index of an earlier endpoint within MODE_MERGE local scales of x in every dimension, or −1. */
        private int mergedEndpoint(double[] x) {
            for (int e = 0; e < found; e++) {
                int base = e * (d + 1);
                boolean near = true;
                for (int l = 0; l < d && near; l++) {
                    near = Math.abs(x[l] - endpoints[base + l]) <= MODE_MERGE / Math.sqrt(precision[l]);
                }
                if (near) {
                    return e;
                }
            }
            return -1;
        }

        /**
         * At x: responsibilities r_k, gradient ∇log p = Σ_k r_k g_k with g_k = Λ_k(μ_k − x) and
         * Λ_k = diag(1/σ_k²), the mean-shift precisions Σ_k r_k Λ_k, and the lower triangle of
         * H = −∇²log p = Σ_k r_k Λ_k − Σ_k r_k g_k g_kᵀ + ∇∇ᵀ. Returns log p(x) (−∞ where it underflows, and
         * then leaves the model unset).
         */
        private double localModel(double[] x) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                r[c] = logWeights[c] == Double.NEGATIVE_INFINITY ? Double.NEGATIVE_INFINITY : logJoint(c, x);
                max = Math.max(max, r[c]);
            }
            if (!(max > Double.NEGATIVE_INFINITY)) {
                return max; // −∞ (no mass within reach of x) or NaN: the caller rejects the point
            }
            // Log-sum-exp for numerical stability: r_k = exp(log α_k p_k(x) − max) / Σ.
            double sum = 0.0;
            for (int c = 0; c < k; c++) {
                r[c] = Math.exp(r[c] - max);
                sum += r[c];
            }
            Arrays.fill(grad, 0.0);
            Arrays.fill(precision, 0.0);
            Arrays.fill(hessian, 0.0);
            for (int c = 0; c < k; c++) {
                double rc = r[c] / sum;
                if (rc == 0.0) {
                    continue;
                }
                int base = c * d;
                for (int l = 0; l < d; l++) {
                    double s = sigmas[base + l];
                    double lambda = 1.0 / (s * s);
                    gk[l] = (means[base + l] - x[l]) * lambda;
                    grad[l] += rc * gk[l];
                    precision[l] += rc * lambda;
                }
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j <= i; j++) {
                        hessian[i * d + j] -= rc * gk[i] * gk[j];
                    }
                }
            }
            for (int i = 0; i < d; i++) {
                hessian[i * d + i] += precision[i];
                for (int j = 0; j <= i; j++) {
                    hessian[i * d + j] += grad[i] * grad[j];
                }
            }
            return max + Math.log(sum);
        }

        /** Newton step H⁻¹∇ into {@code step} by Cholesky of H; false unless H is positive definite. */
        private boolean newtonStep() {
            // In-place Cholesky H = L Lᵀ on the lower triangle.
            for (int j = 0; j < d; j++) {
                double diag = hessian[j * d + j];
                for (int m = 0; m < j; m++) {
                    diag -= hessian[j * d + m] * hessian[j * d + m];
                }
                if (!(diag > 0.0) || diag == Double.POSITIVE_INFINITY) {
                    return false; // not a local maximum's neighbourhood (or overflow): fall back to mean-shift
                }
                double ljj = Math.sqrt(diag);
                hessian[j * d + j] = ljj;
                for (int i = j + 1; i < d; i++) {
                    double v = hessian[i * d + j];
                    for (int m = 0; m < j; m++) {
                        v -= hessian[i * d + m] * hessian[j * d + m];
                    }
                    hessian[i * d + j] = v / ljj;
                }
            }
            // Solve L y = ∇, then Lᵀ step = y.
            for (int i = 0; i < d; i++) {
                double v = grad[i];
                for (int m = 0; m < i; m++) {
                    v -= hessian[i * d + m] * step[m];
                }
                step[i] = v / hessian[i * d + i];
            }
            for (int i = d - 1; i >= 0; i--) {
                double v = step[i];
                for (int m = i + 1; m < d; m++) {
                    v -= hessian[m * d + i] * step[m];
                }
                step[i] = v / hessian[i * d + i];
            }
            for (int l = 0; l < d; l++) {
                if (!Double.isFinite(step[l])) {
                    return false;
                }
            }
            return true;
        }

        /** The last step is below MODE_TOLERANCE·max(|x_l|, 1/√(Σ r_k/σ_kl²)) in every dimension. */
        private boolean converged(double[] x) {
            for (int l = 0; l < d; l++) {
                double scale = Math.max(Math.abs(x[l]), 1.0 / Math.sqrt(precision[l]));
                if (!(Math.abs(step[l]) <= MODE_TOLERANCE * scale)) {
                    return false;
                }
            }
            return true;
        }
    }

    // --------------------------------------------------------------------------------- temperature

    /** This mixture at temperature τ > 0: α_k ∝ α_k^{1/τ} and every σ multiplied by τ (τ = 1 returns this). */
    public GaussianMixture tempered(double tau) {
        if (tau == 1.0) {
            return this;
        }
        if (!(tau > 0.0) || tau == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("Invalid temperature tau: " + tau
                    + " (tempered needs a finite tau > 0; use sample(rng, 0) for the deterministic tau = 0)");
        }
        double[] s = new double[sigmas.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = sigmas[i] * tau;
        }
        return new GaussianMixture(temperedWeights(tau), means, s, d); // means are shared: never mutated
    }

    /** Normalised α_k^{1/τ}, computed in log space (logits scaled by 1/τ, then softmax). */
    private double[] temperedWeights(double tau) {
        double[] w = new double[k];
        for (int c = 0; c < k; c++) {
            w[c] = logWeights[c] / tau;
        }
        double lse = LogSumExp.of(w, 0, k);
        for (int c = 0; c < k; c++) {
            w[c] = Math.exp(w[c] - lse);
        }
        return w;
    }

    // ------------------------------------------------------------------------------------ sampling

    /** One draw y ~ this mixture: pick a component by α, then μ + σ·N(0, 1) per dimension. */
    public double[] sample(RandomGenerator rng) {
        return sample(rng, 1.0);
    }

    /**
     * One draw at temperature τ: τ = 0 gives the mean of the most probable component (no randomness
     * used), τ > 0 a draw from {@link #tempered(double) tempered(τ)}.
     */
    public double[] sample(RandomGenerator rng, double tau) {
        double[] out = new double[d];
        sampleInto(rng, tau, out, 0);
        return out;
    }

    /**
     * Writes one draw at temperature τ into {@code out[offset .. offset+d)} without allocating
     * (after the first call at a given τ ≠ 0, 1); same draws as {@link #sample(RandomGenerator, double)}.
     */
    public void sampleInto(RandomGenerator rng, double tau, double[] out, int offset) {
        Objects.requireNonNull(rng, "rng");
        Objects.checkFromIndexSize(offset, d, out.length);
        int c;
        if (tau == 1.0) {
            c = pick(rng.nextDouble(), cumulative, lastPositive);
        } else if (tau == 0.0) {
            System.arraycopy(means, mostProbable * d, out, offset, d);
            return;
        } else if (tau > 0.0 && tau != Double.POSITIVE_INFINITY) {
            TemperedChoice t = temperedChoice;
            if (t == null || t.tau != tau) {
                t = new TemperedChoice(tau, temperedWeights(tau));
                temperedChoice = t;
            }
            c = pick(rng.nextDouble(), t.cumulative, t.lastPositive);
        } else {
            throw new IllegalArgumentException(
                    "Invalid temperature tau: " + tau + " (must be finite and >= 0)");
        }
        int base = c * d;
        for (int l = 0; l < d; l++) {
            // (σ·τ) grouped as in tempered(τ), so both paths give bit-identical draws.
            out[offset + l] = means[base + l] + (sigmas[base + l] * tau) * rng.nextGaussian();
        }
    }

    /**
     * Inverse CDF on one uniform u ∈ [0, 1): the first c with u·total < cum[c], by binary search over the running
     * sums (a zero weight adds nothing, so its component is never chosen); lastPositive if u·total rounds up to
     * the total.
     */
    private static int pick(double u, double[] cum, int lastPositive) {
        double target = u * cum[cum.length - 1];
        int lo = 0;
        int hi = cum.length; // the answer lies in [lo, hi]; hi = K means none
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (target < cum[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo < cum.length ? lo : lastPositive;
    }

    /** Immutable component-choice table for one temperature. */
    private static final class TemperedChoice {
        final double tau;
        final double[] cumulative;
        final int lastPositive;

        TemperedChoice(double tau, double[] weights) {
            double[] cum = new double[weights.length];
            double sum = 0.0;
            int last = 0;
            for (int c = 0; c < weights.length; c++) {
                sum += weights[c];
                cum[c] = sum;
                if (weights[c] > 0.0) {
                    last = c;
                }
            }
            this.tau = tau;
            this.cumulative = cum;
            this.lastPositive = last;
        }
    }

    // --------------------------------------------------------------------------------------- misc

    private int index(int comp, int l) {
        Objects.checkIndex(comp, k);
        Objects.checkIndex(l, d);
        return comp * d + l;
    }

    private void checkY(double[] y) {
        Objects.requireNonNull(y, "y");
        if (y.length != d) {
            throw new IllegalArgumentException(
                    "y has length " + y.length + " but the mixture has d = " + d + " output dimensions");
        }
    }

    /** Compact description, e.g. {@code GaussianMixture(K=2, d=1: 0.3*N([0.0], [1.0]) + 0.7*N([2.0], [0.5]))}. */
    @Override
    public String toString() {
        final int shown = Math.min(k, 8);
        StringBuilder sb = new StringBuilder(64 + shown * (24 + 24 * d));
        sb.append("GaussianMixture(K=").append(k).append(", d=").append(d).append(": ");
        for (int c = 0; c < shown; c++) {
            if (c > 0) {
                sb.append(" + ");
            }
            sb.append(weights[c]).append("*N(");
            appendRow(sb, means, c);
            sb.append(", ");
            appendRow(sb, sigmas, c);
            sb.append(')');
        }
        if (shown < k) {
            sb.append(" + ... (").append(k - shown).append(" more)");
        }
        return sb.append(')').toString();
    }

    private void appendRow(StringBuilder sb, double[] a, int c) {
        sb.append('[');
        for (int l = 0; l < d; l++) {
            if (l > 0) {
                sb.append(", ");
            }
            sb.append(a[c * d + l]);
        }
        sb.append(']');
    }
}
