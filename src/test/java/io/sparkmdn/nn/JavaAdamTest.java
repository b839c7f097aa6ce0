package io.sparkmdn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

class JavaAdamTest {

    private static final int N = 5000;

    /** Applies one step of {@code config} to copies of the same gradient and state; returns {update, state}. */
    private static INDArray[] step(IUpdater config, INDArray gradient, INDArray state, int iteration) {
        INDArray s = state.dup();
        INDArray g = gradient.dup();
        GradientUpdater u = config.instantiate(s, false);
        u.applyUpdater(g, iteration, 0);
        return new INDArray[] {g, s};
    }

    private static INDArray randomState(DataType type, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray m = Nd4j.randn(type, 1, N).muli(0.01);
        INDArray v = Nd4j.rand(type, 1, N).muli(1e-4);
        return Nd4j.hstack(m, v);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 9, 4321})
    void aFloatStepOnNormalValuesEqualsNd4jsOpBitForBit(int iteration) {
        INDArray state = randomState(DataType.FLOAT, 3 + iteration);
        INDArray gradient = Nd4j.randn(DataType.FLOAT, 1, N).muli(0.1);
        INDArray[] op = step(new Adam(0.01), gradient, state, iteration);
        INDArray[] java = step(new JavaAdam(0.01), gradient, state, iteration);
        assertArrayEquals(op[0].toFloatVector(), java[0].toFloatVector(), 0f, "update");
        assertArrayEquals(op[1].toFloatVector(), java[1].toFloatVector(), 0f, "m and v");
        assertNotEquals(0.0, java[0].norm2Number().doubleValue(), "the step moved something");
    }

    @Test
    void aDoubleStepEqualsNd4jsOpBitForBit() {
        INDArray state = randomState(DataType.DOUBLE, 5);
        INDArray gradient = Nd4j.randn(DataType.DOUBLE, 1, N).muli(0.1);
        INDArray[] op = step(new Adam(0.02), gradient, state, 17);
        INDArray[] java = step(new JavaAdam(0.02), gradient, state, 17);
        assertArrayEquals(op[0].toDoubleVector(), java[0].toDoubleVector(), 0.0, "update");
        assertArrayEquals(op[1].toDoubleVector(), java[1].toDoubleVector(), 0.0, "m and v");
    }

    @Test
    void subnormalMomentsAreFlushedToZeroWhereTheOpKeepsThem() {
        // m just above the normal range, decaying below it in one step (× β₁); v already subnormal
        INDArray state = Nd4j.hstack(Nd4j.valueArrayOf(new long[] {1, N}, Float.MIN_NORMAL * 1.05f, DataType.FLOAT),
                Nd4j.valueArrayOf(new long[] {1, N}, Float.MIN_NORMAL * 0.5f, DataType.FLOAT));
        INDArray gradient = Nd4j.zeros(DataType.FLOAT, 1, N);
        gradient.putScalar(0, 0.5f);
        INDArray[] op = step(new Adam(0.01), gradient, state, 100);
        INDArray[] java = step(new JavaAdam(0.01), gradient, state, 100);

        float[] opState = op[1].toFloatVector();
        float[] javaState = java[1].toFloatVector();
        assertTrue(opState[1] != 0 && Math.abs(opState[1]) < Float.MIN_NORMAL, "ND4J keeps a subnormal m");
        assertTrue(opState[N + 1] != 0 && Math.abs(opState[N + 1]) < Float.MIN_NORMAL, "and a subnormal v");
        assertEquals(0f, javaState[1], "m flushed");
        assertEquals(0f, javaState[N + 1], "v flushed");
        assertEquals(opState[0], javaState[0], "a normal m as the op's");
        assertEquals(opState[N], javaState[N], "a normal v as the op's");
        float[] opUpdate = op[0].toFloatVector();
        float[] javaUpdate = java[0].toFloatVector();
        assertEquals(opUpdate[0], javaUpdate[0], "the moving weight's update as the op's");
        assertTrue(Math.abs(opUpdate[1]) < 1e-30, "what the flush drops moves a weight by less than 1e-30");
    }

    @Test
    void aStridedGradientFallsBackToTheOp() {
        INDArray state = randomState(DataType.FLOAT, 11);
        INDArray wide = Nd4j.randn(DataType.FLOAT, 1, 2 * N).muli(0.1);
        INDArray opGradient = wide.dup().get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 2, 2 * N));
        INDArray javaGradient = wide.dup().get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 2, 2 * N));
        assertNotEquals(1, javaGradient.elementWiseStride());

        INDArray opState = state.dup();
        INDArray javaState = state.dup();
        new Adam(0.01).instantiate(opState, false).applyUpdater(opGradient, 3, 0);
        new JavaAdam(0.01).instantiate(javaState, false).applyUpdater(javaGradient, 3, 0);
        assertArrayEquals(opGradient.toFloatVector(), javaGradient.toFloatVector(), 0f);
        assertArrayEquals(opState.toFloatVector(), javaState.toFloatVector(), 0f);
    }

    @Test
    void theDefaultNetworkTrainsWithItAndItsModelFileRoundTrips(@TempDir Path dir) throws Exception {
        MultiLayerConfiguration conf = MdnOptions.defaults().toConfiguration();
        IUpdater updater = ((BaseLayer) conf.getConf(0).getLayer()).getIUpdater();
        assertInstanceOf(JavaAdam.class, updater);
        assertEquals(MdnOptions.DEFAULT_LEARNING_RATE, ((Adam) updater).getLearningRate());
        assertInstanceOf(JavaAdam.class,
                ((BaseLayer) MultiLayerConfiguration.fromJson(conf.toJson()).getConf(1).getLayer()).getIUpdater());

        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Nd4j.getRandom().setSeed(1);
        DataSet batch = new DataSet(Nd4j.randn(DataType.FLOAT, 64, 1), Nd4j.randn(DataType.FLOAT, 64, 1));
        double before = net.score(batch);
        for (int i = 0; i < 30; i++) {
            net.fit(batch);
        }
        assertTrue(net.score(batch) < before - 0.05, "Adam steps lower the loss: " + before + " -> " + net.score(batch));

        File file = dir.resolve("net.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertInstanceOf(JavaAdam.class, ((BaseLayer) restored.getLayerWiseConfigurations().getConf(2).getLayer())
                .getIUpdater());
        assertArrayEquals(net.getUpdater().getStateViewArray().toFloatVector(),
                restored.getUpdater().getStateViewArray().toFloatVector(), 0f);
        net.fit(batch);
        restored.fit(batch);
        assertArrayEquals(net.params().toFloatVector(), restored.params().toFloatVector(), 0f,
                "a restored network continues exactly as the original");
    }

    @Test
    void cloneKeepsTheClassAndEverySetting() {
        JavaAdam a = new JavaAdam(0.03);
        a.setBeta1(0.8);
        a.setBeta2(0.99);
        a.setEpsilon(1e-6);
        JavaAdam b = a.clone();
        assertEquals(JavaAdam.class, b.getClass());
        assertEquals(a, b);
        assertEquals(0.8, b.getBeta1());
        assertEquals(0.99, b.getBeta2());
        assertEquals(1e-6, b.getEpsilon());
        assertEquals(0.03, b.getLearningRate());
    }
}
