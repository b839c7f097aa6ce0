package io.sparkmdn.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.data.SeedToy;
import io.sparkmdn.data.XYData;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.train.EpochStats;
import io.sparkmdn.train.TrainOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;

/** Single-JVM training on the seed toy: the MDN must find the multi-valued inverse a Gaussian cannot. */
class LocalTrainerTest {

    private static final int EPOCHS = 8;

    @Test
    void mdnBeatsTheBestSingleGaussianFitOnTheSeedToy() {
        XYData train = SeedToy.generate(1, 0, 20_000);
        XYData test = SeedToy.generate(1, 1_000_000, 5_000);
        TrainOptions budget = new TrainOptions(EPOCHS, 128, 3);

        List<EpochStats> history = new ArrayList<>();
        MdnModel mdn = LocalTrainer.fit(MdnOptions.defaults(), budget, train, test, history::add);
        // the same network with one component: the best heteroscedastic single Gaussian p(y|x) it can fit
        MdnModel gaussian = LocalTrainer.fit(withMixtures(1), budget, train, test);
        double unconditional = unconditionalGaussianNll(train, test);

        double mdnNll = mdn.meanNll(test.x(), test.y());
        double gaussianNll = gaussian.meanNll(test.x(), test.y());
        System.out.printf("seed toy, 20k rows, %d epochs: test NLL MDN(K=5) %.4f, Gaussian net %.4f, "
                + "unconditional Gaussian %.4f, Bayes limit about -1.82%n", EPOCHS, mdnNll, gaussianNll, unconditional);

        assertEquals(EPOCHS, history.size());
        assertEquals(mdnNll, history.get(EPOCHS - 1).testNll(), 1e-9);
        assertEquals(mdnNll, mdn.training().testNll(), 1e-9);
        assertEquals(history, mdn.training().history());
        assertTrue(gaussianNll < unconditional, "the Gaussian net should at least beat a constant Gaussian");
        assertTrue(mdnNll < gaussianNll - 0.5, "MDN " + mdnNll + " vs Gaussian net " + gaussianNll);
        assertTrue(history.get(EPOCHS - 1).trainNll() < history.get(0).trainNll(), "training NLL fell");
    }

    private static MdnOptions withMixtures(int k) {
        MdnOptions d = MdnOptions.defaults();
        return new MdnOptions(d.inputDim(), d.outputDim(), k, d.hiddenLayers(), Activation.TANH, d.learningRate(),
                d.updater(), d.sigmaFloor(), d.seed(), d.dataType());
    }

    private static double unconditionalGaussianNll(XYData train, XYData test) {
        double mean = 0;
        for (double y : train.y()) {
            mean += y / train.size();
        }
        double var = 0;
        for (double y : train.y()) {
            var += (y - mean) * (y - mean) / train.size();
        }
        double nll = 0;
        for (double y : test.y()) {
            nll += 0.5 * Math.log(2 * Math.PI * var) + (y - mean) * (y - mean) / (2 * var);
        }
        return nll / test.size();
    }
}
