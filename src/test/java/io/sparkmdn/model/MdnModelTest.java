package io.sparkmdn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkmdn.data.SeedToy;
import io.sparkmdn.data.XYData;
import io.sparkmdn.math.GaussianMixture;
import io.sparkmdn.math.MixtureBatch;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.local.LocalTrainer;
import io.sparkmdn.train.TrainOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class MdnModelTest {

    /** Labels scaled and shifted far from unit scale, so a missing Jacobian or shift would show. */
    private static XYData scaledSeedToy(int rows, long seed) {
        XYData d = SeedToy.generate(seed, 0, rows);
        double[] y = d.y().clone();
        for (int i = 0; i < y.length; i++) {
            y[i] = 1000 + 50 * y[i];
        }
        return new XYData(1, 1, d.x(), y);
    }

    @Test
    void userUnitLogDensityEqualsTheNetworkScoreMinusTheLogJacobian() {
        MdnOptions options = new MdnOptions(1, 1, 3, List.of(16), Activation.TANH, 1e-2,
                MdnOptions.DEFAULT_UPDATER, 1e-3, 5, DataType.DOUBLE);
        XYData data = scaledSeedToy(500, 9);
        MdnModel model = LocalTrainer.fit(options, new TrainOptions(1, 100, 1), data, null);

        Normalization norm = model.normalization();
        DataSet standardised = new DataSet(
                Nd4j.create(norm.x().apply(data.x()), new long[] {500, 1}, 'c'),
                Nd4j.create(norm.y().apply(data.y()), new long[] {500, 1}, 'c'));
        double networkScore = model.network().score(standardised);
        assertEquals(networkScore + norm.y().logJacobian(), model.meanNll(data.x(), data.y()), 1e-9);
    }

    @Test
    void predictionsAreInUserUnitsAndChunkingChangesNothing() {
        XYData data = scaledSeedToy(MdnModel.CHUNK_ROWS + 100, 3);
        MdnModel model = LocalTrainer.fit(MdnOptions.defaults(), new TrainOptions(1, 256, 1), data, null);
        MixtureBatch all = model.predict(data.x());
        assertEquals(data.size(), all.size());
        int last = data.size() - 1;
        MixtureBatch single = model.predict(new double[] {data.x()[last]});
        GaussianMixture a = all.mixture(last);
        GaussianMixture b = single.mixture(0);
        for (int k = 0; k < a.components(); k++) {
            assertEquals(b.weight(k), a.weight(k), 1e-6);
            assertEquals(b.mean(k, 0), a.mean(k, 0), 1e-3);
            assertEquals(b.sigma(k, 0), a.sigma(k, 0), 1e-3);
        }
        // the mixture mean lies in the range of y (1000…1050), not the standardised range
        double m = a.mean()[0];
        assertEquals(1025, m, 30);
    }
}
