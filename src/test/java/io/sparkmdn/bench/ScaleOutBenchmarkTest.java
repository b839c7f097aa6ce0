package io.sparkmdn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.bench.ScaleOutBenchmark.ClusterCheck;
import io.sparkmdn.bench.ScaleOutBenchmark.ClusterPlan;
import io.sparkmdn.bench.ScaleOutBenchmark.ClusterRun;
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

    /** The one-JVM model: a small fixed cost. */
    private static final ScaleOutModel MODEL = new ScaleOutModel(List.of(new NetworkCost("default", 12_348, 8e-6),
            new NetworkCost("tiny", 1_615, 2e-6)), 0.05, 0.02, 2e-6, 16, 0.031);
    /** The cluster model: the same compute per row, a fixed cost several times larger. */
    private static final ScaleOutModel CLUSTER = new ScaleOutModel(MODEL.networks(), 0.4, 0.1, 1e-5, 5, 0.042);

    @Test
    void theClusterRunsFitFiveEpochsAndHoldOneOut() {
        List<ClusterPlan> plan = ScaleOutBenchmark.clusterPlan(ScaleOutBenchmark.STANDARD_CLUSTER_AVERAGING,
                ScaleOutBenchmark.STANDARD_HOLD_OUT_AVERAGING);
        assertEquals(List.of("default 2 10 false", "default 2 100 false", "tiny 2 10 false", "tiny 2 100 false",
                "default 1 10 false", "default 2 50 true"), plan.stream().map(p -> p.network().name() + " "
                + p.workers() + " " + p.averagingFrequency() + " " + p.holdOut()).toList());
        List<ClusterPlan> quick = ScaleOutBenchmark.clusterPlan(ScaleOutBenchmark.QUICK_CLUSTER_AVERAGING,
                ScaleOutBenchmark.QUICK_HOLD_OUT_AVERAGING);
        assertEquals(6, quick.size());
        // on a quick run's rows the three averaging frequencies of the default network make three distinct plans
        long rows = ScaleOutBenchmark.QUICK_TRAIN_ROWS;
        assertEquals(List.of(4, 1, 2), quick.stream().filter(p -> p.network() == ScaleOutBenchmark.DEFAULT
                && p.workers() == 2).map(p -> ScaleOutModel.roundsPerEpoch(rows, 512, 2, p.averagingFrequency()))
                .toList());
    }

    @Test
    void theHoldOutCheckComparesEachModelsEpochForTheSamePlan() {
        // 180,000 rows, 2 workers, averaging 50, batch 512: R = 4, B = 44
        // cluster: round = 44·512·8e-6 + 0.4 + 0.2 + 0.12348; one JVM: 44·512·8e-6 + 0.05 + 0.04 + 0.024696
        double compute = 44 * 512 * 8e-6;
        double round = compute + 0.4 + 0.2 + 0.123_48;
        double measured = 4 * round * 1.1;
        ClusterCheck c = ScaleOutBenchmark.check(CLUSTER, MODEL, ScaleOutBenchmark.DEFAULT, 2, 50, 180_000,
                List.of(6.0, measured));
        assertEquals(4, c.rounds());
        assertEquals(44, c.batchesPerRound());
        assertEquals(measured, c.measuredEpochSeconds(), 1e-12);
        assertEquals(4 * round, c.predictedEpochSeconds(), 1e-9);
        assertEquals(1 / 1.1 - 1, c.relativeError(), 1e-9);
        assertTrue(c.met()); // 9% under
        double local = 4 * (compute + 0.05 + 0.04 + 0.024_696);
        assertEquals(local, c.localPredictedEpochSeconds(), 1e-9);
        assertEquals(local / measured - 1, c.localRelativeError(), 1e-9);
        assertEquals(0.723_48, c.modelFixedSeconds(), 1e-9);
        assertEquals(measured / 4 - compute, c.impliedFixedSeconds(), 1e-9);
        // 25% under: not met; the median of the epochs after the first is measured
        ClusterCheck off = ScaleOutBenchmark.check(CLUSTER, null, ScaleOutBenchmark.DEFAULT, 2, 50, 180_000,
                List.of(9.0, 4 * round / 0.75, 4 * round / 0.75));
        assertEquals(-0.25, off.relativeError(), 1e-9);
        assertFalse(off.met());
        assertTrue(Double.isNaN(off.localPredictedEpochSeconds()));
        assertEquals(222_222, ScaleOutBenchmark.inputRows(200_000));
    }

    private static ScaleOutResult result(ClusterCheck c, ScaleOutModel clusterModel, List<ClusterRun> clusterRuns,
                                         String clusterFitFailed, String clusterSkipped) {
        Observation o = new Observation("default", 12_348, 2, 44, 512, 4, 1.5);
        List<Prediction> predictions = clusterModel == null ? List.of()
                : List.of(clusterModel.predict("default", 8, 50, 512, 90_000, 0.8));
        return new ScaleOutResult(200_000, 2, Map.of("default", "1→64 relu…"),
                List.of(new LocalRun(o, 50, 180_000, List.of(2.5, 1.5))), MODEL, null, clusterRuns, clusterModel,
                clusterFitFailed, c, 90_000, 50, 0.8, predictions,
                List.of(MODEL.predict("default", 8, 50, 512, 90_000, 0.8)), clusterSkipped, 300);
    }

    @Test
    void theSectionShowsBothFitsTheHoldOutAndThePredictions() {
        Observation o = new Observation("default", 12_348, 2, 44, 512, 4, 1.5);
        Observation fit = new Observation("tiny", 1_615, 2, 40, 256, 10, 8.0);
        Observation held = new Observation("default", 12_348, 2, 44, 512, 4, 3.2);
        List<ClusterRun> runs = List.of(new ClusterRun(fit, 10, 180_000, List.of(9.0, 8.0), false),
                new ClusterRun(held, 50, 180_000, List.of(4.0, 3.2), true));
        ClusterCheck c = ScaleOutBenchmark.check(CLUSTER, MODEL, ScaleOutBenchmark.DEFAULT, 2, 50, 180_000,
                List.of(4.0, 3.2));
        ScaleOutResult r = result(c, CLUSTER, runs, null, null);
        String md = ScaleOutBenchmark.markdown(r);

        double model = MODEL.epochSeconds(o);
        assertTrue(md.contains("### One JVM (local[2])"), md);
        assertTrue(md.contains(String.format("| default | 12,348 | 2 | 50 | 44 | 512 | 4 | 1.50 | %.2f | %+.1f%% | "
                + "2.50, 1.50 |", model, 100 * (model / 1.5 - 1))), md);
        assertTrue(md.contains("f0 = 50.00 ms, f1 = 20.00 ms per worker, f2 = 2.000 µs per parameter"), md);
        assertTrue(md.contains("default: c = 8.000 µs per row, f2·P"), md);
        assertTrue(md.contains("RMS relative error 3.1% over 16 epochs"), md);

        assertTrue(md.contains("### Separate executor JVMs (loopback cluster)"), md);
        double tinyCluster = CLUSTER.epochSeconds(fit);
        double tinyLocal = MODEL.epochSeconds(fit);
        assertTrue(md.contains(String.format("| tiny | 1,615 | 2 | 10 | 40 | 256 | 10 | fit | 8.00 | %.2f | %+.1f%% | "
                        + "%.2f | %+.1f%% | 9.00, 8.00 |", tinyCluster, 100 * (tinyCluster / 8 - 1), tinyLocal,
                100 * (tinyLocal / 8 - 1))), md);
        assertTrue(md.contains("| default | 12,348 | 2 | 50 | 44 | 512 | 4 | hold-out | 3.20 |"), md);
        assertTrue(md.contains("f0 = 400.00 ms, f1 = 100.00 ms per worker, f2 = 10.000 µs per parameter"), md);
        assertTrue(md.contains("default: c = 8.000 µs per row (one-JVM fit), f2·P = 123.48 ms"), md);
        assertTrue(md.contains("RMS relative error 4.2% over 5 epochs"), md);

        assertTrue(md.contains("### Hold-out check"), md);
        assertTrue(md.contains(String.format("| default | 2 | 50 | 180,000 | 4 | 44 | 3.20 | %.2f | %+.1f%% | %s | "
                        + "%.2f | %+.1f%% | 0.723 | %.3f |", c.predictedEpochSeconds(), 100 * c.relativeError(),
                c.met() ? "yes" : "**no**", c.localPredictedEpochSeconds(), 100 * c.localRelativeError(),
                3.2 / 4 - 0.180_224)), md);

        Prediction p = r.predictions().get(0);
        Prediction l = r.localPredictions().get(0);
        assertTrue(md.contains("From the cluster model (separate executor JVMs)"), md);
        assertTrue(md.contains(String.format("| default | 8 | %.3f | %.3f | %.0f%% | %,.0f | %,.0f | %.2f | %d | "
                        + "%.3f | %.0f%% | %d |", p.computeSeconds(), p.fixedSeconds(), 100 * p.efficiency(),
                p.samplesPerSecond(), p.samplesPerSecondPerWorker(), p.epochSeconds(), p.averagingForTarget(),
                l.fixedSeconds(), 100 * l.efficiency(), l.averagingForTarget())), md);
        assertTrue(p.fixedSeconds() > l.fixedSeconds() && p.averagingForTarget() > l.averagingForTarget());

        assertEquals(String.format("| scale-out model (separate executor JVMs) within 20%% of a held-out 2-executor "
                        + "cluster epoch (default network, 2 workers, averaging 50) | %+.0f%% | %s |%n",
                100 * c.relativeError(), c.met() ? "yes" : "**no**"), ScaleOutBenchmark.targets(r));
    }

    @Test
    void failuresAreReportedNotHidden() {
        ScaleOutResult failed = result(null, null, List.of(), null, "failed: Command failed (exit 1)");
        String md = ScaleOutBenchmark.markdown(failed);
        assertTrue(md.contains("Cluster runs failed: Command failed (exit 1)."), md);
        assertTrue(md.contains("**From the one-JVM model only**"), md);
        assertFalse(md.contains("### Hold-out check"), md);
        assertTrue(ScaleOutBenchmark.targets(failed).contains("| failed: Command failed (exit 1) | **no** |"));

        Observation o = new Observation("default", 12_348, 2, 44, 512, 4, 3.2);
        ScaleOutResult unfittedCluster = result(null, null, List.of(new ClusterRun(o, 10, 180_000, List.of(4.0, 3.2),
                false)), "The observations cover one worker count only ([2])", "failed: timed out");
        String md2 = ScaleOutBenchmark.markdown(unfittedCluster);
        assertTrue(md2.contains("| fit | 3.20 | – | – |"), md2);
        assertTrue(md2.contains("Not fitted: The observations cover one worker count only ([2])."), md2);

        ScaleOutResult notAsked = result(null, null, List.of(), null, "not asked for");
        assertEquals("", ScaleOutBenchmark.targets(notAsked));
        assertTrue(ScaleOutBenchmark.markdown(notAsked).contains("Cluster runs skipped: not asked for."));

        ScaleOutResult unfitted = new ScaleOutResult(4_000, 2, Map.of(), failed.runs(), null, "too noisy", List.of(),
                null, null, null, 1_800, 50, 0.8, List.of(), List.of(), "no compute cost per row", 10);
        String none = ScaleOutBenchmark.markdown(unfitted);
        assertTrue(none.contains("| 1.50 | – | – |") && none.contains("Not fitted: too noisy."), none);
        assertFalse(none.contains("### Predicted scale-out"), none);
        assertTrue(ScaleOutBenchmark.targets(unfitted).contains("| no compute cost per row | **no** |"));
    }
}
