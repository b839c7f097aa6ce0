package io.sparkmdn.spark;

import io.sparkmdn.train.EpochStats;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Stops training whose parameters or NLL have become NaN or infinite, naming the epoch and what went wrong. */
final class DivergenceGuard {

    private DivergenceGuard() {
    }

    /** Fails if any parameter of {@code network} is NaN or ±Inf after {@code epoch}. */
    static void checkParameters(MultiLayerNetwork network, int epoch, int lastGoodEpoch) {
        double sum = network.params().sumNumber().doubleValue();
        double norm = network.params().norm2Number().doubleValue();
        if (!Double.isFinite(sum) || !Double.isFinite(norm)) {
            throw new TrainingDivergedException(epoch, "the parameters contain NaN or infinite values",
                    lastGoodEpoch);
        }
    }

    /** Fails if the train or test NLL of the epoch is NaN or infinite (a test NLL of NaN with no test rows is fine). */
    static void checkScores(EpochStats stats, int lastGoodEpoch) {
        if (!Double.isFinite(stats.trainNll())) {
            throw new TrainingDivergedException(stats.epoch(), "the train NLL is " + stats.trainNll(), lastGoodEpoch);
        }
        if (Double.isInfinite(stats.testNll())) {
            throw new TrainingDivergedException(stats.epoch(), "the test NLL is " + stats.testNll(), lastGoodEpoch);
        }
    }
}
