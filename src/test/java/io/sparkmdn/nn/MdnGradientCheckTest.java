package io.sparkmdn.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/** DL4J's numerical gradient check of whole MDNs (every weight and bias) in double precision. */
class MdnGradientCheckTest {

    private static DataType previousDefault;
    private static DataType previousFloat;

    @BeforeAll
    static void doublePrecision() {
        previousDefault = Nd4j.dataType();
        previousFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(previousDefault, previousFloat);
    }

    @ParameterizedTest(name = "d_x={0}, d_y={1}, K={2}, hidden={3}")
    @CsvSource({
        "1, 1, 1, 8",
        "1, 1, 5, 8",
        "1, 2, 3, 6",
        "4, 1, 3, 6",
        "3, 3, 2, 5",
        "5, 2, 4, 7",
    })
    void analyticGradientsMatchNumericalOnes(int dx, int dy, int k, int hidden) {
        MdnOptions options = new MdnOptions(dx, dy, k, List.of(hidden, hidden), Activation.TANH, 1e-3,
                Updater.SGD, 1e-2, 12345, DataType.DOUBLE);
        MultiLayerConfiguration conf = options.toConfiguration();
        // gradient checks need a no-op updater: the check compares raw gradients, not update steps
        conf.getConfs().forEach(c -> ((BaseLayer) c.getLayer()).setIUpdater(new NoOp()));
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        Nd4j.getRandom().setSeed(dx * 100 + dy * 10 + k);
        INDArray input = Nd4j.randn(DataType.DOUBLE, 10, dx);
        INDArray labels = Nd4j.randn(DataType.DOUBLE, 10, dy);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                .net(net).input(input).labels(labels)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "gradient check failed for d_x=" + dx + ", d_y=" + dy + ", K=" + k);
    }
}
