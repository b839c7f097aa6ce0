package io.sparkmdn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.bench.TimeToFitBenchmark.Fit;
import io.sparkmdn.bench.TimeToFitBenchmark.Point;
import io.sparkmdn.bench.TimeToFitBenchmark.Prediction;
import io.sparkmdn.bench.TimeToFitBenchmark.RoundCost;
import io.sparkmdn.train.ScaleOut;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeToFitBenchmarkTest {

    /** A fit whose gap after each epoch is {@code gaps}, with {@code rounds} rounds per epoch. */
    private static Fit fit(int workers, int batch, int rounds, int batchesPerRound, double... gaps) {
        List<Point> curve = new ArrayList<>();
        for (int e = 0; e < gaps.length; e++) {
            curve.add(new Point(e + 1, (long) (e + 1) * rounds, gaps[e], 1.0));
        }
        return new Fit("seed", 1000, workers, new ScaleOut.Plan(workers, batch, 1, 1, List.of()), rounds,
                batchesPerRound, gaps.length, gaps[gaps.length - 1], "done", 10, curve);
    }

    @Test
    void roundCostIsInterpolatedBetweenTheMeasuredWorkers() {
        List<RoundCost> costs = List.of(new RoundCost(2, 10), new RoundCost(8, 40), new RoundCost(32, 100));
        assertEquals(10, TimeToFitBenchmark.roundCost(costs, 2), 1e-12);
        assertEquals(25, TimeToFitBenchmark.roundCost(costs, 5), 1e-12);
        assertEquals(70, TimeToFitBenchmark.roundCost(costs, 20), 1e-12);
        assertEquals(160, TimeToFitBenchmark.roundCost(costs, 56), 1e-12, "beyond the last two, their line");
        assertEquals(5, TimeToFitBenchmark.roundCost(List.of(new RoundCost(4, 5)), 64), 1e-12);
    }

    @Test
    void predictedTimeIsRoundsTimesComputeAndRoundCostAndEfficiencyIsAgainstTwoWorkers() {
        // compute: 2 ms + 0.01 ms per row; round cost 10 ms at 2 workers, 40 ms at 8
        double[] line = {2, 0.01};
        List<RoundCost> costs = List.of(new RoundCost(2, 10), new RoundCost(8, 40));
        Fit two = fit(2, 512, 4, 25, 0.3, 0.08, 0.04, 0.03);     // reaches 0.05 at epoch 3: 12 rounds
        Fit eight = fit(8, 128, 1, 25, 0.2, 0.06, 0.049);        // at epoch 3: 3 rounds
        Fit never = fit(32, 128, 1, 7, 0.5, 0.4, 0.3);
        List<Prediction> p = TimeToFitBenchmark.predictions(List.of(eight, two, never), line, costs);
        double roundTwo = 25 * (2 + 0.01 * 512) / 1000 + 0.010;
        double roundEight = 25 * (2 + 0.01 * 128) / 1000 + 0.040;
        assertEquals(roundTwo, p.get(1).secondsPerRound(), 1e-12);
        assertEquals(12 * roundTwo, p.get(1).secondsToTarget(), 1e-12);
        assertEquals(3 * roundEight, p.get(0).secondsToTarget(), 1e-12);
        assertEquals(1.0, p.get(1).efficiency(), 1e-12);
        assertEquals(2 * 12 * roundTwo / (8 * 3 * roundEight), p.get(0).efficiency(), 1e-12);
        assertEquals(0.05, p.get(0).targetGap(), "W = 2 ends below 0.04: the target is 0.05");
        assertNull(p.get(2).secondsToTarget());
        assertNull(p.get(2).efficiency());
        assertEquals(3, p.get(0).targetEpoch());
    }

    @Test
    void aReferenceThatEndsAboveTheTargetMovesItToJustAboveItsEnd() {
        Fit two = fit(2, 512, 4, 25, 0.3, 0.1, 0.058);
        Fit eight = fit(8, 128, 1, 25, 0.2, 0.066, 0.05);
        List<Prediction> p = TimeToFitBenchmark.predictions(List.of(two, eight), new double[] {2, 0.01},
                List.of(new RoundCost(2, 10)));
        assertEquals(0.068, p.get(0).targetGap(), 1e-12);
        assertEquals(3, p.get(0).targetEpoch());
        assertEquals(2, p.get(1).targetEpoch());
        assertTrue(p.get(1).efficiency() > 0);
    }
}
