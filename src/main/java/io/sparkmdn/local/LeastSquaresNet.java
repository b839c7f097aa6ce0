package io.sparkmdn.local;

import io.sparkmdn.data.XYData;
import io.sparkmdn.model.Standardizer;
import io.sparkmdn.nn.DenseForward;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.train.TrainOptions;
import io.sparkmdn.util.Checks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The least-squares baseline: the same hidden layers as an MDN, trained on mean squared error, so it predicts
 * E[y | x] — the average of every branch, which is the point of the seed problem. Read as a density it is a
 * Gaussian around that prediction with the residual variance of its training rows (one per dimension).
 *
 * <p>Predictions run through {@link DenseForward} where it supports the activation, else through the DL4J
 * network itself, which travels as bytes and is restored once per deserialised copy.
 */
public final class LeastSquaresNet implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    /** The plain-Java forward pass, or null when the activation has none; then {@link #network} is set. */
    private final DenseForward forward;
    /** The trained network as {@link ModelSerializer} bytes, or null when {@link #forward} is set. */
    private final byte[] network;
    private final Standardizer x;
    private final Standardizer y;
    private final double[] residualVariance;
    private transient MultiLayerNetwork restored;

    private LeastSquaresNet(DenseForward forward, MultiLayerNetwork trained, Standardizer x, Standardizer y,
                            double[] residualVariance) {
        this.forward = forward;
        this.network = forward == null ? toBytes(trained) : null;
        this.restored = forward == null ? trained : null;
        this.x = x;
        this.y = y;
        this.residualVariance = residualVariance;
    }

    /** Fits the baseline to {@code data} with the architecture of {@code options} and {@code train}'s budget. */
    public static LeastSquaresNet fit(MdnOptions options, TrainOptions train, XYData data) {
        Checks.checkArgument(data.size() > 0, "No rows to fit the least-squares baseline on");
        Standardizer xs = Standardizer.fit(data.x(), data.inputDim());
        Standardizer ys = Standardizer.fit(data.y(), data.outputDim());
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(options.seed()).dataType(DataType.FLOAT)
                .updater(options.updater().create(options.learningRate()))
                .weightInit(WeightInit.XAVIER).list();
        int nIn = data.inputDim();
        for (int width : options.hiddenLayers()) {
            layers.layer(new DenseLayer.Builder().nIn(nIn).nOut(width).activation(options.activation()).build());
            nIn = width;
        }
        layers.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .nIn(nIn).nOut(data.outputDim()).activation(Activation.IDENTITY).build());
        MultiLayerNetwork net = new MultiLayerNetwork(layers.build());
        net.init();
        int n = data.size();
        DataSet all = new DataSet(
                Nd4j.create(xs.apply(data.x()), new long[] {n, data.inputDim()}, 'c').castTo(DataType.FLOAT),
                Nd4j.create(ys.apply(data.y()), new long[] {n, data.outputDim()}, 'c').castTo(DataType.FLOAT));
        for (int epoch = 1; epoch <= train.epochs(); epoch++) {
            all.shuffle(train.seed() + epoch);
            for (int from = 0; from < n; from += train.batchSize()) {
                var range = NDArrayIndex.interval(from, Math.min(n, from + train.batchSize()));
                net.fit(new DataSet(all.getFeatures().get(range, NDArrayIndex.all()),
                        all.getLabels().get(range, NDArrayIndex.all())));
            }
        }
        DenseForward forward = DenseForward.of(net).orElse(null);
        LeastSquaresNet unfitted = new LeastSquaresNet(forward, net, xs, ys, new double[data.outputDim()]);
        double[] mean = unfitted.predict(data.x());
        double[] variance = new double[data.outputDim()];
        for (int j = 0; j < mean.length; j++) {
            double r = data.y()[j] - mean[j];
            variance[j % variance.length] += r * r / n;
        }
        return new LeastSquaresNet(forward, net, xs, ys, variance);
    }

    private static byte[] toBytes(MultiLayerNetwork net) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(net, out, false);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to serialise the least-squares baseline", e);
        }
        return out.toByteArray();
    }

    /** The predicted E[y | x] of each row of {@code features} (n·d_x values), in the user's units. */
    public double[] predict(double[] features) {
        double[] standardised = x.apply(features);
        double[] out = forward != null ? forward.forward(standardised) : nd4jForward(standardised);
        double[] mean = y.mean();
        double[] std = y.std();
        for (int j = 0; j < out.length; j++) {
            int l = j % mean.length;
            out[j] = mean[l] + std[l] * out[j];
        }
        return out;
    }

    /** The network's outputs through ND4J, for an activation {@link DenseForward} does not support. */
    private synchronized double[] nd4jForward(double[] standardised) {
        if (restored == null) {
            try {
                restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(network), false);
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to restore the least-squares baseline", e);
            }
        }
        int rows = standardised.length / x.dim();
        INDArray input = Nd4j.create(standardised, new long[] {rows, x.dim()}, 'c').castTo(DataType.FLOAT);
        return restored.output(input, false).castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /** −log N(y; prediction, residual variance) of each row, in nats. */
    public double[] negativeLogDensities(double[] features, double[] labels) {
        double[] mean = predict(features);
        int d = residualVariance.length;
        double[] out = new double[mean.length / d];
        for (int j = 0; j < mean.length; j++) {
            double v = residualVariance[j % d];
            double r = labels[j] - mean[j];
            out[j / d] += 0.5 * (LOG_2PI + Math.log(v)) + r * r / (2 * v);
        }
        return out;
    }
}
