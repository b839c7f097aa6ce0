package io.sparkmdn.nn;

import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftPlus;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/**
 * The forward pass of an MDN's dense layers in plain Java, on a snapshot of the network's weights.
 *
 * <p>Each row is computed on its own with a fixed order of operations, in double precision, so a row's output
 * does not depend on which other rows share its batch — unlike BLAS, whose float results vary with the batch
 * shape. That makes inference, and so sampling, bitwise reproducible whatever the partitioning; for networks
 * this small it is also faster than a round trip through ND4J. Supported hidden activations: identity, tanh,
 * sigmoid, relu and softplus ({@link #of} returns empty for others).
 */
public final class DenseForward implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private enum Act { IDENTITY, TANH, SIGMOID, RELU, SOFTPLUS }

    /** ReLU without a cap, threshold or negative slope: the one variant computed here. */
    private static final String PLAIN_RELU = new ActivationReLU().toString();

    private final int[] nIn;
    private final int[] nOut;
    /** weights[layer][j] is row j of the layer's W (nIn × nOut): one array per row, see {@link #dense}. */
    private final double[][][] weights;
    private final double[][] biases;
    private final Act[] activations;
    private final int maxWidth;

    private DenseForward(int[] nIn, int[] nOut, double[][][] weights, double[][] biases, Act[] activations) {
        this.nIn = nIn;
        this.nOut = nOut;
        this.weights = weights;
        this.biases = biases;
        this.activations = activations;
        int max = 0;
        for (int i = 0; i < nOut.length; i++) {
            max = Math.max(max, Math.max(nIn[i], nOut[i]));
        }
        this.maxWidth = max;
    }

    /** A snapshot of {@code network}'s dense layers, or empty if a layer or activation is not supported. */
    public static Optional<DenseForward> of(MultiLayerNetwork network) {
        int layers = network.getnLayers();
        int[] nIn = new int[layers];
        int[] nOut = new int[layers];
        double[][][] weights = new double[layers][][];
        double[][] biases = new double[layers][];
        Act[] activations = new Act[layers];
        for (int i = 0; i < layers; i++) {
            if (!(network.getLayer(i).conf().getLayer() instanceof BaseLayer layer)) {
                return Optional.empty();
            }
            Act act = act(layer.getActivationFn());
            if (act == null || network.getLayer(i).getParam("W") == null) {
                return Optional.empty();
            }
            activations[i] = act;
            // W is [nIn, nOut]: row j holds the weights from input j to every output
            weights[i] = network.getLayer(i).getParam("W").castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                    .toDoubleMatrix();
            biases[i] = network.getLayer(i).getParam("b").castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                    .dup('c').data().asDouble();
            nIn[i] = (int) network.getLayer(i).getParam("W").size(0);
            nOut[i] = (int) network.getLayer(i).getParam("W").size(1);
        }
        return Optional.of(new DenseForward(nIn, nOut, weights, biases, activations));
    }

    private static Act act(IActivation fn) {
        if (fn instanceof ActivationIdentity) {
            return Act.IDENTITY;
        } else if (fn instanceof ActivationTanH) {
            return Act.TANH;
        } else if (fn instanceof ActivationSigmoid) {
            return Act.SIGMOID;
        } else if (fn instanceof ActivationReLU relu && relu.toString().equals(PLAIN_RELU)) {
            return Act.RELU;
        } else if (fn instanceof ActivationSoftPlus) {
            return Act.SOFTPLUS;
        }
        return null;
    }

    /** Number of outputs per row. */
    public int outputWidth() {
        return nOut[nOut.length - 1];
    }

    /** Outputs of rows {@code x} (n·nIn values, row-major) as n·outputWidth values, row-major. */
    public double[] forward(double[] x) {
        int in = nIn[0];
        int n = x.length / in;
        int width = outputWidth();
        double[] out = new double[n * width];
        double[] a = new double[maxWidth];
        double[] b = new double[maxWidth];
        for (int r = 0; r < n; r++) {
            System.arraycopy(x, r * in, a, 0, in);
            for (int layer = 0; layer < nOut.length; layer++) {
                dense(layer, a, b);
                double[] t = a;
                a = b;
                b = t;
            }
            System.arraycopy(a, 0, out, r * width, width);
        }
        return out;
    }

    /**
     * tanh(x) = (e^{2x} − 1)/(e^{2x} + 1), within 3·10⁻¹⁶ of {@link Math#tanh} (absolute), and about 3.5× faster:
     * {@code Math.exp} is a JIT intrinsic, while {@code Math.tanh} calls StrictMath's native fdlibm on Java 17. Past
     * |x| = 20, tanh is ±1 to within half an ulp.
     */
    static double tanh(double x) {
        if (Math.abs(x) > 20) {
            return Math.signum(x);
        }
        double t = Math.exp(2 * x);
        return (t - 1) / (t + 1);
    }

    /** to = act(from · W + b) for one row. */
    private void dense(int layer, double[] from, double[] to) {
        int in = nIn[layer];
        int out = nOut[layer];
        double[][] w = weights[layer];
        System.arraycopy(biases[layer], 0, to, 0, out);
        for (int j = 0; j < in; j++) {
            double v = from[j];
            // a row array of its own (offset 0, like to) lets C2 vectorise this loop: 2.6x faster than indexing one
            // flat array at j·nOut + o, with the same arithmetic
            double[] row = w[j];
            for (int o = 0; o < out; o++) {
                to[o] += v * row[o];
            }
        }
        Act act = activations[layer];
        for (int o = 0; o < out; o++) {
            to[o] = switch (act) {
                case IDENTITY -> to[o];
                case TANH -> tanh(to[o]);
                case SIGMOID -> 1.0 / (1.0 + Math.exp(-to[o]));
                case RELU -> Math.max(0.0, to[o]);
                case SOFTPLUS -> MdnOutputLayout.softplus(to[o]);
            };
        }
    }
}
