package io.sparkmdn.math;

import java.util.Arrays;

/**
 * The highest-density point of a {@link GaussianMixture}'s joint density, by hill climbing from the component
 * means and keeping the endpoint with the highest log-density (the lowest component index wins ties). The entry
 * point is {@link GaussianMixture#mode()}.
 *
 * <p>Climbs start from every mean but those of components too small to matter ({@link #START_FLOOR}) and
 * those of an earlier component with the same mean, and a climb that reaches an earlier endpoint stops there
 * ({@link #MERGE}). Each climb takes Newton steps on log p where its Hessian is negative definite and the step
 * raises the density, and otherwise the Gaussian mean-shift (EM) step
 * x_l ← Σ_k r_k(x) μ_kl/σ_kl² / Σ_k r_k(x)/σ_kl², which never lowers the density (Carreira-Perpiñán 2007,
 * "Gaussian mean-shift is an EM algorithm"). For overlapping components the mode need not be any component mean.
 * Starting from every mean finds the global maximum in practice (Carreira-Perpiñán 2000), but that is not a
 * certificate: a mode unreachable from every mean would be missed. Cost: at most K climbs of typically a few
 * steps, each O(K d² + d³).
 *
 * <p>An instance holds the work arrays of one search; it is used once and not shared.
 */
final class ModeSearch {

    /** Iteration cap of each hill climb. */
    private static final int MAX_ITERATIONS = 1000;

    /** A hill climb stops once its step is below this fraction of max(|x_l|, local σ_l) in every dimension. */
    static final double TOLERANCE = 1e-12;

    /**
     * A climb within this fraction of the local scale 1/√(Σ r_k/σ_kl²) of an earlier climb's endpoint, in every
     * dimension, ends there: two distinct maxima are separated by at least about the σ of the components that
     * make them, and the local scale is at most the smallest of those σ.
     */
    static final double MERGE = 1e-3;

    /**
     * No climb starts from a component whose peak α_c·N(μ_c; μ_c, σ_c) is below this fraction of the highest
     * peak, divided by K. Such a component adds less than that fraction of the highest peak, itself at most the
     * global maximum, anywhere, so the global maximum is made by the others, and is reached from their means.
     * In a trained model most components have weights near zero; this skips their climbs.
     */
    static final double START_FLOOR = 1e-3;

    private final GaussianMixture m;
    private final int k;
    private final int d;
    private final double[] weights;
    private final double[] means;
    private final double[] sigmas;
    private final double[] logWeights;
    private final double[] logNorms;

    private final double[] r;
    private final double[] grad;
    private final double[] precision;
    private final double[] hessian;
    private final double[] step;
    private final double[] trial;
    private final double[] gk;
    private final double[] savedGrad;
    private final double[] savedPrecision;
    /** Endpoints of earlier climbs (x, then log p), d + 1 values each. */
    private double[] endpoints;
    private int found;

    private ModeSearch(GaussianMixture m) {
        this.m = m;
        this.k = m.components();
        this.d = m.dim();
        this.weights = m.weightArray();
        this.means = m.meanArray();
        this.sigmas = m.sigmaArray();
        this.logWeights = m.logWeightArray();
        this.logNorms = m.logNormArray();
        this.r = new double[k];
        this.grad = new double[d];
        this.precision = new double[d];
        this.hessian = new double[d * d];
        this.step = new double[d];
        this.trial = new double[d];
        this.gk = new double[d];
        this.savedGrad = new double[d];
        this.savedPrecision = new double[d];
        this.endpoints = new double[4 * (d + 1)];
    }

    /** The highest-density point of {@code m}; see {@link GaussianMixture#mode()}. */
    static double[] mode(GaussianMixture m) {
        return new ModeSearch(m).highestClimb();
    }

    /** Climbs from every mean worth starting from and returns the highest endpoint. */
    private double[] highestClimb() {
        double[] best = null;
        double bestLog = Double.NEGATIVE_INFINITY;
        double highestPeak = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            highestPeak = Math.max(highestPeak, logNorms[c]);
        }
        double startFloor = highestPeak + Math.log(START_FLOOR / k);
        for (int c = 0; c < k; c++) {
            if (weights[c] == 0.0 || logNorms[c] < startFloor || repeatsEarlierStart(c, startFloor)) {
                continue;
            }
            double[] x = Arrays.copyOfRange(means, c * d, c * d + d);
            double lp = climb(x);
            if (best == null || lp > bestLog) {
                best = x;
                bestLog = lp;
            }
        }
        return best;
    }

    /**
     * Whether an earlier component that was climbed from (positive weight, peak above {@code startFloor}) has the
     * same mean as {@code c}: the same climb. One skipped for its small peak does not count, or a mixture whose
     * only worthwhile component shares its mean with a negligible earlier one would have no climb at all.
     */
    private boolean repeatsEarlierStart(int c, double startFloor) {
        for (int e = 0; e < c; e++) {
            if (weights[e] > 0.0 && logNorms[e] >= startFloor && Arrays.equals(means, e * d, e * d + d, means, c * d, c * d + d)) {
                return true;
            }
        }
        return false;
    }

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
     * comes within MERGE of the local scale of an earlier endpoint, in every dimension, is taken to end
     * there (most climbs of a trained model's overlapping components share their maximum).
     */
    private double climb(double[] x) {
        // The local model at an accepted point is the next iteration's: one pass over the components per
        // Newton step. A rejected trial costs a second pass, and the mean-shift step uses x's saved model.
        double lp = localModel(x);
        for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
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

    /** The index of an earlier endpoint within MERGE local scales of x in every dimension, or −1. */
    private int mergedEndpoint(double[] x) {
        for (int e = 0; e < found; e++) {
            int base = e * (d + 1);
            boolean near = true;
            for (int l = 0; l < d && near; l++) {
                near = Math.abs(x[l] - endpoints[base + l]) <= MERGE / Math.sqrt(precision[l]);
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
            r[c] = logWeights[c] == Double.NEGATIVE_INFINITY ? Double.NEGATIVE_INFINITY : m.logJoint(c, x);
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
            for (int q = 0; q < j; q++) {
                diag -= hessian[j * d + q] * hessian[j * d + q];
            }
            if (!(diag > 0.0) || diag == Double.POSITIVE_INFINITY) {
                return false; // not a local maximum's neighbourhood (or overflow): fall back to mean-shift
            }
            double ljj = Math.sqrt(diag);
            hessian[j * d + j] = ljj;
            for (int i = j + 1; i < d; i++) {
                double v = hessian[i * d + j];
                for (int q = 0; q < j; q++) {
                    v -= hessian[i * d + q] * hessian[j * d + q];
                }
                hessian[i * d + j] = v / ljj;
            }
        }
        // Solve L y = ∇, then Lᵀ step = y.
        for (int i = 0; i < d; i++) {
            double v = grad[i];
            for (int q = 0; q < i; q++) {
                v -= hessian[i * d + q] * step[q];
            }
            step[i] = v / hessian[i * d + i];
        }
        for (int i = d - 1; i >= 0; i--) {
            double v = step[i];
            for (int q = i + 1; q < d; q++) {
                v -= hessian[q * d + i] * step[q];
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

    /** The last step is below TOLERANCE·max(|x_l|, 1/√(Σ r_k/σ_kl²)) in every dimension. */
    private boolean converged(double[] x) {
        for (int l = 0; l < d; l++) {
            double scale = Math.max(Math.abs(x[l]), 1.0 / Math.sqrt(precision[l]));
            if (!(Math.abs(step[l]) <= TOLERANCE * scale)) {
                return false;
            }
        }
        return true;
    }
}
