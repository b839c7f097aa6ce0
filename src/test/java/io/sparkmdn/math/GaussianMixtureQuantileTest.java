package io.sparkmdn.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class GaussianMixtureQuantileTest {

    private static final double[] LEVELS = {1e-6, 0.05, 0.5, 0.95, 1 - 1e-6};

    /** Quantile error allowed relative to max(|x*|, smallest σ of the dimension). */
    private static final double X_TOLERANCE = 1e-11;

    /** Relative tail-probability error accepted instead where the density is too small to pin x down. */
    private static final double TAIL_TOLERANCE = 1e-12;

    /**
     * A random mixture over dim dimensions: weights from normalised exponentials, means uniform over ±spread,
     * σ log-uniform in [1e-4, spread] and floored at 1e-3 (so many components sit at the floor).
     */
    static GaussianMixture randomMixture(RandomGenerator rng, int k, int dim, double spread) {
        return Mixtures.random(rng, k, dim, spread, () -> Math.max(1e-3, Math.exp(rng.nextDouble(Math.log(1e-4), Math.log(spread)))));
    }

    /**
     * Tail probability on p's side, written independently of the code under test: Σ α Φ((x − μ)/σ) / Σ α
     * below the median, Σ α Φ((μ − x)/σ) / Σ α above it.
     */
    private static double referenceTail(GaussianMixture m, int l, double x, boolean upper) {
        double total = 0;
        double tail = 0;
        for (int c = 0; c < m.components(); c++) {
            double a = m.weight(c);
            double z = (x - m.mean(c, l)) / m.sigma(c, l);
            total += a;
            tail += a * Gaussian.standardCdf(upper ? -z : z);
        }
        return tail / total;
    }

    /** The exact quantile up to rounding: bisection (at most 200 halvings) on the reference tail probability. */
    private static double referenceQuantile(GaussianMixture m, int l, double p) {
        boolean upper = p > 0.5;
        double t = upper ? 1 - p : p;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < m.components(); c++) {
            lo = Math.min(lo, m.mean(c, l) - 12 * m.sigma(c, l));
            hi = Math.max(hi, m.mean(c, l) + 12 * m.sigma(c, l));
        }
        for (int i = 0; i < 200; i++) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) {
                break;
            }
            double tail = referenceTail(m, l, mid, upper);
            boolean below = upper ? tail > t : tail < t;
            if (below) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    private static double smallestSigma(GaussianMixture m, int l) {
        double s = Double.POSITIVE_INFINITY;
        for (int c = 0; c < m.components(); c++) {
            s = Math.min(s, m.sigma(c, l));
        }
        return s;
    }

    /**
     * Checks one quantile against the reference and records the worst errors seen: [0] |x − x*| / max(|x*|, σ_min),
     * [1] relative tail error, [2] |x − x*| / max(|x*|, 1).
     */
    private static void check(GaussianMixture m, int l, double p, double x, double[] worst) {
        double ref = referenceQuantile(m, l, p);
        boolean upper = p > 0.5;
        double t = upper ? 1 - p : p;
        double xErr = Math.abs(x - ref) / Math.max(Math.abs(ref), smallestSigma(m, l));
        double tailErr = Math.abs(referenceTail(m, l, x, upper) - t) / t;
        worst[0] = Math.max(worst[0], xErr);
        worst[1] = Math.max(worst[1], tailErr);
        worst[2] = Math.max(worst[2], Math.abs(x - ref) / Math.max(1, Math.abs(ref)));
        assertTrue(xErr <= X_TOLERANCE || tailErr <= TAIL_TOLERANCE, () -> "p = " + p + ", dimension " + l
                + ": quantile " + x + " vs reference " + ref + " (x error " + xErr + ", tail error " + tailErr
                + ") for " + m);
    }

    @Test
    void quantilesMatchTheInvertedCdfForRandomMixtures() {
        RandomGenerator rng = new SplittableRandom(20240601L);
        double[] worst = new double[3];
        double[] batch = new double[LEVELS.length];
        for (int k : new int[] {1, 2, 5, 20, 50}) {
            for (double spread : new double[] {1e3, 1.0}) {
                for (int rep = 0; rep < 20; rep++) {
                    GaussianMixture m = randomMixture(rng, k, 2, spread);
                    for (int l = 0; l < 2; l++) {
                        m.quantiles(l, LEVELS, batch);
                        for (int i = 0; i < LEVELS.length; i++) {
                            check(m, l, LEVELS[i], m.quantile(l, LEVELS[i]), worst);
                            check(m, l, LEVELS[i], batch[i], worst);
                        }
                    }
                }
            }
        }
        System.out.printf("quantile accuracy over 200 random mixtures × 2 dimensions × 5 levels × (scalar, batch): "
                + "max |x − x*|/max(|x*|, σ_min) = %.2e, max |x − x*|/max(|x*|, 1) = %.2e, "
                + "max relative tail error = %.2e%n", worst[0], worst[2], worst[1]);
    }

    @Test
    void quantilesAtTheSigmaFloorFarApart() {
        // 50 components at σ = 1e-3 spread over ±1e3: the distribution function is a staircase of near-steps.
        RandomGenerator rng = new SplittableRandom(77);
        double[] worst = new double[3];
        for (int rep = 0; rep < 20; rep++) {
            int k = 50;
            double[] w = new double[k];
            double[] mu = new double[k];
            double[] s = new double[k];
            Arrays.fill(w, 1.0 / k);
            Arrays.fill(s, 1e-3);
            for (int c = 0; c < k; c++) {
                mu[c] = 1e3 * (2 * rng.nextDouble() - 1);
            }
            GaussianMixture m = new GaussianMixture(w, mu, s, 1);
            // Levels inside a step: x itself is pinned down.
            for (double p : new double[] {1e-6, 0.013, 0.05, 0.311, 0.507, 0.77, 0.95, 1 - 1e-6}) {
                check(m, 0, p, m.quantile(0, p), worst);
            }
            assertTrue(worst[0] <= X_TOLERANCE, "worst x error " + worst[0]);
            // Levels at a whole number of components (k/50) fall in a flat gap: the probability is the guarantee.
            for (double p : new double[] {0.3, 0.5}) {
                check(m, 0, p, m.quantile(0, p), new double[3]);
            }
        }
    }

    @Test
    void extremeScalesMatchTheProbabilityOrBracketTheCrossing() {
        // Means up to ±1e9 with σ from 1e-8 (below an ulp of the mean: a density spike) to 1e8, zero weights, and
        // levels from 1e-300 to 1 − 1e-15. A tiny Newton step on a spike must not be taken for convergence.
        RandomGenerator rng = new SplittableRandom(7);
        double[] levels = new double[8];
        double[] out = new double[levels.length];
        for (int rep = 0; rep < 5000; rep++) {
            int k = 1 + rng.nextInt(30);
            double[] w = new double[k];
            double[] mu = new double[k];
            double[] s = new double[k];
            double scale = Math.pow(10, rng.nextInt(-3, 10));
            double sum = 0;
            for (int c = 0; c < k; c++) {
                w[c] = rng.nextInt(4) == 0 ? 0 : Math.pow(rng.nextDouble(), 3);
                sum += w[c];
                mu[c] = scale * (2 * rng.nextDouble() - 1);
                s[c] = Math.pow(10, rng.nextDouble(-8, 8));
            }
            if (sum == 0) {
                w[0] = 1;
                sum = 1;
            }
            for (int c = 0; c < k; c++) {
                w[c] /= sum;
            }
            GaussianMixture m = new GaussianMixture(w, mu, s, 1);
            for (int i = 0; i < 4; i++) {
                levels[i] = Math.pow(10, -rng.nextDouble(0.5, 300));
                levels[i + 4] = 1 - Math.pow(10, -rng.nextDouble(0.5, 15));
            }
            Arrays.sort(levels);
            for (int i = 1; i < levels.length; i++) {
                levels[i] = Math.max(levels[i], Math.nextUp(levels[i - 1])); // strictly increasing (stays < 1)
            }
            m.quantiles(0, levels, out);
            assertNonDecreasing(out, m);
            for (int i = 0; i < levels.length; i++) {
                assertMatchedOrBracketed(m, levels[i], m.quantile(0, levels[i]));
                assertMatchedOrBracketed(m, levels[i], out[i]);
            }
        }
    }

    /** The tail probability at x matches, or crosses its target between x − 4 ulps and x + 4 ulps. */
    private static void assertMatchedOrBracketed(GaussianMixture m, double p, double x) {
        boolean upper = p > 0.5;
        double t = upper ? 1 - p : p;
        double at = referenceTail(m, 0, x, upper);
        double left = referenceTail(m, 0, x - 4 * Math.ulp(x), upper);
        double right = referenceTail(m, 0, x + 4 * Math.ulp(x), upper);
        double slack = 1e-13 * t;
        boolean matched = Math.abs(at - t) <= TAIL_TOLERANCE * t;
        boolean bracketed = upper ? left >= t - slack && right <= t + slack : left <= t + slack && right >= t - slack;
        assertTrue(Double.isFinite(x) && (matched || bracketed), () -> "p = " + p + ": quantile " + x
                + " has tail probability " + at + " vs " + t + " for " + m);
    }

    @Test
    void oneComponentIsTheNormalQuantile() {
        GaussianMixture m = new GaussianMixture(new double[] {1.0}, new double[] {3.0}, new double[] {2.0}, 1);
        assertEquals(3.0 + 2.0 * 1.959963984540054, m.quantile(0, 0.975), 1e-14);
        assertEquals(3.0 - 2.0 * 4.753424308822899, m.quantile(0, 1e-6), 1e-14);
        assertEquals(3.0, m.quantile(0, 0.5), 1e-15);
    }

    @Test
    void identicalComponentsAreOneComponent() {
        GaussianMixture one = new GaussianMixture(new double[] {1.0}, new double[] {-1.5}, new double[] {0.3}, 1);
        GaussianMixture three = new GaussianMixture(new double[] {0.2, 0.5, 0.3}, new double[] {-1.5, -1.5, -1.5},
                new double[] {0.3, 0.3, 0.3}, 1);
        for (double p : LEVELS) {
            assertEquals(one.quantile(0, p), three.quantile(0, p), 1e-15, "p = " + p);
        }
    }

    @Test
    void zeroWeightComponentsDoNotMove() {
        GaussianMixture with = new GaussianMixture(new double[] {0.4, 0.0, 0.6}, new double[] {0, 100, 1},
                new double[] {1, 1, 2}, 1);
        GaussianMixture without = new GaussianMixture(new double[] {0.4, 0.6}, new double[] {0, 1},
                new double[] {1, 2}, 1);
        for (double p : LEVELS) {
            assertEquals(without.quantile(0, p), with.quantile(0, p), 0.0, "p = " + p);
        }
    }

    @Test
    void separatedComponentsAtTheSigmaFloor() {
        double sigma = 1e-3;
        GaussianMixture m = new GaussianMixture(new double[] {0.5, 0.5}, new double[] {-1e3, 1e3},
                new double[] {sigma, sigma}, 1);
        // Inside a step: the quantile of the component that holds the level.
        assertEquals(-1e3, m.quantile(0, 0.25), 1e-12);
        assertEquals(1e3, m.quantile(0, 0.75), 1e-12);
        assertEquals(-1e3 + sigma * Gaussian.standardQuantile(0.1 / 0.5), m.quantile(0, 0.1), 1e-12);
        // Just off the gap: Newton must not jump into the flat gap (zero density) and get lost. The level within
        // the component is 2p or 2(p − ½), both exact in double.
        double below = 0.5 - 1e-9;
        double above = 0.5 + 1e-9;
        assertEquals(-1e3 + sigma * Gaussian.standardQuantile(2 * below), m.quantile(0, below), 1e-12);
        assertEquals(1e3 + sigma * Gaussian.standardQuantile(2 * (above - 0.5)), m.quantile(0, above), 1e-12);
        // In the gap the distribution function is ½ to double precision: any point of it is the median.
        double median = m.quantile(0, 0.5);
        assertTrue(median >= -1e3 && median <= 1e3, "median " + median);
        assertEquals(0.5, referenceTail(m, 0, median, false), 1e-15);
    }

    @Test
    void farTailsKeepRelativeAccuracy() {
        GaussianMixture m = Mixtures.threeComponents1d();
        for (double t : new double[] {1e-10, 1e-50, 1e-200}) {
            double lo = m.quantile(0, t);
            assertEquals(t, referenceTail(m, 0, lo, false), 1e-12 * t, "lower tail " + t);
        }
        for (double t : new double[] {1e-10, 1e-15}) {
            double hi = m.quantile(0, 1 - t);
            double exact = 1 - (1 - t); // the level the double 1 − t actually encodes
            assertEquals(exact, referenceTail(m, 0, hi, true), 1e-12 * exact, "upper tail " + t);
        }
    }

    @Test
    void quantilesMatchTheIntegralOfTheDensity() {
        GaussianMixture m = Mixtures.twoComponents2d();
        for (int l = 0; l < 2; l++) {
            int dim = l;
            for (double p : new double[] {0.05, 0.3, 0.5, 0.95}) {
                double q = m.quantile(dim, p);
                double mass = Quadrature.simpson(x -> {
                    double dens = 0;
                    for (int c = 0; c < m.components(); c++) {
                        dens += m.weight(c) * Gaussian.pdf(x, m.mean(c, dim), m.sigma(c, dim));
                    }
                    return dens;
                }, -20, q, 20_000);
                assertEquals(p, mass, 1e-10, "dimension " + l + ", p = " + p);
            }
        }
    }

    @Test
    void batchQuantilesNeverCross() {
        RandomGenerator rng = new SplittableRandom(4242);
        int[] ks = {1, 2, 5, 20, 50};
        double[] three = {0.05, 0.5, 0.95};
        double[] out3 = new double[3];
        double[] close = new double[10];
        double[] outClose = new double[close.length];
        for (int rep = 0; rep < 10_000; rep++) {
            GaussianMixture m = randomMixture(rng, ks[rep % ks.length], 1, rep % 2 == 0 ? 1e3 : 1.0);
            m.quantiles(0, three, out3);
            assertNonDecreasing(out3, m);
            double q05 = m.quantile(0, 0.05);
            double q50 = m.quantile(0, 0.5);
            double q95 = m.quantile(0, 0.95);
            assertTrue(q05 <= q50 && q50 <= q95, () -> "scalar quantiles cross for " + m);
            // Levels a few ulps apart, then 1e-12 and 1e-9 apart, around a random base level.
            double base = rng.nextDouble(1e-6, 0.99);
            close[0] = base;
            for (int i = 1; i < 6; i++) {
                close[i] = Math.nextUp(close[i - 1]);
            }
            for (int i = 6; i < close.length; i++) {
                close[i] = close[i - 1] + (i % 2 == 0 ? 1e-12 : 1e-9);
            }
            m.quantiles(0, close, outClose);
            assertNonDecreasing(outClose, m);
        }
    }

    @Test
    void batchQuantilesNeverCrossOnAFineGrid() {
        RandomGenerator rng = new SplittableRandom(99);
        double[] levels = new double[999];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = (i + 1) / 1000.0;
        }
        double[] out = new double[levels.length];
        for (int rep = 0; rep < 100; rep++) {
            GaussianMixture m = randomMixture(rng, 1 + rep % 20, 1, rep % 2 == 0 ? 1e3 : 1.0);
            m.quantiles(0, levels, out);
            assertNonDecreasing(out, m);
        }
    }

    private static void assertNonDecreasing(double[] q, GaussianMixture m) {
        for (int i = 1; i < q.length; i++) {
            int j = i;
            assertTrue(q[i] >= q[i - 1], () -> "quantile " + j + " = " + q[j] + " below " + q[j - 1] + " for " + m);
        }
    }

    @Test
    void batchAgreesWithScalarCalls() {
        GaussianMixture m = Mixtures.twoComponents2d();
        double[] out = new double[LEVELS.length];
        m.quantiles(1, LEVELS, out);
        for (int i = 0; i < LEVELS.length; i++) {
            assertEquals(m.quantile(1, LEVELS[i]), out[i], 1e-12 * Math.max(1, Math.abs(out[i])));
        }
    }

    @Test
    void pitOfTheQuantileIsTheLevel() {
        GaussianMixture m = Mixtures.twoComponents2d();
        for (double p : new double[] {0.05, 0.5, 0.95}) {
            double[] u = m.pit(new double[] {m.quantile(0, p), m.quantile(1, p)});
            assertArrayEquals(new double[] {p, p}, u, 1e-14);
        }
        double[] y = {0.3, -2.0};
        assertArrayEquals(new double[] {m.marginalCdf(0, 0.3), m.marginalCdf(1, -2.0)}, m.pit(y), 0.0);
        assertTrue(Double.isNaN(m.pit(new double[] {Double.NaN, 0})[0]));
        assertThrows(IllegalArgumentException.class, () -> m.pit(new double[1]));
    }

    // ---------------------------------------------------------------------------------- bad input

    private static void assertRejected(Executable call, String... fragments) {
        Throwable e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message \"" + e.getMessage() + "\" lacks \"" + f + "\"");
        }
    }

    @Test
    void badLevelsAreRejectedByValue() {
        GaussianMixture m = Mixtures.twoComponents2d();
        assertRejected(() -> m.quantile(0, 0.0), "Invalid quantile level: 0.0 (must be strictly between 0 and 1)");
        assertRejected(() -> m.quantile(0, 1.0), "Invalid quantile level: 1.0");
        assertRejected(() -> m.quantile(0, -0.2), "Invalid quantile level: -0.2");
        assertRejected(() -> m.quantile(0, Double.NaN), "Invalid quantile level: NaN");
        double[] out = new double[3];
        assertRejected(() -> m.quantiles(0, new double[] {0.1, Double.NaN, 0.9}, out),
                "Invalid quantile level levels[1]: NaN");
        assertRejected(() -> m.quantiles(0, new double[] {0.1, 0.5, 1.5}, out), "levels[2]: 1.5");
        assertRejected(() -> m.quantiles(0, new double[] {0.5, 0.2, 0.9}, out),
                "strictly increasing but levels[1] = 0.2 follows levels[0] = 0.5");
        assertRejected(() -> m.quantiles(0, new double[] {0.1, 0.5, 0.5}, out),
                "levels[2] = 0.5 follows levels[1] = 0.5");
        assertRejected(() -> m.quantiles(0, new double[] {0.1, 0.5}, out),
                "out has length 3 but levels has length 2");
        assertThrows(IndexOutOfBoundsException.class, () -> m.quantile(2, 0.5));
        assertThrows(IndexOutOfBoundsException.class, () -> m.quantiles(-1, new double[] {0.5}, new double[1]));
        assertThrows(NullPointerException.class, () -> m.quantiles(0, null, out));
    }

    // ------------------------------------------------------------------------------------- moments

    @Test
    void varianceIsTheLawOfTotalVariance() {
        RandomGenerator rng = new SplittableRandom(5);
        for (int rep = 0; rep < 20; rep++) {
            GaussianMixture m = randomMixture(rng, 1 + rep, 3, 10.0);
            double[] mean = m.mean();
            double[] var = m.variance();
            double[] std = m.std();
            for (int l = 0; l < 3; l++) {
                double within = 0;
                double between = 0;
                for (int c = 0; c < m.components(); c++) {
                    double s = m.sigma(c, l);
                    double dev = m.mean(c, l) - mean[l];
                    within += m.weight(c) * s * s;
                    between += m.weight(c) * dev * dev;
                }
                assertEquals(within + between, var[l], 1e-12 * var[l]);
                assertEquals(Math.sqrt(var[l]), std[l], 0.0);
            }
        }
    }

    @Test
    void meanAndStdMatchSampleMoments() {
        RandomGenerator rng = new SplittableRandom(31);
        int n = 100_000;
        for (int rep = 0; rep < 3; rep++) {
            GaussianMixture m = randomMixture(rng, 5, 2, 3.0);
            double[] sum = new double[2];
            double[][] draws = new double[n][];
            for (int i = 0; i < n; i++) {
                draws[i] = m.sample(rng);
                for (int l = 0; l < 2; l++) {
                    sum[l] += draws[i][l];
                }
            }
            for (int l = 0; l < 2; l++) {
                double mean = sum[l] / n;
                double m2 = 0;
                double m4 = 0;
                for (double[] y : draws) {
                    double dev = y[l] - mean;
                    m2 += dev * dev;
                    m4 += dev * dev * dev * dev;
                }
                m2 /= n - 1;
                m4 /= n;
                double std = Math.sqrt(m2);
                // Standard errors: σ/√n for the mean; by the delta method √((m4 − σ⁴)/n) / (2σ) for σ.
                double seMean = m.std()[l] / Math.sqrt(n);
                double seStd = Math.sqrt((m4 - m2 * m2) / n) / (2 * std);
                assertEquals(m.mean()[l], mean, 4 * seMean, "mean of dimension " + l + " for " + m);
                assertEquals(m.std()[l], std, 4 * seStd, "std of dimension " + l + " for " + m);
            }
        }
    }
}
