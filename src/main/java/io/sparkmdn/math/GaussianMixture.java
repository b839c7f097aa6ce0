package io.sparkmdn.math;

import java.io.Serializable;
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
 * the highest-density point ({@link #mode()}). The two searches live in classes of their own in this package,
 * {@code MarginalQuantiles} and {@code ModeSearch}; this class is the distribution.
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

    /**
     * Builds a mixture whose weights are the (max-shifted) softmax of {@code logits}; the logits array is not
     * modified.
     */
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

    /** log α_c + Σ_l log N(y_l; μ_cl, σ_cl²); ModeSearch evaluates its responsibilities with it. */
    double logJoint(int c, double[] y) {
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

    /**
     * The p-quantile of the marginal of dimension l, the x with P(Y_l ≤ x) = p, where Y_l is the 1-D mixture
     * Σ_k α_k N(μ_kl, σ_kl²) (weights renormalised to sum exactly to 1), found by a safeguarded Newton root
     * finder ({@code MarginalQuantiles} describes the method).
     *
     * <p>Accuracy: the result x matches the tail probability on p's side, P(Y_l ≤ x) for p ≤ ½ and
     * P(Y_l > x) for p > ½, to a relative error of about 1e-14 (or lies within a few ulps of where it crosses),
     * so {@code 1e-6} and {@code 1 − 1e-6} are resolved as well as the median.
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
        return MarginalQuantiles.quantile(this, l, p);
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
        MarginalQuantiles.quantiles(this, l, levels, out);
    }

    // ---------------------------------------------------------------------------------------- mode

    /**
     * The highest-density point of the (joint) mixture density, found by hill climbing (Newton and Gaussian
     * mean-shift steps) from the component means and keeping the endpoint with the highest log-density (the
     * lowest component index wins ties); {@code ModeSearch} describes the method. For overlapping components the
     * mode need not be any component mean. Starting from every mean finds the global maximum in practice, but
     * that is not a certificate: a mode unreachable from every mean would be missed. Cost: at most K climbs of
     * typically a few steps, each O(K d² + d³).
     */
    public double[] mode() {
        return ModeSearch.mode(this);
    }

    // ----------------------------------------------------------- parameters for the solvers of this package

    // MarginalQuantiles and ModeSearch read the parameters in place: these return the arrays themselves, not
    // copies, and no caller may write to them.

    double[] weightArray() {
        return weights;
    }

    double[] meanArray() {
        return means;
    }

    double[] sigmaArray() {
        return sigmas;
    }

    double[] logWeightArray() {
        return logWeights;
    }

    /** log α_c − Σ_l log σ_cl − d·log √(2π) per component: the log of its peak α_c·N(μ_c; μ_c, σ_c). */
    double[] logNormArray() {
        return logNorms;
    }

    /** Σ_k α_k summed in index order, the exact total the weights renormalise by. */
    double totalWeight() {
        return cumulative[k - 1];
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
