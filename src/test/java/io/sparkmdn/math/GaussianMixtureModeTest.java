package io.sparkmdn.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class GaussianMixtureModeTest {

    /** A random mixture: normalised exponential weights, means uniform over ±spread, σ uniform in [0.2, 1.5]. */
    private static GaussianMixture randomMixture(RandomGenerator rng, int k, int dim, double spread) {
        return Mixtures.random(rng, k, dim, spread, () -> rng.nextDouble(0.2, 1.5));
    }

    private static double logDensity(GaussianMixture m, double... y) {
        return m.logDensity(y);
    }

    /** Arg max of the 1-D log-density: a grid of n points over [lo, hi], then refined eight times around the best. */
    private static double gridMode1d(GaussianMixture m, double lo, double hi, int n) {
        double best = lo;
        double step = (hi - lo) / (n - 1);
        for (int round = 0; round < 8; round++) {
            double bestLog = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double x = lo + i * step;
                double lp = logDensity(m, x);
                if (lp > bestLog) {
                    bestLog = lp;
                    best = x;
                }
            }
            lo = best - 2 * step;
            step = 4 * step / (n - 1);
        }
        return best;
    }

    /** Arg max of the 2-D log-density: a coarse n × n grid over the box, then refined ten times around the best. */
    private static double[] gridMode2d(GaussianMixture m, double[] lo, double[] hi, int n) {
        double[] best = lo.clone();
        double[] from = lo.clone();
        double[] step = {(hi[0] - lo[0]) / (n - 1), (hi[1] - lo[1]) / (n - 1)};
        for (int round = 0; round < 10; round++) {
            double bestLog = Double.NEGATIVE_INFINITY;
            double[] roundBest = best.clone();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double x = from[0] + i * step[0];
                    double y = from[1] + j * step[1];
                    double lp = logDensity(m, x, y);
                    if (lp > bestLog) {
                        bestLog = lp;
                        roundBest = new double[] {x, y};
                    }
                }
            }
            best = roundBest;
            for (int l = 0; l < 2; l++) {
                from[l] = best[l] - 2 * step[l];
                step[l] = 4 * step[l] / (n - 1);
            }
        }
        return best;
    }

    private static double[] box(GaussianMixture m, int l) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < m.components(); c++) {
            lo = Math.min(lo, m.mean(c, l) - 5 * m.sigma(c, l));
            hi = Math.max(hi, m.mean(c, l) + 5 * m.sigma(c, l));
        }
        return new double[] {lo, hi};
    }

    @Test
    void oneComponentModeIsItsMean() {
        GaussianMixture m = new GaussianMixture(new double[] {1.0}, new double[] {1.5, -2.0},
                new double[] {0.3, 4.0}, 2);
        assertArrayEquals(new double[] {1.5, -2.0}, m.mode(), 0.0);
    }

    @Test
    void aNegligibleComponentSharingTheOnlyMeanDoesNotHideIt() {
        // the first component is below the start floor and the second repeats its mean: the climb must still run
        GaussianMixture m = new GaussianMixture(new double[] {1e-6, 1 - 1e-6}, new double[] {0.0, 0.0},
                new double[] {1.0, 1.0}, 1);
        assertArrayEquals(new double[] {0.0}, m.mode(), 0.0);
        GaussianMixture narrow = new GaussianMixture(new double[] {1e-9, 1 - 1e-9}, new double[] {2.0, 2.0},
                new double[] {0.01, 3.0}, 1);
        assertEquals(2.0, narrow.mode()[0], 1e-9);
    }

    @Test
    void twoEqualOverlappingComponentsPeakBetweenTheirMeans() {
        // |μ1 − μ2| = 1 < 2σ: the mixture is unimodal with its peak at 0, at neither component mean.
        GaussianMixture m = new GaussianMixture(new double[] {0.5, 0.5}, new double[] {-0.5, 0.5},
                new double[] {1.0, 1.0}, 1);
        assertEquals(0.0, m.mode()[0], 1e-12);
    }

    @Test
    void unequalOverlappingComponentsMatchAGridSearch() {
        GaussianMixture m = new GaussianMixture(new double[] {0.7, 0.3}, new double[] {0.0, 1.2},
                new double[] {1.0, 0.8}, 1);
        double mode = m.mode()[0];
        double grid = gridMode1d(m, -5, 6, 2001);
        // A grid cannot place a maximum closer than about √ε (log p is flat to second order there) ...
        assertEquals(grid, mode, 1e-7);
        // ... so pin it down as the zero of p'(x) = Σ α φ(z)/σ · (−z/σ), by bisection next to the grid point.
        double lo = grid - 0.01;
        double hi = grid + 0.01;
        for (int i = 0; i < 200 && 0.5 * (lo + hi) > lo && 0.5 * (lo + hi) < hi; i++) {
            double mid = 0.5 * (lo + hi);
            double slope = 0;
            for (int c = 0; c < 2; c++) {
                double z = (mid - m.mean(c, 0)) / m.sigma(c, 0);
                slope -= m.weight(c) * Gaussian.standardPdf(z) * z / (m.sigma(c, 0) * m.sigma(c, 0));
            }
            if (slope > 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        assertEquals(0.5 * (lo + hi), mode, 1e-13);
        assertTrue(mode > 0.1 && mode < 1.1, "the mode " + mode + " is at no component mean");
    }

    @Test
    void theHighestPeakWinsNotTheHeaviestComponent() {
        // Component 0 is heavier, but component 1 is narrower: α/σ = 0.3 vs 0.8, so the peak is at μ1.
        GaussianMixture m = new GaussianMixture(new double[] {0.6, 0.4}, new double[] {-10.0, 10.0},
                new double[] {2.0, 0.5}, 1);
        assertEquals(0, m.mostProbableComponent());
        assertEquals(10.0, m.mode()[0], 1e-9);
    }

    @Test
    void separatedComponentsAtTheSigmaFloorPeakAtTheTallestComponent() {
        RandomGenerator rng = new SplittableRandom(41);
        int k = 50;
        double[] w = new double[k];
        double[] mu = new double[k];
        double[] s = new double[k];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            w[c] = 1 + rng.nextDouble();
            sum += w[c];
            mu[c] = 1e3 * (2 * rng.nextDouble() - 1);
            s[c] = rng.nextBoolean() ? 1e-3 : 2e-3;
        }
        int tallest = 0;
        for (int c = 0; c < k; c++) {
            w[c] /= sum;
            if (w[c] / s[c] > w[tallest] / s[tallest]) {
                tallest = c;
            }
        }
        assertEquals(mu[tallest], new GaussianMixture(w, mu, s, 1).mode()[0], 1e-12);
    }

    @Test
    void zeroWeightComponentsAreNotModes() {
        GaussianMixture m = new GaussianMixture(new double[] {1.0, 0.0}, new double[] {2.0, -3.0},
                new double[] {1.0, 1e-3}, 1);
        assertEquals(2.0, m.mode()[0], 0.0);
    }

    @Test
    void randomMixturesIn1dMatchAGridSearch() {
        RandomGenerator rng = new SplittableRandom(17);
        for (int rep = 0; rep < 200; rep++) {
            GaussianMixture m = randomMixture(rng, 2 + rep % 19, 1, 3.0);
            double[] b = box(m, 0);
            double mode = m.mode()[0];
            double grid = gridMode1d(m, b[0], b[1], 2001);
            double lpMode = logDensity(m, mode);
            double lpGrid = logDensity(m, grid);
            String what = "mode " + mode + " vs grid " + grid + " for " + m;
            // The climb is never worse than the grid, and a grid at least as good ends at the same point
            // (two peaks of equal height to 1e-9 could make either one the answer).
            assertTrue(lpMode >= lpGrid - 1e-12, what);
            assertTrue(Math.abs(mode - grid) <= 1e-6 || lpMode - lpGrid <= 1e-9, what);
        }
    }

    @Test
    void mixturesWithManyNegligibleComponentsMatchAGridSearch() {
        // Like a trained model's output: a few heavy, narrow components and many with weights near zero, some
        // narrow enough that their peak is still visible. The climbs skipped or merged must not cost the mode.
        RandomGenerator rng = new SplittableRandom(31);
        for (int rep = 0; rep < 60; rep++) {
            int k = 10 + rep % 41;
            double[] w = new double[k];
            double[] mu = new double[k];
            double[] s = new double[k];
            double sum = 0;
            for (int c = 0; c < k; c++) {
                w[c] = c < 3 ? rng.nextDouble(0.1, 1) : Math.pow(10, rng.nextDouble(-9, -2));
                mu[c] = rng.nextDouble(-1, 1);
                s[c] = Math.pow(10, rng.nextDouble(-3, -0.5));
                sum += w[c];
            }
            for (int c = 0; c < k; c++) {
                w[c] /= sum;
            }
            GaussianMixture m = new GaussianMixture(w, mu, s, 1);
            double mode = m.mode()[0];
            double grid = gridMode1d(m, -2, 2, 8001);
            double lpMode = logDensity(m, mode);
            double lpGrid = logDensity(m, grid);
            String what = "mode " + mode + " vs grid " + grid + " for " + m;
            assertTrue(lpMode >= lpGrid - 1e-12, what);
            assertTrue(Math.abs(mode - grid) <= 1e-6 || lpMode - lpGrid <= 1e-9, what);
        }
    }

    @Test
    void randomMixturesIn2dMatchAGridSearch() {
        RandomGenerator rng = new SplittableRandom(23);
        for (int rep = 0; rep < 40; rep++) {
            GaussianMixture m = randomMixture(rng, 2 + rep % 7, 2, 2.0);
            double[] bx = box(m, 0);
            double[] by = box(m, 1);
            double[] mode = m.mode();
            double[] grid = gridMode2d(m, new double[] {bx[0], by[0]}, new double[] {bx[1], by[1]}, 101);
            double lpMode = logDensity(m, mode);
            double lpGrid = logDensity(m, grid);
            String what = "mode (" + mode[0] + ", " + mode[1] + ") vs grid (" + grid[0] + ", " + grid[1] + ") for " + m;
            assertTrue(lpMode >= lpGrid - 1e-12, what);
            assertTrue(Math.hypot(mode[0] - grid[0], mode[1] - grid[1]) <= 1e-6 || lpMode - lpGrid <= 1e-9, what);
        }
    }

    @Test
    void theModeIsAStationaryPointOfTheDensity() {
        RandomGenerator rng = new SplittableRandom(29);
        for (int rep = 0; rep < 50; rep++) {
            GaussianMixture m = randomMixture(rng, 1 + rep % 10, 3, 2.0);
            double[] x = m.mode();
            for (int l = 0; l < 3; l++) {
                // Central difference of log p along dimension l.
                double h = 1e-5;
                double[] up = x.clone();
                double[] down = x.clone();
                up[l] += h;
                down[l] -= h;
                double slope = (m.logDensity(up) - m.logDensity(down)) / (2 * h);
                assertEquals(0.0, slope, 1e-6, "d log p / dy_" + l + " at the mode of " + m);
                assertTrue(m.logDensity(x) >= m.logDensity(up) && m.logDensity(x) >= m.logDensity(down));
            }
        }
    }

    @Test
    void twoOverlappingComponentsIn2dPeakOffTheirMeans() {
        GaussianMixture m = new GaussianMixture(new double[] {0.5, 0.5}, new double[] {0, 0, /* comp 1 */ 1, 1},
                new double[] {1, 1, /* comp 1 */ 1, 1}, 2);
        assertArrayEquals(new double[] {0.5, 0.5}, m.mode(), 1e-12);
    }
}
