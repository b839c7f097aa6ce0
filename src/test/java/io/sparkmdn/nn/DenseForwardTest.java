package io.sparkmdn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DenseForwardTest {

    @Test
    void tanhMatchesMathTanhToRoundingEverywhere() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        double worst = 0;
        for (int i = 0; i < 1_000_000; i++) {
            double x = rng.nextGaussian() * Math.pow(10, rng.nextInt(-12, 3));
            worst = Math.max(worst, Math.abs(DenseForward.tanh(x) - Math.tanh(x)));
        }
        assertTrue(worst <= 3e-16, "largest absolute difference " + worst);
        for (double x : new double[] {0, 19.99, 20, 20.01, 400, Double.MAX_VALUE, Double.POSITIVE_INFINITY}) {
            assertEquals(Math.tanh(x), DenseForward.tanh(x), 3e-16, "tanh(" + x + ")");
            assertEquals(Math.tanh(-x), DenseForward.tanh(-x), 3e-16, "tanh(" + -x + ")");
        }
        assertTrue(Double.isNaN(DenseForward.tanh(Double.NaN)));
    }


    private static MultiLayerNetwork network(Activation activation, DataType type) {
        MdnOptions o = new MdnOptions(3, 2, 4, List.of(16, 8), activation, 1e-3, Updater.ADAM, 1e-3, 5, type);
        MultiLayerNetwork net = new MultiLayerNetwork(o.toConfiguration());
        net.init();
        return net;
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"TANH", "RELU", "SIGMOID", "SOFTPLUS", "IDENTITY"})
    void matchesTheNetworksOwnForwardPass(Activation activation) {
        MultiLayerNetwork net = network(activation, DataType.DOUBLE);
        DenseForward forward = DenseForward.of(net).orElseThrow();
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 40, 3);
        double[] expected = net.output(x, false).dup('c').data().asDouble();
        double[] actual = forward.forward(x.dup('c').data().asDouble());
        assertEquals(40 * 4 * 5, actual.length);
        assertArrayEquals(expected, actual, 1e-12);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void aRowsOutputDoesNotDependOnItsBatch(DataType type) {
        DenseForward forward = DenseForward.of(network(Activation.TANH, type)).orElseThrow();
        int rows = 21; // rows go through in blocks: two full ones and a partial one
        double[] x = new double[3 * rows];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.sin(i);
        }
        double[] all = forward.forward(x);
        for (int r = 0; r < rows; r++) {
            double[] alone = forward.forward(Arrays.copyOfRange(x, 3 * r, 3 * r + 3));
            assertArrayEquals(Arrays.copyOfRange(all, r * 20, (r + 1) * 20), alone, 0.0, "row " + r);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"ELU", "LEAKYRELU", "SWISH"})
    void unsupportedActivationsFallBack(Activation activation) {
        assertTrue(DenseForward.of(network(activation, DataType.FLOAT)).isEmpty());
    }
}
