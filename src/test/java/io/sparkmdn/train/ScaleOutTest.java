package io.sparkmdn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScaleOutTest {

    private static final long ROWS = 1_800_000;

    @Test
    void oneAndTwoWorkersTrainAsBefore() {
        for (int w : new int[] {1, 2}) {
            ScaleOut.Plan plan = ScaleOut.DEFAULT.plan(ROWS, w, 512);
            assertEquals(new ScaleOut.Plan(w, 512, 1.0, 1.0, List.of()), plan);
        }
    }

    @Test
    void theWorkerBatchShrinksToKeepTheGlobalBatch() {
        ScaleOut.Plan four = ScaleOut.DEFAULT.plan(ROWS, 4, 512);
        assertEquals(256, four.batchSize());
        assertEquals(1.0, four.learningRateFactor());
        ScaleOut.Plan three = ScaleOut.DEFAULT.plan(ROWS, 3, 512);
        assertEquals(341, three.batchSize()); // 1024 ÷ 3, rounded down: never more than the global batch
        assertEquals(1.0, three.learningRateFactor());
        ScaleOut.Plan eight = ScaleOut.DEFAULT.plan(ROWS, 8, 512);
        assertEquals(128, eight.batchSize());
        assertEquals(1024, eight.globalBatch());
        assertEquals(1.0, eight.learningRateFactor());
        assertEquals(1.0, eight.epochScale());
        assertTrue(eight.notes().get(0).contains("batch 128 per worker"), eight.notes().toString());
    }

    @Test
    void pastTheSmallestBatchTheRateGrowsWithTheSquareRoot() {
        ScaleOut.Plan p = ScaleOut.DEFAULT.plan(ROWS, 32, 512);
        assertEquals(32, p.workers());
        assertEquals(128, p.batchSize());
        assertEquals(2.0, p.learningRateFactor(), 1e-15);
        assertEquals(4.0, p.epochScale(), 1e-15, "4096 rows per step: an epoch makes a quarter of the steps");
        assertTrue(String.join("; ", p.notes()).contains("learning rate × 2.000"), p.notes().toString());
        assertEquals(Math.sqrt(8), ScaleOut.DEFAULT.plan(ROWS, 64, 512).learningRateFactor(), 1e-15);
    }

    @Test
    void aSmallerBatchThanTheMinimumIsKept() {
        ScaleOut.Plan p = ScaleOut.DEFAULT.plan(ROWS, 2, 64);
        assertEquals(64, p.batchSize());
        assertEquals(1.0, p.learningRateFactor());
        // 32 × 64 = 2048 rows per step: twice the global batch
        assertEquals(Math.sqrt(2), ScaleOut.DEFAULT.plan(ROWS, 32, 64).learningRateFactor(), 1e-15);
    }

    @Test
    void tooFewRowsForTheWorkersUsesFewerAndSaysSo() {
        ScaleOut s = new ScaleOut(1024, 128, 10_000, 0);
        ScaleOut.Plan p = s.plan(180_000, 32, 512);
        assertEquals(18, p.workers());
        assertTrue(p.notes().get(0).startsWith("18 of 32 workers: 180000 training rows"), p.notes().toString());
        assertEquals(1, s.plan(5_000, 4, 512).workers(), "at least one worker");
        assertEquals(4, s.plan(40_000, 4, 512).workers(), "exactly the floor is enough");
    }

    @Test
    void offIsTheOldBehaviour() {
        ScaleOut.Plan p = ScaleOut.OFF.plan(1000, 64, 512);
        assertEquals(new ScaleOut.Plan(64, 512, 1.0, 1.0, List.of()), p);
        assertEquals(ScaleOut.OFF, ScaleOut.orOff(null));
        assertEquals(ScaleOut.OFF, new SparkTrainOptions(new TrainOptions(1, 8, 1), 1, 0, 2).scaleOutOrOff());
    }

    @Test
    void invalidSettingsNameTheirValue() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ScaleOut(-1, 128, 0, 0)).getMessage()
                .contains("global batch: -1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ScaleOut(1024, 0, 0, 0)).getMessage()
                .contains("min batch size: 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ScaleOut(1024, 1, -5, 0)).getMessage()
                .contains("min rows per worker: -5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ScaleOut(1024, 1, 0, 1.5)).getMessage()
                .contains("block momentum: 1.5"));
        assertThrows(IllegalArgumentException.class, () -> ScaleOut.DEFAULT.plan(ROWS, 0, 512));
    }
}
