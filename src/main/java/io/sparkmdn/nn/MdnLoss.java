package io.sparkmdn.nn;

import io.sparkmdn.util.Checks;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Negative log-likelihood of a Gaussian mixture with diagonal covariance, for the MDN output layer.
 *
 * <p>The network output is read through {@link MdnOutputLayout}; the output layer's activation should be
 * identity (the loss applies softmax to the α logits and {@code floor + softplus} to the raw σ itself). Per
 * example the score is {@code −log Σ_k α_k Π_l N(y_l; μ_kl, σ_kl)}, computed by log-sum-exp so that it stays
 * finite for every finite input: a label 10⁶ away from every mean under the σ floor gives a large finite score,
 * not infinity. Gradients are analytic, with r_k the posterior responsibility of component k:
 * <pre>
 *   ∂/∂ logit_k = α_k − r_k
 *   ∂/∂ μ_kl    = −r_k (y_l − μ_kl) / σ_kl²
 *   ∂/∂ raw_kl  = r_k (1 − (y_l − μ_kl)² / σ_kl²) / σ_kl · sigmoid(raw_kl)
 * </pre>
 * The batch is copied out of ND4J once and computed in plain Java: for MDN heads (a few dozen columns) this
 * is faster than a chain of small ND4J ops, and it keeps the arithmetic in one readable loop. Masks are
 * per-example ({@code [n, 1]}). The loss serialises with the network configuration by class name and the
 * three fields below, so saved networks reload with it.
 */
public final class MdnLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private final int mixtures;
    private final int outputDim;
    private final double sigmaFloor;

    /**
     * @param mixtures   number of mixture components K (≥ 1)
     * @param outputDim  dimension d of the label y (≥ 1)
     * @param sigmaFloor lower bound added to every σ, in standardised label units (≥ 0, finite)
     */
    @JsonCreator
    public MdnLoss(@JsonProperty("mixtures") int mixtures,
                   @JsonProperty("outputDim") int outputDim,
                   @JsonProperty("sigmaFloor") double sigmaFloor) {
        Checks.checkArgument(sigmaFloor >= 0 && Double.isFinite(sigmaFloor),
                "Invalid sigma floor: %s (must be finite and >= 0)", sigmaFloor);
        new MdnOutputLayout(mixtures, outputDim); // validates K and d
        this.mixtures = mixtures;
        this.outputDim = outputDim;
        this.sigmaFloor = sigmaFloor;
    }

    @JsonProperty("mixtures")
    public int mixtures() {
        return mixtures;
    }

    @JsonProperty("outputDim")
    public int outputDim() {
        return outputDim;
    }

    @JsonProperty("sigmaFloor")
    public double sigmaFloor() {
        return sigmaFloor;
    }

    /** The output layout this loss reads. */
    public MdnOutputLayout layout() {
        return new MdnOutputLayout(mixtures, outputDim);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        Batch batch = batch(labels, preOutput, activationFn, mask);
        // DL4J asks for the gradient and then, from a recomputed but equal output, the score of the same step
        LastBatch last = lastBatch;
        double[] scores = last != null && last.sameAs(batch) ? last.scores() : evaluate(batch, null);
        return reduce(scores, average);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        double[] scores = evaluate(batch(labels, preOutput, activationFn, mask), null);
        return Nd4j.create(scores, new long[] {scores.length, 1}, 'c').castTo(preOutput.dataType());
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return computeGradientAndScore(labels, preOutput, activationFn, mask, false).getSecond();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask,
                                                          boolean average) {
        Batch batch = batch(labels, preOutput, activationFn, mask);
        double[] gradient = new double[batch.out().length];
        double[] scores = evaluate(batch, gradient);
        lastBatch = new LastBatch(batch, scores);
        INDArray dLdOutput = array(gradient, preOutput);
        INDArray dLdPreOutput = activationFn instanceof ActivationIdentity ? dLdOutput
                : activationFn.backprop(preOutput.dup(), dLdOutput).getFirst();
        return new Pair<>(reduce(scores, average), dLdPreOutput);
    }

    /** Row-major values as an array of {@code like}'s shape and type (float without a cast op). */
    private static INDArray array(double[] values, INDArray like) {
        if (like.dataType() == DataType.FLOAT) {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            return Nd4j.create(f, like.shape(), 'c');
        }
        return Nd4j.create(values, like.shape(), 'c').castTo(like.dataType());
    }

    /** A minibatch read out of ND4J: the activated outputs, labels and per-example mask (null: none), row-major. */
    private record Batch(int n, double[] out, double[] y, double[] mask) {
    }

    /** The last batch whose gradient was computed, with its per-example scores. */
    private record LastBatch(Batch batch, double[] scores) {
        boolean sameAs(Batch other) {
            return Arrays.equals(batch.out(), other.out()) && Arrays.equals(batch.y(), other.y())
                    && Arrays.equals(batch.mask(), other.mask());
        }
    }

    /**
     * The scores of the last gradient computed, to answer DL4J's score request for the same step without a second
     * pass (it is checked against the values asked for, so a different batch is computed afresh). A cache only:
     * not serialised, and a race between threads can only miss it.
     */
    @JsonIgnore
    private transient volatile LastBatch lastBatch;

    private Batch batch(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        MdnOutputLayout lay = layout();
        int n = (int) preOutput.size(0);
        Checks.checkArgument(preOutput.rank() == 2 && preOutput.size(1) == lay.width(),
                "MDN output must be [batch, %s] for K=%s, d=%s; got %s",
                lay.width(), mixtures, outputDim, preOutput.shapeInfoToString());
        Checks.checkArgument(labels.rank() == 2 && labels.size(0) == n && labels.size(1) == outputDim,
                "MDN labels must be [%s, %s]; got %s", n, outputDim, labels.shapeInfoToString());
        INDArray activated = activationFn instanceof ActivationIdentity ? preOutput
                : activationFn.getActivation(preOutput.dup(), true);
        return new Batch(n, MdnOutputLayout.rowMajorDoubles(activated), MdnOutputLayout.rowMajorDoubles(labels),
                mask == null ? null : exampleMask(mask, n));
    }

    /**
     * Per-example negative log-likelihoods (masked); fills {@code gradient} (row-major, same shape as the
     * output) with ∂score_i/∂output when it is not null.
     */
    private double[] evaluate(Batch batch, double[] gradient) {
        MdnOutputLayout lay = layout();
        int n = batch.n();
        double[] out = batch.out();
        double[] y = batch.y();
        double[] m = batch.mask();

        int k = mixtures;
        int d = outputDim;
        int w = lay.width();
        double[] logAlpha = new double[k];
        double[] logJoint = new double[k];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            int row = i * w;
            int yRow = i * d;
            logSoftmax(out, row, k, logAlpha);
            for (int c = 0; c < k; c++) {
                double logPhi = 0;
                for (int l = 0; l < d; l++) {
                    double sigma = MdnOutputLayout.sigma(out[row + lay.sigmaIndex(c, l)], sigmaFloor);
                    double z = (y[yRow + l] - out[row + lay.muIndex(c, l)]) / sigma;
                    logPhi -= 0.5 * z * z + Math.log(sigma) + LOG_SQRT_2PI;
                }
                logJoint[c] = logAlpha[c] + logPhi;
            }
            // log-sum-exp for numerical stability: the largest term is factored out
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, logJoint[c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(logJoint[c] - max);
            }
            double logLikelihood = max + Math.log(sum);
            double weight = m == null ? 1.0 : m[i];
            scores[i] = -logLikelihood * weight;
            if (gradient != null && weight != 0) {
                for (int c = 0; c < k; c++) {
                    double r = Math.exp(logJoint[c] - logLikelihood);
                    gradient[row + lay.alphaIndex(c)] = weight * (Math.exp(logAlpha[c]) - r);
                    for (int l = 0; l < d; l++) {
                        double raw = out[row + lay.sigmaIndex(c, l)];
                        double sigma = MdnOutputLayout.sigma(raw, sigmaFloor);
                        double z = (y[yRow + l] - out[row + lay.muIndex(c, l)]) / sigma;
                        gradient[row + lay.muIndex(c, l)] = -weight * r * z / sigma;
                        gradient[row + lay.sigmaIndex(c, l)] =
                                weight * r * (1 - z * z) / sigma * MdnOutputLayout.sigmaDerivative(raw);
                    }
                }
            }
        }
        return scores;
    }

    private static void logSoftmax(double[] a, int from, int length, double[] into) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < length; c++) {
            max = Math.max(max, a[from + c]);
        }
        double sum = 0;
        for (int c = 0; c < length; c++) {
            sum += Math.exp(a[from + c] - max);
        }
        double logZ = max + Math.log(sum);
        for (int c = 0; c < length; c++) {
            into[c] = a[from + c] - logZ;
        }
    }

    private static double[] exampleMask(INDArray mask, int n) {
        Checks.checkArgument(mask.length() == n,
                "MDN loss supports per-example masks only ([%s, 1]); got %s", n, mask.shapeInfoToString());
        return MdnOutputLayout.rowMajorDoubles(mask);
    }

    private static double reduce(double[] scores, boolean average) {
        double sum = 0;
        for (double s : scores) {
            sum += s;
        }
        return average && scores.length > 0 ? sum / scores.length : sum;
    }

    @Override
    public String name() {
        return toString();
    }

    @Override
    public String toString() {
        return "MdnLoss(mixtures=" + mixtures + ", outputDim=" + outputDim + ", sigmaFloor=" + sigmaFloor + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MdnLoss other && mixtures == other.mixtures && outputDim == other.outputDim
                && Double.compare(sigmaFloor, other.sigmaFloor) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mixtures, outputDim, sigmaFloor);
    }
}
