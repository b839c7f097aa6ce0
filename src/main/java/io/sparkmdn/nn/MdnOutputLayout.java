package io.sparkmdn.nn;

import io.sparkmdn.math.MixtureBatch;
import io.sparkmdn.util.Checks;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one definition of how an MDN's output row is laid out, and how raw outputs map to mixture parameters.
 *
 * <p>For K mixture components over d output dimensions a row has {@code K·(1 + 2d)} columns:
 * <pre>
 *   [ α logits (K) | μ (K·d) | σ raw (K·d) ]
 *   α_k    = softmax(logits)_k                   column k
 *   μ_kl   = identity                            column K + k·d + l
 *   σ_kl   = floor + softplus(raw_kl)            column K + K·d + k·d + l
 * </pre>
 * Component-major ordering ({@code k·d + l}) matches {@link io.sparkmdn.math.GaussianMixture}'s storage, so a
 * row's μ and σ blocks copy straight into a mixture. Softplus keeps σ smooth and positive with a non-vanishing
 * gradient, and the floor keeps every density bounded, so the likelihood cannot run to infinity on one point.
 */
public record MdnOutputLayout(int mixtures, int outputDim) {

    public MdnOutputLayout {
        Checks.checkArgument(mixtures >= 1, "Invalid number of mixtures: %s (must be >= 1)", mixtures);
        Checks.checkArgument(outputDim >= 1, "Invalid output dimension: %s (must be >= 1)", outputDim);
    }

    /** Number of network output columns: K·(1 + 2d). */
    public int width() {
        return mixtures * (1 + 2 * outputDim);
    }

    /** Column of the α logit of component k. */
    public int alphaIndex(int k) {
        return k;
    }

    /** First column of the μ block; μ_kl sits at {@code muOffset() + k·d + l}. */
    public int muOffset() {
        return mixtures;
    }

    /** First column of the raw σ block; raw σ_kl sits at {@code sigmaOffset() + k·d + l}. */
    public int sigmaOffset() {
        return mixtures + mixtures * outputDim;
    }

    /** Column of μ for component k, output dimension l. */
    public int muIndex(int k, int l) {
        return muOffset() + k * outputDim + l;
    }

    /** Column of raw σ for component k, output dimension l. */
    public int sigmaIndex(int k, int l) {
        return sigmaOffset() + k * outputDim + l;
    }

    /** σ from its raw network output: {@code floor + softplus(raw)}, computed without overflow. */
    public static double sigma(double raw, double floor) {
        return floor + softplus(raw);
    }

    /** dσ/d raw, the logistic sigmoid of raw. */
    public static double sigmaDerivative(double raw) {
        return raw >= 0 ? 1.0 / (1.0 + Math.exp(-raw)) : Math.exp(raw) / (1.0 + Math.exp(raw));
    }

    /** The raw output that gives σ (inverse of {@link #sigma}); σ must exceed the floor. */
    public static double rawSigma(double sigma, double floor) {
        double s = sigma - floor;
        Checks.checkArgument(s > 0, "sigma %s must exceed the floor %s", sigma, floor);
        // inverse softplus: log(exp(s) - 1), written to stay finite for large s
        return s > 30 ? s + Math.log1p(-Math.exp(-s)) : Math.log(Math.expm1(s));
    }

    static double softplus(double raw) {
        return raw > 0 ? raw + Math.log1p(Math.exp(-raw)) : Math.log1p(Math.exp(raw));
    }

    /** Decodes a batch of network outputs ([n, width], any float type) into mixtures, with one bulk copy. */
    public MixtureBatch decode(INDArray output, double sigmaFloor) {
        Checks.checkArgument(output.rank() == 2 && output.size(1) == width(),
                "MDN output must be [batch, %s] for K=%s, d=%s; got %s",
                width(), mixtures, outputDim, output.shapeInfoToString());
        return decode(rowMajorDoubles(output), sigmaFloor);
    }

    /** Decodes row-major network outputs (n·width values) into mixtures. */
    public MixtureBatch decode(double[] out, double sigmaFloor) {
        int w = width();
        Checks.checkArgument(out.length % w == 0,
                "MDN output has %s values, not a multiple of the row width %s", out.length, w);
        int n = out.length / w;
        int kd = mixtures * outputDim;
        double[] weights = new double[n * mixtures];
        double[] means = new double[n * kd];
        double[] sigmas = new double[n * kd];
        for (int i = 0; i < n; i++) {
            int row = i * w;
            // softmax with the largest logit factored out
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < mixtures; k++) {
                max = Math.max(max, out[row + alphaIndex(k)]);
            }
            double sum = 0;
            for (int k = 0; k < mixtures; k++) {
                double e = Math.exp(out[row + alphaIndex(k)] - max);
                weights[i * mixtures + k] = e;
                sum += e;
            }
            for (int k = 0; k < mixtures; k++) {
                weights[i * mixtures + k] /= sum;
            }
            System.arraycopy(out, row + muOffset(), means, i * kd, kd);
            for (int j = 0; j < kd; j++) {
                sigmas[i * kd + j] = sigma(out[row + sigmaOffset() + j], sigmaFloor);
            }
        }
        return new MixtureBatch(mixtures, outputDim, weights, means, sigmas);
    }

    /** One bulk copy of a (possibly strided, any float type) 2-D array into a row-major double[]. */
    static double[] rowMajorDoubles(INDArray a) {
        INDArray c = a.ordering() == 'c' && !a.isView() && a.data().length() == a.length() ? a : a.dup('c');
        if (c.dataType() == DataType.FLOAT) {
            // one bulk copy out of the native buffer, widened here (asDouble reads a float buffer value by value)
            float[] f = c.data().asFloat();
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }
        return (c.dataType() == DataType.DOUBLE ? c : c.castTo(DataType.DOUBLE)).data().asDouble();
    }
}
