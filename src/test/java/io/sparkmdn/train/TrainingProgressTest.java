package io.sparkmdn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingProgressTest {

    private static SparkTrainOptions settings(int maxEpochs, LearningRateSchedule schedule, Integer patience,
                                              double minDelta) {
        return new SparkTrainOptions(new TrainOptions(maxEpochs, 256, 1), 10, 0.1, 0, 0.8, schedule, patience,
                minDelta, 0, 0, ScaleOut.DEFAULT);
    }

    /** A history with these test NLLs (train NLLs 0.1 above them). */
    private static List<EpochStats> history(double... testNlls) {
        List<EpochStats> h = new ArrayList<>();
        for (int i = 0; i < testNlls.length; i++) {
            h.add(new EpochStats(i + 1, testNlls[i] + 0.1, testNlls[i], 1.0, 1000));
        }
        return h;
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovementAndKeepsTheBest() {
        SparkTrainOptions s = settings(50, LearningRateSchedule.PLATEAU, 3, 0.01);
        assertFalse(TrainingProgress.of(history(1.0, 0.8, 0.85, 0.81), s).stops());
        TrainingProgress p = TrainingProgress.of(history(1.0, 0.8, 0.85, 0.81, 0.80), s);
        assertTrue(p.stops());
        assertEquals(2, p.bestEpoch());
        assertEquals(0.8, p.bestNll());
        assertEquals(3, p.sinceBest());
        assertTrue(p.stopReason().contains("early stop after epoch 5") && p.stopReason().contains("best epoch 2"),
                p.stopReason());
    }

    @Test
    void anImprovementSmallerThanMinDeltaDoesNotCount() {
        SparkTrainOptions s = settings(50, LearningRateSchedule.PLATEAU, 2, 0.05);
        // 0.97 and 0.93 are better than 1.0, but not by 0.05 more than the best: still epoch 1
        TrainingProgress p = TrainingProgress.of(history(1.0, 0.97, 0.96), s);
        assertEquals(1, p.bestEpoch());
        assertTrue(p.stops());
        // 0.94 is: the count restarts there
        p = TrainingProgress.of(history(1.0, 0.94, 0.93), s);
        assertEquals(2, p.bestEpoch());
        assertFalse(p.stops());
    }

    @Test
    void thePlateauScheduleHalvesTheRateAfterTwoEpochsWithoutImprovement() {
        SparkTrainOptions s = settings(50, LearningRateSchedule.PLATEAU, 10, 0.0);
        assertEquals(1.0, TrainingProgress.of(history(1.0, 0.9, 0.95), s).rateFactor());
        assertEquals(0.5, TrainingProgress.of(history(1.0, 0.9, 0.95, 0.92), s).rateFactor());
        // an improvement restarts the wait but keeps the lower rate
        assertEquals(0.5, TrainingProgress.of(history(1.0, 0.9, 0.95, 0.92, 0.8, 0.85), s).rateFactor());
        assertEquals(0.25, TrainingProgress.of(history(1.0, 0.9, 0.95, 0.92, 0.8, 0.85, 0.86), s).rateFactor());
        assertEquals(0.125, TrainingProgress.of(history(1.0, 0.9, 0.95, 0.92, 0.8, 0.85, 0.86, 0.9, 0.9), s)
                .rateFactor());
        TrainingProgress p = TrainingProgress.of(history(1.0, 0.9, 0.95, 0.92), s);
        assertEquals(5e-3 * 0.5, s.learningRate(5e-3, 5, p), 1e-18);
    }

    @Test
    void exponentialAndCosineSchedulesDependOnTheEpochOnly() {
        SparkTrainOptions exp = settings(50, LearningRateSchedule.EXPONENTIAL, 5, 0.0);
        assertEquals(1e-2, exp.learningRate(1e-2, 1, TrainingProgress.START), 1e-18);
        assertEquals(1e-2 * 0.8 * 0.8, exp.learningRate(1e-2, 3, TrainingProgress.START), 1e-15);
        SparkTrainOptions cos = settings(11, LearningRateSchedule.COSINE, 5, 0.0);
        assertEquals(1e-2, cos.learningRate(1e-2, 1, TrainingProgress.START), 1e-15);
        assertEquals(1e-2 * (0.01 + 0.99 * 0.5), cos.learningRate(1e-2, 6, TrainingProgress.START), 1e-15);
        assertEquals(1e-2 * 0.01, cos.learningRate(1e-2, 11, TrainingProgress.START), 1e-15);
        // a run recorded before schedules existed decays exponentially
        SparkTrainOptions legacy = new SparkTrainOptions(new TrainOptions(5, 256, 1), 10, 0.1, 0, 0.5);
        assertEquals(LearningRateSchedule.EXPONENTIAL, legacy.scheduleOrDefault());
        assertNull(legacy.patience());
        assertEquals(0.25, legacy.learningRate(1.0, 3, TrainingProgress.START));
    }

    @Test
    void withoutPatienceOrTestRowsTheRunEndsAtItsMaximum() {
        SparkTrainOptions none = settings(4, LearningRateSchedule.PLATEAU, null, 0.0);
        assertFalse(TrainingProgress.of(history(1.0, 2.0, 3.0), none).stops());
        TrainingProgress p = TrainingProgress.of(history(1.0, 2.0, 3.0, 4.0), none);
        assertEquals("reached the maximum of 4 epochs", p.stopReason());
        // no test rows: the training NLL is watched
        List<EpochStats> noTest = List.of(new EpochStats(1, 1.0, Double.NaN, 1, 1),
                new EpochStats(2, 0.5, Double.NaN, 1, 1), new EpochStats(3, 0.6, Double.NaN, 1, 1));
        p = TrainingProgress.of(noTest, settings(10, LearningRateSchedule.PLATEAU, 1, 0.0));
        assertEquals(2, p.bestEpoch());
        assertTrue(p.stops());
    }

    @Test
    void badSettingsAreRefusedNamingTheValue() {
        assertEquals("Invalid patience: 0 (must be >= 1 epoch)", assertThrows(IllegalArgumentException.class,
                () -> settings(5, LearningRateSchedule.PLATEAU, 0, 0.0)).getMessage());
        assertEquals("Invalid min delta: -0.1 (must be >= 0 and finite)", assertThrows(
                IllegalArgumentException.class, () -> settings(5, LearningRateSchedule.PLATEAU, 3, -0.1))
                .getMessage());
        assertEquals("Invalid label noise: -1.0 (must be >= 0 and finite)", assertThrows(
                IllegalArgumentException.class, () -> new SparkTrainOptions(new TrainOptions(5, 256, 1), 10, 0.1, 0,
                        1.0, LearningRateSchedule.PLATEAU, 3, 0.0, 0.0, -1.0, null)).getMessage());
        assertEquals("Unknown learning-rate schedule: 'warp' (known: plateau, exponential, cosine)",
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("warp")).getMessage());
        assertEquals(LearningRateSchedule.COSINE, LearningRateSchedule.parse("Cosine"));
    }

    @Test
    void aStretchedScheduleCountsEpochsOfTheGlobalBatch() {
        SparkTrainOptions s = settings(60, LearningRateSchedule.EXPONENTIAL, 10, 0.01);
        assertEquals(s, s.stretched(1.0), "scale 1: the settings as they are");
        SparkTrainOptions four = s.stretched(4.0);
        assertEquals(240, four.train().epochs());
        assertEquals(40, four.patience());
        // the rate decays by 0.8 per schedule epoch: four data epochs
        assertEquals(s.learningRate(1.0, 2, TrainingProgress.START), four.learningRate(1.0, 5, TrainingProgress.START),
                1e-12);
        assertEquals(Math.pow(0.8, 0.25), four.learningRate(1.0, 2, TrainingProgress.START), 1e-12);
        // best at data epoch 5, nothing better for 39 more: a stretched run goes on where the plain one stopped
        double[] nlls = new double[44];
        for (int i = 0; i < nlls.length; i++) {
            nlls[i] = i < 5 ? 1.0 - 0.1 * i : 0.7;
        }
        assertTrue(TrainingProgress.of(history(nlls), s).stops());
        assertFalse(TrainingProgress.of(history(nlls), four).stops());
        double[] more = java.util.Arrays.copyOf(nlls, 45);
        more[44] = 0.7;
        TrainingProgress stopped = TrainingProgress.of(history(more), four);
        assertTrue(stopped.stops());
        assertEquals(5, stopped.bestEpoch());
        assertThrows(IllegalArgumentException.class, () -> s.stretched(0.5));
        assertEquals(null, new SparkTrainOptions(new TrainOptions(5, 256, 1), 10, 0.1, 0, 0.5).stretched(2)
                .patience(), "no early stopping stays none");
    }
}
