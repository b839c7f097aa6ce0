package io.sparkmdn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationRReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationThresholdedReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class DenseForwardTest {

    /**
     * How far the plain-Java pass may be from ND4J's, relative to max(1, |output|). Both compute in double with the
     * same formulas; what differs is rounding: the order of the matrix sums, Math.exp against libnd4j's pow(e, ·),
     * and tanh near 0, where both (e^{2x} − 1)/(e^{2x} + 1) and libnd4j's form lose digits to cancellation
     * (10⁻¹⁶ absolute, so 10⁻¹⁴ of a tiny tanh: why the floor of 1). Measured worst case: 2·10⁻¹⁵.
     */
    private static final double TOLERANCE = 1e-12;

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

    /** |actual − expected| / max(1, |expected|): 0 where both are equal (NaN or ±∞ included), ∞ where one is NaN. */
    private static double difference(double expected, double actual) {
        double d = Math.abs(actual - expected);
        return Double.compare(expected, actual) == 0 ? 0 : Double.isNaN(d) ? Double.POSITIVE_INFINITY
                : d / Math.max(1, Math.abs(expected));
    }

    /** The largest {@link #difference} of each element. */
    private static double largestDifference(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, difference(expected[i], actual[i]));
        }
        return worst;
    }

    /** The largest |actual − expected| relative to the largest |expected| (at least 1). */
    private static double largestDifferenceToScale(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        double worst = 0;
        double scale = 1;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Double.compare(expected[i], actual[i]) == 0 ? 0
                    : Double.isNaN(actual[i] - expected[i]) ? Double.POSITIVE_INFINITY
                    : Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return worst / scale;
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, mode = EnumSource.Mode.EXCLUDE, names = "RRELU")
    void matchesTheNetworksOwnForwardPass(Activation activation) {
        MultiLayerNetwork net = network(activation, DataType.DOUBLE);
        DenseForward forward = DenseForward.of(net).orElseThrow();
        Nd4j.getRandom().setSeed(3);
        // inputs of sd 3 drive the hidden units well into both tails of every activation
        INDArray x = Nd4j.randn(DataType.DOUBLE, 200, 3).muli(3);
        // relative to the largest output, not each one: an output that is a small difference of large sums (cube
        // layers make them) keeps their rounding, 10⁻¹² of itself where the sums are 10⁴ times larger
        double[] expected = net.output(x, false).dup('c').data().asDouble();
        double[] actual = forward.forward(x.dup('c').data().asDouble());
        assertEquals(200 * 4 * 5, actual.length);
        double worst = largestDifferenceToScale(expected, actual);
        System.out.printf("DenseForward vs ND4J, %s network: largest relative difference %.3g%n", activation, worst);
        assertTrue(worst <= TOLERANCE, activation + ": largest relative difference " + worst);
    }

    /** Activations with their parameters, including the ones {@code Activation} never sets. */
    static Stream<IActivation> activationFunctions() {
        Stream<IActivation> defaults = Arrays.stream(Activation.values())
                .filter(a -> a != Activation.RRELU && a != Activation.SOFTMAX)
                .map(Activation::getActivationFunction);
        return Stream.concat(defaults, Stream.of(new ActivationELU(0.5), new ActivationLReLU(0.2),
                new ActivationThresholdedReLU(0.5), new ActivationGELU(true)));
    }

    /** A 1 → 1 → 1 network with unit weights and zero biases: its output is the hidden activation of its input. */
    private static MultiLayerNetwork unitNetwork(IActivation fn) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .list()
                .layer(new DenseLayer.Builder().nIn(1).nOut(1).activation(fn).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(1).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        for (int layer = 0; layer < 2; layer++) {
            net.getLayer(layer).setParam("W", Nd4j.ones(DataType.DOUBLE, 1, 1));
            net.getLayer(layer).setParam("b", Nd4j.zeros(DataType.DOUBLE, 1, 1));
        }
        return net;
    }

    @ParameterizedTest
    @MethodSource("activationFunctions")
    void eachActivationMatchesNd4jOverItsWholeRange(IActivation fn) {
        MultiLayerNetwork net = unitNetwork(fn);
        int n = 20001;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -40 + 80.0 * i / (n - 1);
        }
        double[] expected = net.output(Nd4j.create(x, new long[] {n, 1}, 'c'), false).dup('c').data().asDouble();
        double worst = largestDifference(expected, DenseForward.of(net).orElseThrow().forward(x));
        System.out.printf("DenseForward vs ND4J, %s on [-40, 40]: largest relative difference %.3g%n", fn, worst);
        assertTrue(worst <= TOLERANCE, fn + ": largest relative difference " + worst);
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

    @Test
    void theNd4jFallbackIsLoggedOncePerActivation() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger logger = (Logger) LogManager.getLogger(DenseForward.class);
        Appender capture = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(event.getMessage().getFormattedMessage());
            }
        };
        capture.start();
        logger.addAppender(capture);
        try {
            // parameters no other test uses, so this JVM has not reported this activation yet
            IActivation rrelu = new ActivationRReLU(0.0625, 0.1875);
            assertTrue(DenseForward.of(unitNetwork(rrelu)).isEmpty());
            assertTrue(DenseForward.of(unitNetwork(rrelu)).isEmpty());
            assertTrue(DenseForward.of(unitNetwork(Activation.TANH.getActivationFunction())).isPresent());
        } finally {
            logger.removeAppender(capture);
        }
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("activation rrelu(l=0.0625, u=0.1875) (layer 0)")
                && lines.get(0).contains("runs through ND4J"), lines.get(0));
    }

    @Test
    void unsupportedActivationsFallBack() {
        assertTrue(DenseForward.of(network(Activation.RRELU, DataType.FLOAT)).isEmpty());
        assertTrue(DenseForward.of(unitNetwork(new ActivationReLU(6.0, null, null))).isEmpty(), "capped relu");
        assertTrue(DenseForward.of(unitNetwork(new ActivationReLU(null, 0.5, null))).isEmpty(), "relu threshold");
    }
}
