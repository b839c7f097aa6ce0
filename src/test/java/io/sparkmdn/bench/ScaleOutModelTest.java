package io.sparkmdn.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.bench.ScaleOutModel.NetworkCost;
import io.sparkmdn.bench.ScaleOutModel.Observation;
import io.sparkmdn.bench.ScaleOutModel.Prediction;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScaleOutModelTest {

    private static final long P_DEFAULT = 12_348;
    private static final long P_TINY = 1_615;
    /** The constants the synthetic observations come from. */
    private static final ScaleOutModel TRUE = new ScaleOutModel(List.of(new NetworkCost("default", P_DEFAULT, 8e-6),
            new NetworkCost("tiny", P_TINY, 2e-6)), 0.05, 0.02, 2e-6, 0, 0);

    /** The bench's grid: both networks, 1 and 2 workers, averaging 10 … 100, on 180k rows; noise ±{@code noise}. */
    private static List<Observation> observations(ScaleOutModel truth, double noise, long seed) {
        Random random = new Random(seed);
        List<Observation> list = new ArrayList<>();
        for (NetworkCost n : truth.networks()) {
            int batch = n.network().equals("tiny") ? 256 : 512;
            for (int workers : List.of(1, 2)) {
                for (int averaging : List.of(10, 25, 50, 100)) {
                    int rounds = ScaleOutModel.roundsPerEpoch(180_000, batch, workers, averaging);
                    int batches = ScaleOutModel.batchesPerRound(180_000, batch, workers, rounds);
                    double seconds = truth.epochSeconds(n.network(), workers, batches, batch, rounds)
                            * (1 + noise * (2 * random.nextDouble() - 1));
                    list.add(new Observation(n.network(), n.parameters(), workers, batches, batch, rounds, seconds));
                }
            }
        }
        return list;
    }

    @Test
    void fitRecoversTheConstantsOfExactObservations() {
        ScaleOutModel fit = ScaleOutModel.fit(observations(TRUE, 0, 1));
        assertEquals(8e-6, fit.network("default").secondsPerSample(), 8e-6 * 1e-9);
        assertEquals(2e-6, fit.network("tiny").secondsPerSample(), 2e-6 * 1e-9);
        assertEquals(0.05, fit.f0(), 1e-9);
        assertEquals(0.02, fit.f1(), 1e-9);
        assertEquals(2e-6, fit.f2(), 1e-12);
        assertEquals(16, fit.observations());
        assertEquals(0, fit.rmsRelativeError(), 1e-9);
    }

    @Test
    void fitRecoversTheConstantsThroughNoise() {
        for (long seed = 1; seed <= 5; seed++) {
            ScaleOutModel fit = ScaleOutModel.fit(observations(TRUE, 0.005, seed));
            assertEquals(8e-6, fit.network("default").secondsPerSample(), 8e-6 * 0.03, "seed " + seed);
            assertEquals(2e-6, fit.network("tiny").secondsPerSample(), 2e-6 * 0.05, "seed " + seed);
            assertEquals(0.05, fit.f0(), 0.05 * 0.1, "seed " + seed);
            assertEquals(0.02, fit.f1(), 0.02 * 0.1, "seed " + seed);
            assertEquals(2e-6, fit.f2(), 2e-6 * 0.1, "seed " + seed);
            assertTrue(fit.rmsRelativeError() > 0 && fit.rmsRelativeError() < 0.005, "" + fit.rmsRelativeError());
        }
    }

    /** The cluster's five epochs: both networks on 2 workers at averaging 10 and 100, the default on 1 at 10. */
    private static List<Observation> clusterObservations(ScaleOutModel truth, double noise, long seed) {
        Random random = new Random(seed);
        List<Observation> list = new ArrayList<>();
        for (String[] run : new String[][] {{"default", "2", "10"}, {"default", "2", "100"}, {"tiny", "2", "10"},
                {"tiny", "2", "100"}, {"default", "1", "10"}}) {
            NetworkCost n = truth.network(run[0]);
            int batch = n.network().equals("tiny") ? 256 : 512;
            int workers = Integer.parseInt(run[1]);
            int rounds = ScaleOutModel.roundsPerEpoch(180_000, batch, workers, Integer.parseInt(run[2]));
            int batches = ScaleOutModel.batchesPerRound(180_000, batch, workers, rounds);
            double seconds = truth.epochSeconds(n.network(), workers, batches, batch, rounds)
                    * (1 + noise * (2 * random.nextDouble() - 1));
            list.add(new Observation(n.network(), n.parameters(), workers, batches, batch, rounds, seconds));
        }
        return list;
    }

    @Test
    void fitFixedCostKeepsTheComputeCostsAndFitsTheRest() {
        ScaleOutModel cluster = new ScaleOutModel(TRUE.networks(), 0.4, 0.1, 1e-5, 0, 0);
        ScaleOutModel fit = ScaleOutModel.fitFixedCost(TRUE.networks(), clusterObservations(cluster, 0, 1));
        assertEquals(TRUE.networks(), fit.networks());
        assertEquals(0.4, fit.f0(), 1e-9);
        assertEquals(0.1, fit.f1(), 1e-9);
        assertEquals(1e-5, fit.f2(), 1e-12);
        assertEquals(5, fit.observations());
        assertEquals(0, fit.rmsRelativeError(), 1e-9);
        for (long seed = 1; seed <= 5; seed++) {
            ScaleOutModel noisy = ScaleOutModel.fitFixedCost(TRUE.networks(), clusterObservations(cluster, 0.01, seed));
            assertEquals(0.4 + 0.2 + 1e-5 * P_DEFAULT, noisy.fixedSeconds(2, P_DEFAULT), 0.74 * 0.03, "seed " + seed);
            assertTrue(noisy.rmsRelativeError() > 0 && noisy.rmsRelativeError() < 0.01, "" + noisy.rmsRelativeError());
        }
        // the one-JVM model's fixed cost, fitted to the same epochs: the cluster's is several times larger
        List<Observation> oneJvm = clusterObservations(TRUE, 0, 1);
        assertEquals(0.05 + 0.04 + 2e-6 * P_DEFAULT,
                ScaleOutModel.fitFixedCost(TRUE.networks(), oneJvm).fixedSeconds(2, P_DEFAULT), 1e-9);

        List<Observation> all = clusterObservations(cluster, 0, 1);
        assertMessage("one worker count only", () -> ScaleOutModel.fitFixedCost(TRUE.networks(),
                all.stream().filter(o -> o.workers() == 2).toList()));
        assertMessage("one parameter count only", () -> ScaleOutModel.fitFixedCost(TRUE.networks(),
                all.stream().filter(o -> o.network().equals("default")).toList()));
        assertMessage("Network 'tiny' has no compute cost", () -> ScaleOutModel.fitFixedCost(
                List.of(TRUE.network("default")), all));
        assertMessage("Network 'default' is observed with 12348 parameters, its compute cost is of 99",
                () -> ScaleOutModel.fitFixedCost(List.of(new NetworkCost("default", 99, 8e-6),
                        TRUE.network("tiny")), all));
        assertMessage("No observations", () -> ScaleOutModel.fitFixedCost(TRUE.networks(), List.of()));
    }

    @Test
    void aNegativeConstantIsFixedAtZeroAndTheRestRefitted() {
        // unconstrained: x = (1, −1); with x ≥ 0: x₂ = 0, x₁ the fit of column 1 alone
        double[][] a = {{1, 0}, {0, 1}, {1, 1}};
        double[] y = {1, -1, 0};
        assertArrayEquals(new double[] {1, -1}, ScaleOutModel.leastSquares(a, y), 1e-12);
        assertArrayEquals(new double[] {0.5, 0}, ScaleOutModel.nonNegativeLeastSquares(a, y), 1e-12);
        // no cost per worker at all: noise must not make f1 negative
        ScaleOutModel noWorkerCost = new ScaleOutModel(TRUE.networks(), 0.05, 0, 2e-6, 0, 0);
        for (long seed = 1; seed <= 5; seed++) {
            ScaleOutModel fit = ScaleOutModel.fit(observations(noWorkerCost, 0.01, seed));
            assertTrue(fit.f1() >= 0 && fit.f1() < 0.002, "f1 " + fit.f1());
        }
    }

    /** c = 10 µs/sample, P = 10,000; f0 = 0.1 s, f1 = 0.01 s/worker, f2 = 1 µs/parameter. */
    private static final ScaleOutModel HAND = new ScaleOutModel(List.of(new NetworkCost("net", 10_000, 1e-5)), 0.1,
            0.01, 1e-6, 0, 0);

    @Test
    void predictionsMatchHandComputedValues() {
        // w = 8, B = 50, b = 512: compute 50·512·1e-5 = 0.256 s; F = 0.1 + 0.08 + 0.01 = 0.19 s; round 0.446 s
        Prediction p = HAND.predict("net", 8, 50, 512, 90_000, 0.8);
        assertEquals(0.256, p.computeSeconds(), 1e-12);
        assertEquals(0.19, p.fixedSeconds(), 1e-12);
        assertEquals(0.446, p.roundSeconds(), 1e-12);
        assertEquals(0.256 / 0.446, p.efficiency(), 1e-12);
        assertEquals(8 * 25_600 / 0.446, p.samplesPerSecond(), 1e-6);
        assertEquals(25_600 / 0.446, p.samplesPerSecondPerWorker(), 1e-6);
        assertEquals(4, p.rounds()); // ceil(90,000 / 25,600)
        assertEquals(4 * 0.446, p.epochSeconds(), 1e-12);
        // B ≥ 0.8·0.19 / (0.2·512·1e-5) = 148.4375
        assertEquals(149, p.averagingForTarget());
        assertTrue(HAND.efficiency("net", 8, 149, 512) >= 0.8);
        assertTrue(HAND.efficiency("net", 8, 148, 512) < 0.8);
        // w = 128: F = 0.1 + 1.28 + 0.01 = 1.39 s; B ≥ 0.8·1.39 / 0.001024 = 1085.9…
        assertEquals(1086, HAND.averagingFrequencyFor("net", 128, 512, 0.8));
        assertEquals(1.39, HAND.fixedSeconds(128, 10_000), 1e-12);
        // w = 32: F = 0.1 + 0.32 + 0.01 = 0.43 s; B ≥ 0.8·0.43 / 0.001024 = 335.9…; exactly 0.5 needs B = F / (b·c)
        assertEquals(336, HAND.averagingFrequencyFor("net", 32, 512, 0.8));
        assertEquals(1, HAND.averagingFrequencyFor("net", 1, 512, 0.001));
    }

    @Test
    void thePlanFollowsTheTrainersFormulas() {
        assertEquals(4, ScaleOutModel.roundsPerEpoch(180_000, 512, 2, 50)); // ceil(180,000 / 51,200)
        assertEquals(44, ScaleOutModel.batchesPerRound(180_000, 512, 2, 4)); // ceil(22,500 / 512)
        assertEquals(1, ScaleOutModel.roundsPerEpoch(3_600, 512, 2, 10));
        assertEquals(4, ScaleOutModel.batchesPerRound(3_600, 512, 2, 1)); // ceil(1,800 / 512)
        assertEquals(1, ScaleOutModel.roundsPerEpoch(0, 512, 2, 10));
        assertEquals(1, ScaleOutModel.batchesPerRound(0, 512, 2, 1));
    }

    @Test
    void badInputIsRejectedNamingTheValue() {
        assertMessage("Invalid number of workers: 0", () -> new Observation("net", 10, 0, 5, 512, 1, 1.0));
        assertMessage("Invalid epoch seconds: NaN", () -> new Observation("net", 10, 1, 5, 512, 1, Double.NaN));
        assertMessage("Invalid batch size: -1", () -> new Observation("net", 10, 1, 5, -1, 1, 1.0));
        assertMessage("Invalid parameter count of network 'net': 0", () -> new Observation("net", 0, 1, 5, 1, 1, 1));
        assertMessage("Invalid fixed cost f1: -0.1", () -> new ScaleOutModel(HAND.networks(), 0, -0.1, 0, 0, 0));
        assertMessage("Invalid compute per sample of network 'net': 0.0",
                () -> new NetworkCost("net", 10, 0));
        assertMessage("Unknown network 'other'", () -> HAND.predict("other", 8, 50, 512, 1000, 0.8));
        assertMessage("Invalid target efficiency: 1.0", () -> HAND.averagingFrequencyFor("net", 8, 512, 1.0));
        assertMessage("No observations", () -> ScaleOutModel.fit(List.of()));

        List<Observation> all = observations(TRUE, 0, 1);
        assertMessage("one parameter count only", () -> ScaleOutModel.fit(
                all.stream().filter(o -> o.network().equals("tiny")).toList()));
        assertMessage("one worker count only", () -> ScaleOutModel.fit(
                all.stream().filter(o -> o.workers() == 2).toList()));
        assertMessage("Network 'tiny' is observed at one value", () -> ScaleOutModel.fit(
                all.stream().filter(o -> o.network().equals("default") || o.batchesPerRound() == 10).toList()));
        List<Observation> twoCounts = new ArrayList<>(all);
        twoCounts.add(new Observation("tiny", 99, 1, 5, 256, 1, 1.0));
        assertMessage("Network 'tiny' is observed with two parameter counts: 1615 and 99",
                () -> ScaleOutModel.fit(twoCounts));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
