package io.sparkmdn.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConformalTest {

    /** The model's belief about every row: N(0, 1). */
    private static final GaussianMixture MODEL = new GaussianMixture(new double[] {1}, new double[] {0},
            new double[] {1}, 1);
    private static final int CAL_ROWS = 500;
    private static final int TEST_ROWS = 2000;
    private static final int REPEATS = 200;

    /** The truth the model gets wrong: too narrow and off-centre, Y ~ N(0.7, 1.8²). */
    private static double truth(SplittableRandom rng) {
        return 0.7 + 1.8 * rng.nextGaussian();
    }

    @Test
    void minimumRowsIsTheFewestForAFiniteBound() {
        assertEquals(4, Conformal.minimumRows(0.8, 0));
        assertEquals(9, Conformal.minimumRows(0.9, 0));
        assertEquals(19, Conformal.minimumRows(0.95, 0));
        assertEquals(99, Conformal.minimumRows(0.99, 0));
        assertEquals(59, Conformal.minimumRows(0.95, 0.95), "0.95^59 < 0.05 < 0.95^58");
        assertEquals(29, Conformal.minimumRows(0.9, 0.95));
    }

    @Test
    void bothMethodsCoverAtLeastTheLevelOnAverageOverCalibrationDraws() {
        for (Conformal.Method method : Conformal.Method.values()) {
            for (double level : new double[] {0.8, 0.9, 0.95}) {
                double rawCovered = 0;
                double covered = 0;
                for (int rep = 0; rep < REPEATS; rep++) {
                    SplittableRandom rng = new SplittableRandom(1000L * rep + (long) (level * 100));
                    Conformal c = fit(method, level, rng);
                    double lo0 = MODEL.quantile(0, (1 - level) / 2);
                    double hi0 = MODEL.quantile(0, (1 + level) / 2);
                    double[] bounds = c.interval(MODEL, 0, level, lo0, hi0);
                    int in = 0;
                    int rawIn = 0;
                    for (int i = 0; i < TEST_ROWS; i++) {
                        double y = truth(rng);
                        in += y >= bounds[0] && y <= bounds[1] ? 1 : 0;
                        rawIn += y >= lo0 && y <= hi0 ? 1 : 0;
                    }
                    covered += (double) in / TEST_ROWS;
                    rawCovered += (double) rawIn / TEST_ROWS;
                }
                covered /= REPEATS;
                rawCovered /= REPEATS;
                // the guarantee is on the mean over calibration draws; the spread of that mean over 200 draws of
                // 500 + 2000 rows is below 0.002
                assertTrue(covered >= level - 0.002, method + " at " + level + ": coverage " + covered);
                assertTrue(covered <= level + 1.0 / (CAL_ROWS + 1) + 1.0 / Conformal.GRID + 0.004,
                        method + " at " + level + ": coverage " + covered + " is needlessly wide");
                assertTrue(rawCovered < level - 0.15, "the raw model misses: " + rawCovered);
            }
        }
    }

    @Test
    void calibratedQuantilesHoldTheirOneSidedGuaranteeAndPitIsUniform() {
        double[] levels = {0.05, 0.5, 0.95};
        double[] below = new double[levels.length];
        int[] pitBins = new int[10];
        for (int rep = 0; rep < REPEATS; rep++) {
            SplittableRandom rng = new SplittableRandom(77L + rep);
            Conformal c = fit(Conformal.Method.DCP, 0.9, rng);
            double[] q = new double[levels.length];
            for (int j = 0; j < levels.length; j++) {
                q[j] = Conformal.quantile(MODEL, 0, c.quantileLevel(0, levels[j]));
            }
            for (int i = 0; i < TEST_ROWS; i++) {
                double y = truth(rng);
                for (int j = 0; j < levels.length; j++) {
                    below[j] += y <= q[j] ? 1 : 0;
                }
                double pit = c.pit(0, MODEL.marginalCdf(0, y));
                pitBins[Math.min(9, (int) (pit * 10))]++;
            }
        }
        for (int j = 0; j < levels.length; j++) {
            double fraction = below[j] / ((double) REPEATS * TEST_ROWS);
            assertTrue(fraction >= levels[j] - 0.002 && fraction <= levels[j] + 0.006,
                    "P(Y ≤ calibrated " + levels[j] + "-quantile) = " + fraction);
        }
        for (int b = 0; b < 10; b++) {
            double fraction = pitBins[b] / ((double) REPEATS * TEST_ROWS);
            assertEquals(0.1, fraction, 0.004, "calibrated PIT decile " + b);
        }
    }

    @Test
    void eachDimensionOfATwoDimensionalLabelIsCalibratedOnItsOwn() {
        // the model: independent N(0, 1) per dimension; the truth: dimension 0 too wide, dimension 1 too narrow
        GaussianMixture model = new GaussianMixture(new double[] {1}, new double[] {0, 0}, new double[] {1, 1}, 2);
        double[] scale = {1.6, 0.6};
        SplittableRandom rng = new SplittableRandom(21);
        int n = 4000;
        double[][] pits = new double[2][n];
        for (int i = 0; i < n; i++) {
            double[] y = {scale[0] * rng.nextGaussian(), scale[1] * rng.nextGaussian()};
            double[] u = model.pit(y);
            pits[0][i] = u[0];
            pits[1][i] = u[1];
        }
        Conformal c = Conformal.fit(Conformal.Method.DCP, 0, pits, new double[0], new double[2][0][]);
        Scoring scoring = new Scoring(new double[] {0.5}, 0.9).withoutMode().calibratedBy(c);
        int[] in = new int[2];
        int[] rawIn = new int[2];
        int tests = 20_000;
        for (int i = 0; i < tests; i++) {
            double[] y = {scale[0] * rng.nextGaussian(), scale[1] * rng.nextGaussian()};
            Scoring.Scores s = scoring.score(model, y);
            for (int l = 0; l < 2; l++) {
                in[l] += s.inInterval()[l] ? 1 : 0;
                rawIn[l] += s.raw().inInterval()[l] ? 1 : 0;
            }
        }
        assertTrue((double) rawIn[0] / tests < 0.75 && (double) rawIn[1] / tests > 0.99, "raw: too narrow, too wide");
        for (int l = 0; l < 2; l++) {
            assertEquals(0.9, (double) in[l] / tests, 0.012, "dimension " + l);
        }
    }

    @Test
    void tooFewRowsGiveUnboundedAnswersNotFalseOnes() {
        SplittableRandom rng = new SplittableRandom(3);
        double[][] pits = {{MODEL.marginalCdf(0, truth(rng)), MODEL.marginalCdf(0, truth(rng))}};
        Conformal c = Conformal.fit(Conformal.Method.DCP, 0.95, pits, new double[0], new double[1][0][]);
        double[] bounds = c.interval(MODEL, 0, 0.9, 0, 0);
        assertEquals(Double.NEGATIVE_INFINITY, bounds[0]);
        assertEquals(Double.POSITIVE_INFINITY, bounds[1]);
        assertEquals(1.0, c.quantileLevel(0, 0.95));
    }

    @Test
    void cqrRefusesALevelItWasNotCalibratedAt() {
        Conformal c = fit(Conformal.Method.CQR, 0.9, new SplittableRandom(5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.interval(MODEL, 0, 0.8, -1, 1));
        assertTrue(e.getMessage().contains("calibrated (cqr) at the levels [0.9], not at 0.8"), e.getMessage());
        assertEquals("Unknown calibration method: 'cp' (known: dcp, cqr)",
                assertThrows(IllegalArgumentException.class, () -> Conformal.Method.parse("cp")).getMessage());
    }

    @Test
    void atAConfidenceAlmostEveryCalibratedModelCoversItsLevel() {
        // the exact coverage of each calibrated model under the truth: how many of 300 calibrations fall short
        GaussianMixture truth = new GaussianMixture(new double[] {1}, new double[] {0.7}, new double[] {1.8}, 1);
        double level = 0.9;
        int repeats = 300;
        for (double confidence : new double[] {0, 0.95}) {
            int shortfalls = 0;
            double mean = 0;
            for (int rep = 0; rep < repeats; rep++) {
                Conformal c = fit(Conformal.Method.DCP, level, confidence, new SplittableRandom(500L + rep));
                double[] b = c.interval(MODEL, 0, level, 0, 0);
                double coverage = truth.marginalCdf(0, b[1]) - truth.marginalCdf(0, b[0]);
                shortfalls += coverage < level ? 1 : 0;
                mean += coverage / repeats;
            }
            double fraction = (double) shortfalls / repeats;
            if (confidence == 0) {
                assertTrue(fraction > 0.3, "on average only: many calibrations fall a little short: " + fraction);
                assertTrue(mean >= level - 0.002, "but not on average: " + mean);
            } else {
                assertTrue(fraction <= 0.05 + 0.04, "at most 5% (+ noise) fall short at 0.95: " + fraction);
                assertTrue(mean < level + 0.03, "and the intervals are not needlessly wide: " + mean);
            }
        }
    }

    /** A calibration from CAL_ROWS rows of the truth, on average over calibrations. */
    private static Conformal fit(Conformal.Method method, double level, SplittableRandom rng) {
        return fit(method, level, 0, rng);
    }

    /** A calibration from CAL_ROWS rows of the truth at {@code confidence}. */
    private static Conformal fit(Conformal.Method method, double level, double confidence, SplittableRandom rng) {
        double lo = MODEL.quantile(0, (1 - level) / 2);
        double hi = MODEL.quantile(0, (1 + level) / 2);
        double[][] pits = new double[1][CAL_ROWS];
        double[][][] scores = new double[1][1][CAL_ROWS];
        for (int i = 0; i < CAL_ROWS; i++) {
            double y = truth(rng);
            pits[0][i] = MODEL.marginalCdf(0, y);
            scores[0][0][i] = Conformal.cqrScore(y, lo, hi);
        }
        return Conformal.fit(method, confidence, pits, new double[] {level}, scores);
    }
}
