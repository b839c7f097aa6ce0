package io.sparkmdn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.train.EpochStats;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.nn.Updater;
import io.sparkmdn.train.SparkTrainOptions;
import io.sparkmdn.train.TrainOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

class DivergenceTest extends SparkTestBase {

    private static MdnOptions withRate(double rate, double clip) {
        return new MdnOptions(1, 1, 5, List.of(32, 32), Activation.TANH, rate, Updater.SGD, 0, 42,
                DataType.FLOAT, clip);
    }

    @Test
    void aDivergingRunStopsWithTheEpochAndWhatWentWrong() {
        List<EpochStats> completed = new ArrayList<>();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> SparkTrainer.train(
                spark, SparkTrainerTest.seedToyInput(1, 4000, 2), withRate(1e30, 0),
                new SparkTrainOptions(new TrainOptions(3, 64, 1), 5, 0.2, 2), completed::add));
        System.out.println("diverged: " + e.getMessage());
        assertEquals(completed.size(), e.lastGoodEpoch());
        assertEquals(completed.size() + 1, e.epoch());
        assertTrue(e.getMessage().startsWith("Training diverged in epoch " + e.epoch()), e.getMessage());
        assertTrue(e.getMessage().contains("--learning-rate") && e.getMessage().contains("--clip-gradient-norm"));
    }
}
