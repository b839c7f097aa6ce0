package io.sparkmdn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.bench.ScaleOutBenchmark.ClusterCheck;
import io.sparkmdn.bench.ScaleOutBenchmark.LocalRun;
import io.sparkmdn.bench.ScaleOutBenchmark.ScaleOutResult;
import io.sparkmdn.bench.ScaleOutModel.NetworkCost;
import io.sparkmdn.bench.ScaleOutModel.Observation;
import io.sparkmdn.bench.ScaleOutModel.Prediction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The section's report and its check arithmetic, on made-up measurements (no Spark). */
class ScaleOutBenchmarkTest {

    private static final ScaleOutModel MODEL = new ScaleOutModel(List.of(new NetworkCost("default", 12_348, 8e-6),
            new NetworkCost("tiny", 1_615, 2e-6)), 0.05, 0.02, 2e-6, 16, 0.031);

    @Test
    void theClusterCheckComparesTheModelsEpochForTheSamePlan() {
        // 180,000 rows, 2 workers, averaging 50, batch 512: R = 4, B = 44; round = 44·512·8e-6 + 0.05 + 0.04 + 0.024696
        ClusterCheck c = ScaleOutBenchmark.check(MODEL, ScaleOutBenchmark.DEFAULT, 180_000, List.of(3.0, 0.9), 0.9);
        assertEquals(4, c.rounds());
        assertEquals(44, c.batchesPerRound());
        double round = 44 * 512 * 8e-6 + 0.05 + 0.04 + 0.024_696;
        assertEquals(4 * round, c.predictedEpochSeconds(), 1e-9);
        assertEquals(4 * round / 0.9 - 1, c.relativeError(), 1e-9);
        assertTrue(!c.met()); // 1.18 s predicted against 0.9 s measured: 31% off
        assertEquals(0.114_696, c.modelFixedSeconds(), 1e-9);
        assertEquals(0.9 / 4 - 44 * 512 * 8e-6, c.impliedFixedSeconds(), 1e-9);
        assertTrue(ScaleOutBenchmark.check(MODEL, ScaleOutBenchmark.DEFAULT, 180_000, List.of(2.0, 1.3), 1.3).met());
        assertEquals(222_222, ScaleOutBenchmark.inputRows(200_000));
    }

    @Test
    void theSectionShowsObservationsConstantsPredictionsAndTheCheck() {
        Observation o = new Observation("default", 12_348, 2, 44, 512, 4, 1.5);
        ClusterCheck c = ScaleOutBenchmark.check(MODEL, ScaleOutBenchmark.DEFAULT, 180_000, List.of(3.0, 1.4), 1.4);
        Prediction p = MODEL.predict("default", 8, 50, 512, 90_000, 0.8);
        ScaleOutResult r = new ScaleOutResult(200_000, 2, Map.of("default", "1→64 relu…"),
                List.of(new LocalRun(o, 50, 180_000, List.of(2.5, 1.5))), MODEL, null, 90_000, 50, 0.8, List.of(p),
                List.of(c), null, 300);
        String md = ScaleOutBenchmark.markdown(r);
        double model = MODEL.epochSeconds(o);
        assertTrue(md.contains(String.format("| default | 12,348 | 2 | 50 | 44 | 512 | 4 | 1.50 | %.2f | %+.1f%% | "
                + "2.50, 1.50 |", model, 100 * (model / 1.5 - 1))), md);
        assertTrue(md.contains("f0 = 50.00 ms, f1 = 20.00 ms per worker, f2 = 2.000 µs per parameter"), md);
        assertTrue(md.contains("default: c = 8.000 µs per row"), md);
        assertTrue(md.contains("RMS relative error 3.1% over 16 epochs"), md);
        assertTrue(md.contains(String.format("| default | 8 | %.3f | %.3f | %.0f%% | %,.0f | %,.0f | %.2f | %d |",
                p.computeSeconds(), p.fixedSeconds(), 100 * p.efficiency(), p.samplesPerSecond(),
                p.samplesPerSecondPerWorker(), p.epochSeconds(), p.averagingForTarget())), md);
        assertTrue(md.contains(String.format("| default | 2 | 50 | 180,000 | 4 | 44 | 1.40 | %.2f | %+.1f%% | yes | "
                + "0.115 | %.3f |", c.predictedEpochSeconds(), 100 * c.relativeError(), 1.4 / 4 - 0.180_224)), md);
        assertTrue(ScaleOutBenchmark.targets(r).contains(String.format("within 20%% (averaging 50) | %+.0f%% | yes |",
                        100 * c.relativeError())),
                ScaleOutBenchmark.targets(r));

        ScaleOutResult unfitted = new ScaleOutResult(4_000, 2, Map.of(), r.runs(), null, "too noisy", 1_800, 50,
                0.8, List.of(), List.of(), "no model to check", 10);
        String failed = ScaleOutBenchmark.markdown(unfitted);
        assertTrue(failed.contains("| 1.50 | – | – |") && failed.contains("Not fitted: too noisy."), failed);
        assertTrue(ScaleOutBenchmark.targets(unfitted).contains("| no model to check | **no** |"));
    }
}
