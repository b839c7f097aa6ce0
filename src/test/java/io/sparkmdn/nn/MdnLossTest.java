package io.sparkmdn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.math.MixtureBatch;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MdnLossTest {

    private static final ActivationIdentity IDENTITY = new ActivationIdentity();

    @Test
    void scoreIsFiniteAndExactForALabelFarFromEveryMeanAtTheSigmaFloor() {
        double floor = 1e-3;
        MdnLoss loss = new MdnLoss(2, 1, floor);
        // both components: μ = 0, raw σ so negative that softplus underflows to 0 and σ is exactly the floor
        INDArray out = Nd4j.createFromArray(new double[][] {{0.3, -0.3, 0, 0, -800, -800}});
        INDArray y = Nd4j.createFromArray(new double[][] {{1e6}});
        double score = loss.computeScore(y, out, IDENTITY, null, true);
        double z = 1e6 / floor;
        double expected = 0.5 * z * z + Math.log(floor) + 0.5 * Math.log(2 * Math.PI);
        assertTrue(Double.isFinite(score), "score " + score);
        assertEquals(expected, score, 1e-12 * expected);
        Pair<Double, INDArray> gs = loss.computeGradientAndScore(y, out, IDENTITY, null, true);
        assertEquals(score, gs.getFirst(), 0);
        for (double g : gs.getSecond().dup('c').data().asDouble()) {
            assertTrue(Double.isFinite(g), "gradient " + gs.getSecond());
        }
    }

    @Test
    void meanScoreEqualsTheMeanOfPureJavaNegativeLogDensities() {
        int k = 3;
        int d = 2;
        MdnLoss loss = new MdnLoss(k, d, 1e-3);
        INDArray out = Nd4j.randn(DataType.DOUBLE, 64, loss.layout().width());
        INDArray y = Nd4j.rand(DataType.DOUBLE, 64, d).muli(4).subi(2);
        MixtureBatch batch = loss.layout().decode(out, 1e-3);
        double[] logp = batch.logDensities(y.dup('c').data().asDouble());
        double sum = 0;
        for (double v : logp) {
            sum -= v;
        }
        assertEquals(sum / 64, loss.computeScore(y, out, IDENTITY, null, true), 1e-10);
        assertEquals(sum, loss.computeScore(y, out, IDENTITY, null, false), 1e-9);
        INDArray perExample = loss.computeScoreArray(y, out, IDENTITY, null);
        for (int i : new int[] {0, 17, 63}) {
            assertEquals(-logp[i], perExample.getDouble(i, 0), 1e-10, "row " + i);
        }
    }

    @Test
    void analyticGradientMatchesCentralDifferencesOfTheScore() {
        for (int[] kd : new int[][] {{1, 1}, {5, 1}, {3, 2}, {2, 3}}) {
            MdnLoss loss = new MdnLoss(kd[0], kd[1], 1e-2);
            Nd4j.getRandom().setSeed(11);
            INDArray out = Nd4j.randn(DataType.DOUBLE, 8, loss.layout().width());
            INDArray y = Nd4j.randn(DataType.DOUBLE, 8, kd[1]);
            INDArray grad = loss.computeGradient(y, out, IDENTITY, null);
            double maxRelError = 0;
            double h = 1e-5;
            for (int i = 0; i < out.rows(); i++) {
                for (int j = 0; j < out.columns(); j++) {
                    double v = out.getDouble(i, j);
                    out.putScalar(i, j, v + h);
                    double plus = loss.computeScoreArray(y, out, IDENTITY, null).getDouble(i, 0);
                    out.putScalar(i, j, v - h);
                    double minus = loss.computeScoreArray(y, out, IDENTITY, null).getDouble(i, 0);
                    out.putScalar(i, j, v);
                    double numeric = (plus - minus) / (2 * h);
                    double analytic = grad.getDouble(i, j);
                    // below 1e-2 the central difference's rounding noise dominates: compare absolutely there
                    double scale = Math.max(Math.abs(numeric) + Math.abs(analytic), 1e-2);
                    maxRelError = Math.max(maxRelError, Math.abs(numeric - analytic) / scale);
                }
            }
            System.out.printf("MdnLoss K=%d d=%d: max relative error of d score/d output = %.2e%n",
                    kd[0], kd[1], maxRelError);
            assertTrue(maxRelError < 1e-6, "K=" + kd[0] + " d=" + kd[1] + ": " + maxRelError);
        }
    }

    @Test
    void perExampleMaskRemovesRowsFromScoreAndGradient() {
        MdnLoss loss = new MdnLoss(2, 1, 1e-3);
        INDArray out = Nd4j.randn(DataType.DOUBLE, 3, 6);
        INDArray y = Nd4j.randn(DataType.DOUBLE, 3, 1);
        INDArray mask = Nd4j.createFromArray(new double[][] {{1}, {0}, {1}});
        INDArray scores = loss.computeScoreArray(y, out, IDENTITY, null);
        double masked = loss.computeScore(y, out, IDENTITY, mask, false);
        assertEquals(scores.getDouble(0, 0) + scores.getDouble(2, 0), masked, 1e-12);
        INDArray grad = loss.computeGradient(y, out, IDENTITY, mask);
        assertEquals(0, grad.getRow(1).norm2Number().doubleValue(), 0);
        assertTrue(grad.getRow(0).norm2Number().doubleValue() > 0);
    }

    @Test
    void floatNetworksGetFloatGradients() {
        MdnLoss loss = new MdnLoss(2, 1, 1e-3);
        INDArray out = Nd4j.randn(DataType.FLOAT, 4, 6);
        INDArray y = Nd4j.randn(DataType.FLOAT, 4, 1);
        assertEquals(DataType.FLOAT, loss.computeGradient(y, out, IDENTITY, null).dataType());
        assertEquals(DataType.FLOAT, loss.computeScoreArray(y, out, IDENTITY, null).dataType());
    }

    @Test
    void wrongShapesAreRefusedWithTheExpectedShape() {
        MdnLoss loss = new MdnLoss(2, 2, 1e-3);
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
                () -> loss.computeScore(Nd4j.zeros(4, 2), Nd4j.zeros(4, 9), IDENTITY, null, true));
        assertTrue(wide.getMessage().contains("[batch, 10]"), wide.getMessage());
        IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
                () -> loss.computeScore(Nd4j.zeros(4, 3), Nd4j.zeros(4, 10), IDENTITY, null, true));
        assertTrue(labels.getMessage().contains("[4, 2]"), labels.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MdnLoss(2, 1, -1));
    }

    @Test
    void lossSurvivesTheNetworkConfigurationJsonRoundTrip() {
        MdnOptions options = MdnOptions.defaults().withDimensions(3, 2);
        MultiLayerConfiguration conf = options.toConfiguration();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        OutputLayer outputLayer = (OutputLayer) back.getConf(back.getConfs().size() - 1).getLayer();
        assertEquals(new MdnLoss(MdnOptions.DEFAULT_MIXTURES, 2, MdnOptions.DEFAULT_SIGMA_FLOOR), outputLayer.getLossFn());
        assertEquals(conf, back);
        assertTrue(conf.toJson().contains(MdnLoss.class.getName()));
    }
}
