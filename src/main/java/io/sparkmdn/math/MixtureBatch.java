package io.sparkmdn.math;

import java.util.Arrays;

/**
 * The Gaussian mixtures of a batch of n rows, stored flat: {@code weights[i·K + k]},
 * {@code means[(i·K + k)·d + l]}, {@code sigmas[(i·K + k)·d + l]}.
 *
 * <p>This is what an MDN's forward pass decodes into, in one bulk copy per batch; {@link #mixture(int)} gives
 * one row as a {@link GaussianMixture}. The arrays are owned by the batch and never mutated after construction.
 */
public final class MixtureBatch {

    private final int size;
    private final int mixtures;
    private final int dim;
    private final double[] weights;
    private final double[] means;
    private final double[] sigmas;

    /**
     * @param mixtures components per row K
     * @param dim      output dimension d
     * @param weights  n·K mixture weights, each row summing to 1
     * @param means    n·K·d component means
     * @param sigmas   n·K·d component standard deviations (> 0)
     */
    public MixtureBatch(int mixtures, int dim, double[] weights, double[] means, double[] sigmas) {
        if (mixtures < 1 || dim < 1) {
            throw new IllegalArgumentException("Invalid batch shape: K=" + mixtures + ", d=" + dim);
        }
        if (weights.length % mixtures != 0) {
            throw new IllegalArgumentException(
                    "weights length " + weights.length + " is not a multiple of K=" + mixtures);
        }
        int n = weights.length / mixtures;
        if (means.length != n * mixtures * dim || sigmas.length != n * mixtures * dim) {
            throw new IllegalArgumentException("means/sigmas lengths " + means.length + "/" + sigmas.length
                    + " do not match n=" + n + ", K=" + mixtures + ", d=" + dim);
        }
        this.size = n;
        this.mixtures = mixtures;
        this.dim = dim;
        this.weights = weights;
        this.means = means;
        this.sigmas = sigmas;
    }

    /** Number of rows n. */
    public int size() {
        return size;
    }

    /** Components per row K. */
    public int mixtures() {
        return mixtures;
    }

    /** Output dimension d. */
    public int dim() {
        return dim;
    }

    /** Weight α of component k in row i. */
    public double weight(int i, int k) {
        return weights[i * mixtures + k];
    }

    /** Mean μ of component k, dimension l, in row i. */
    public double mean(int i, int k, int l) {
        return means[(i * mixtures + k) * dim + l];
    }

    /** Standard deviation σ of component k, dimension l, in row i. */
    public double sigma(int i, int k, int l) {
        return sigmas[(i * mixtures + k) * dim + l];
    }

    /** Row i as a mixture (a copy of its slices). */
    public GaussianMixture mixture(int i) {
        int kd = mixtures * dim;
        return new GaussianMixture(
                Arrays.copyOfRange(weights, i * mixtures, (i + 1) * mixtures),
                Arrays.copyOfRange(means, i * kd, (i + 1) * kd),
                Arrays.copyOfRange(sigmas, i * kd, (i + 1) * kd),
                dim);
    }

    /**
     * The batch after the affine map y ↦ shift + scale·y per output dimension (μ ↦ shift + scale·μ,
     * σ ↦ |scale|·σ): how standardised network outputs return to the user's units.
     */
    public MixtureBatch affine(double[] shift, double[] scale) {
        if (shift.length != dim || scale.length != dim) {
            throw new IllegalArgumentException("affine map has dimension " + shift.length + "/" + scale.length
                    + ", batch has d=" + dim);
        }
        double[] m = new double[means.length];
        double[] s = new double[sigmas.length];
        for (int j = 0; j < m.length; j++) {
            int l = j % dim;
            m[j] = shift[l] + scale[l] * means[j];
            s[j] = Math.abs(scale[l]) * sigmas[j];
        }
        return new MixtureBatch(mixtures, dim, weights, m, s);
    }

    /** Log-density of each row's mixture at the matching row of {@code y} (n·d values, row-major). */
    public double[] logDensities(double[] y) {
        if (y.length != size * dim) {
            throw new IllegalArgumentException(
                    "labels have " + y.length + " values; expected n·d = " + size + "·" + dim);
        }
        double[] out = new double[size];
        double[] row = new double[dim];
        for (int i = 0; i < size; i++) {
            System.arraycopy(y, i * dim, row, 0, dim);
            out[i] = mixture(i).logDensity(row);
        }
        return out;
    }

    /** The rows of several batches (same K and d) in order, as one batch. */
    public static MixtureBatch concat(MixtureBatch... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("Nothing to concatenate");
        }
        int k = parts[0].mixtures;
        int d = parts[0].dim;
        int n = 0;
        for (MixtureBatch b : parts) {
            if (b.mixtures != k || b.dim != d) {
                throw new IllegalArgumentException("Cannot concatenate K=" + b.mixtures + ", d=" + b.dim
                        + " onto K=" + k + ", d=" + d);
            }
            n += b.size;
        }
        double[] w = new double[n * k];
        double[] m = new double[n * k * d];
        double[] s = new double[n * k * d];
        int wi = 0;
        int mi = 0;
        for (MixtureBatch b : parts) {
            System.arraycopy(b.weights, 0, w, wi, b.weights.length);
            System.arraycopy(b.means, 0, m, mi, b.means.length);
            System.arraycopy(b.sigmas, 0, s, mi, b.sigmas.length);
            wi += b.weights.length;
            mi += b.means.length;
        }
        return new MixtureBatch(k, d, w, m, s);
    }
}
