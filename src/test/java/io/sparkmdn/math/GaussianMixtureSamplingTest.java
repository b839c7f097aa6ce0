package io.sparkmdn.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class GaussianMixtureSamplingTest {

    private static final int N = 100_000;

    /** Sample mean and variance of dimension l within 4 standard errors of mean()/variance(). */
    private static void assertMoments(GaussianMixture m, double[][] draws, int l) {
        int n = draws.length;
        double sum = 0;
        for (double[] y : draws) {
            sum += y[l];
        }
        double mean = sum / n;
        double m2 = 0;
        double m4 = 0;
        for (double[] y : draws) {
            double dev = y[l] - mean;
            m2 += dev * dev;
            m4 += dev * dev * dev * dev;
        }
        m2 /= n;
        m4 /= n;
        double seMean = Math.sqrt(m.variance()[l] / n);
        double seVar = Math.sqrt((m4 - m2 * m2) / n);
        assertEquals(m.mean()[l], mean, 4 * seMean, "mean of dimension " + l);
        assertEquals(m.variance()[l], m2 * n / (n - 1), 4 * seVar, "variance of dimension " + l);
    }

    private static double[][] draw(GaussianMixture m, RandomGenerator rng, double tau, int n) {
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = m.sample(rng, tau);
        }
        return out;
    }

    private static double sampleVariance(double[][] draws) {
        double s = 0;
        double ss = 0;
        for (double[] y : draws) {
            s += y[0];
            ss += y[0] * y[0];
        }
        double mean = s / draws.length;
        return ss / draws.length - mean * mean;
    }

    @Test
    void sampleMomentsMatchIn1d() {
        GaussianMixture m = Mixtures.threeComponents1d();
        assertMoments(m, draw(m, new SplittableRandom(11), 1.0, N), 0);
    }

    @Test
    void sampleMomentsMatchIn2d() {
        GaussianMixture m = Mixtures.twoComponents2d();
        double[][] draws = draw(m, new SplittableRandom(12), 1.0, N);
        assertMoments(m, draws, 0);
        assertMoments(m, draws, 1);
    }

    @Test
    void componentFrequenciesMatchTheWeights() {
        double[] alpha = {0.1, 0.25, 0.0, 0.65};
        GaussianMixture m = new GaussianMixture(alpha, new double[] {-100, 0, 50, 100},
                new double[] {1, 1, 1, 1}, 1);
        int[] counts = new int[4];
        RandomGenerator rng = new SplittableRandom(13);
        for (int i = 0; i < N; i++) {
            double y = m.sample(rng)[0];
            int nearest = y < -50 ? 0 : y < 25 ? 1 : y < 75 ? 2 : 3;
            counts[nearest]++;
        }
        assertEquals(0, counts[2], "a zero-weight component must never be drawn");
        for (int c = 0; c < 4; c++) {
            double se = Math.sqrt(alpha[c] * (1 - alpha[c]) / N);
            assertEquals(alpha[c], counts[c] / (double) N, 4 * se + 1e-12, "frequency of component " + c);
        }
    }

    @Test
    void sampleIntoWritesAtTheOffsetAndMatchesSample() {
        GaussianMixture m = Mixtures.twoComponents2d();
        double[] out = {7, 7, 7, 7, 7};
        RandomGenerator a = new SplittableRandom(14);
        RandomGenerator b = new SplittableRandom(14);
        for (double tau : new double[] {1.0, 0.5, 0.0, 2.0}) {
            m.sampleInto(a, tau, out, 2);
            double[] y = m.sample(b, tau);
            assertArrayEquals(new double[] {7, 7, y[0], y[1], 7}, out, 0.0, "tau = " + tau);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> m.sampleInto(a, 1.0, out, 4));
    }

    @Test
    void temperatureOneIsTheUntemperedDistribution() {
        GaussianMixture m = Mixtures.threeComponents1d();
        assertSame(m, m.tempered(1.0));
        RandomGenerator a = new SplittableRandom(21);
        RandomGenerator b = new SplittableRandom(21);
        for (int i = 0; i < 1000; i++) {
            assertArrayEquals(m.sample(a), m.sample(b, 1.0), 0.0);
        }
    }

    @Test
    void temperedWeightsAndSigmas() {
        GaussianMixture m = Mixtures.threeComponents1d();
        GaussianMixture half = m.tempered(0.5);
        double norm = 0.04 + 0.25 + 0.09;
        assertArrayEquals(new double[] {0.04 / norm, 0.25 / norm, 0.09 / norm}, half.weights(), 1e-15);
        assertArrayEquals(new double[] {0.25, 0.5, 0.15}, half.sigmas(), 1e-16);
        assertArrayEquals(m.means(), half.means(), 0.0);

        GaussianMixture two = m.tempered(2.0);
        double rootNorm = Math.sqrt(0.2) + Math.sqrt(0.5) + Math.sqrt(0.3);
        assertArrayEquals(new double[] {Math.sqrt(0.2) / rootNorm, Math.sqrt(0.5) / rootNorm,
            Math.sqrt(0.3) / rootNorm}, two.weights(), 1e-15);
        assertArrayEquals(new double[] {1.0, 2.0, 0.6}, two.sigmas(), 1e-16);
    }

    @Test
    void temperedSamplingEqualsSamplingTheTemperedMixture() {
        GaussianMixture m = Mixtures.twoComponents2d();
        GaussianMixture cold = m.tempered(0.5);
        GaussianMixture hot = m.tempered(2.0);
        RandomGenerator a = new SplittableRandom(22);
        RandomGenerator b = new SplittableRandom(22);
        // alternate temperatures so the per-instance cache is replaced on every call
        for (int i = 0; i < 1000; i++) {
            assertArrayEquals(cold.sample(b), m.sample(a, 0.5), 0.0);
            assertArrayEquals(hot.sample(b), m.sample(a, 2.0), 0.0);
        }
    }

    @Test
    void tinyTemperatureCollapsesOntoTheMostProbableMean() {
        GaussianMixture m = Mixtures.threeComponents1d();
        RandomGenerator rng = new SplittableRandom(23);
        for (int i = 0; i < 10_000; i++) {
            assertEquals(0.5, m.sample(rng, 1e-6)[0], 1e-4);
        }
    }

    @Test
    void zeroTemperatureIsTheMostProbableMeanAndUsesNoRandomness() {
        GaussianMixture m = Mixtures.twoComponents2d();
        RandomGenerator used = new SplittableRandom(24);
        RandomGenerator fresh = new SplittableRandom(24);
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(new double[] {0.0, 1.0}, m.sample(used, 0.0), 0.0);
        }
        assertEquals(fresh.nextLong(), used.nextLong(), "tau = 0 must not consume randomness");
        assertArrayEquals(new double[] {0.5}, Mixtures.threeComponents1d().sample(used, 0.0), 0.0);
    }

    @Test
    void higherTemperatureIncreasesSampleVariance() {
        GaussianMixture m = Mixtures.threeComponents1d();
        RandomGenerator rng = new SplittableRandom(25);
        double cold = sampleVariance(draw(m, rng, 0.5, 20_000));
        double normal = sampleVariance(draw(m, rng, 1.0, 20_000));
        double hot = sampleVariance(draw(m, rng, 2.0, 20_000));
        assertTrue(cold < normal && normal < hot, cold + " < " + normal + " < " + hot);
        assertEquals(m.tempered(2.0).variance()[0], hot, 0.05 * hot);
        assertEquals(m.tempered(0.5).variance()[0], cold, 0.05 * cold);
    }

    @Test
    void invalidTemperaturesAreRejected() {
        GaussianMixture m = Mixtures.threeComponents1d();
        RandomGenerator rng = new SplittableRandom(26);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.sample(rng, -0.5));
        assertTrue(e.getMessage().contains("-0.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.sample(rng, Double.NaN));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.tempered(0.0));
        assertTrue(e.getMessage().contains("0.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.tempered(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> m.sample(rng, Double.POSITIVE_INFINITY));
    }
}
