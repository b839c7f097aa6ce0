package io.sparkmdn.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class GaussianMixtureDensityTest {

    @Test
    void oneComponentIsTheNormalDensity() {
        GaussianMixture g1 = new GaussianMixture(new double[] {1.0}, new double[] {1.5}, new double[] {0.8}, 1);
        for (double y : new double[] {-4, 0, 1.5, 2.2, 9}) {
            assertEquals(Gaussian.logPdf(y, 1.5, 0.8), g1.logDensity(new double[] {y}), 1e-13);
        }
        GaussianMixture g2 = new GaussianMixture(new double[] {1.0}, new double[] {1.5, -2.0},
                new double[] {0.8, 3.0}, 2);
        for (double[] y : new double[][] {{0, 0}, {1.5, -2}, {3, 4}, {-7, 10}}) {
            double expected = Gaussian.logPdf(y[0], 1.5, 0.8) + Gaussian.logPdf(y[1], -2.0, 3.0);
            assertEquals(expected, g2.logDensity(y), 1e-13);
        }
    }

    @Test
    void mixtureDensityIsTheWeightedSum() {
        GaussianMixture m = Mixtures.twoComponents2d();
        double[] y = {0.7, 0.1};
        double expected = 0.6 * Gaussian.pdf(0.7, 0, 1) * Gaussian.pdf(0.1, 1, 0.5)
                + 0.4 * Gaussian.pdf(0.7, 2, 0.7) * Gaussian.pdf(0.1, -1, 1.2);
        assertEquals(Math.log(expected), m.logDensity(y), 1e-13);
    }

    @Test
    void oneDimensionalDensityIntegratesToOne() {
        GaussianMixture m = Mixtures.threeComponents1d();
        double[] y = new double[1];
        double integral = Quadrature.simpson(t -> {
            y[0] = t;
            return Math.exp(m.logDensity(y));
        }, -15, 15, 20_000);
        assertEquals(1.0, integral, 1e-6);
    }

    @Test
    void twoDimensionalDensityIntegratesToOne() {
        GaussianMixture m = Mixtures.twoComponents2d();
        // trapezoid rule on a grid covering every component to > 10 sigma
        double h = 0.05;
        int n0 = 400;
        int n1 = 520;
        double[] y = new double[2];
        double sum = 0.0;
        for (int i = 0; i <= n0; i++) {
            y[0] = -10 + i * h;
            double wi = (i == 0 || i == n0) ? 0.5 : 1.0;
            for (int j = 0; j <= n1; j++) {
                y[1] = -13 + j * h;
                double wj = (j == 0 || j == n1) ? 0.5 : 1.0;
                sum += wi * wj * Math.exp(m.logDensity(y));
            }
        }
        assertEquals(1.0, sum * h * h, 1e-4);
    }

    @Test
    void logDensityIsFiniteFarFromEveryMean() {
        double sigma = 1e-3;
        double y = 1e6;
        assertEquals(0.0, Gaussian.pdf(y, 0.0, sigma), 0.0, "the naive density underflows");
        GaussianMixture single = new GaussianMixture(new double[] {1.0}, new double[] {0.0},
                new double[] {sigma}, 1);
        double expected = -(y * y) / (2 * sigma * sigma) - Math.log(sigma) - 0.5 * Math.log(2 * Math.PI);
        double actual = single.logDensity(new double[] {y});
        assertTrue(Double.isFinite(actual));
        assertEquals(expected, actual, Math.abs(expected) * 1e-12);

        GaussianMixture three = new GaussianMixture(new double[] {0.3, 0.3, 0.4}, new double[] {-1, 0, 2},
                new double[] {sigma, sigma, sigma}, 1);
        double lp = three.logDensity(new double[] {y});
        assertTrue(Double.isFinite(lp));
        double nearest = Math.log(0.4) + Gaussian.logPdf(y, 2, sigma);
        assertEquals(nearest, lp, Math.abs(nearest) * 1e-12);
        double[] r = three.responsibilities(new double[] {y});
        assertEquals(1.0, r[0] + r[1] + r[2], 1e-15);
        for (double v : r) {
            assertTrue(Double.isFinite(v));
        }
        assertArrayEquals(new double[] {0, 0, 1}, r, 1e-15);
    }

    @Test
    void componentWhoseLogDensityOverflowsIsSkipped() {
        // first component: z = 1e200 / 1e-200 overflows to Infinity, so its log density is -Infinity
        GaussianMixture m = new GaussianMixture(new double[] {0.5, 0.5}, new double[] {0.0, 0.0},
                new double[] {1e-200, 1e150}, 1);
        double y = 1e200;
        double expected = Math.log(0.5) + Gaussian.logPdf(y, 0.0, 1e150);
        assertEquals(expected, m.logDensity(new double[] {y}), Math.abs(expected) * 1e-14);
        assertArrayEquals(new double[] {0.0, 1.0}, m.responsibilities(new double[] {y}), 0.0);
    }

    @Test
    void responsibilitiesAreBayesPosteriors() {
        GaussianMixture m = Mixtures.threeComponents1d();
        for (double y : new double[] {-2.5, 0.0, 1.7, 3.0}) {
            double[] joint = {
                0.2 * Gaussian.pdf(y, -2.0, 0.5),
                0.5 * Gaussian.pdf(y, 0.5, 1.0),
                0.3 * Gaussian.pdf(y, 3.0, 0.3)};
            double total = joint[0] + joint[1] + joint[2];
            double[] r = m.responsibilities(new double[] {y});
            for (int c = 0; c < 3; c++) {
                assertEquals(joint[c] / total, r[c], 1e-13);
            }
            assertEquals(1.0, r[0] + r[1] + r[2], 1e-14);
        }
    }

    @Test
    void zeroWeightComponentIsIgnored() {
        GaussianMixture m = new GaussianMixture(new double[] {0.0, 1.0}, new double[] {5.0, 0.0},
                new double[] {1.0, 1.0}, 1);
        assertEquals(Gaussian.logPdf(5.0, 0.0, 1.0), m.logDensity(new double[] {5.0}), 1e-14);
        assertArrayEquals(new double[] {0.0, 1.0}, m.responsibilities(new double[] {5.0}), 0.0);
        assertTrue(Double.isNaN(m.logDensity(new double[] {Double.NaN})));
    }

    @Test
    void meanAndVarianceMatchTheFormulaAndTheIntegral() {
        GaussianMixture m = Mixtures.threeComponents1d();
        double mean = 0.2 * -2.0 + 0.5 * 0.5 + 0.3 * 3.0;
        double second = 0.2 * (0.25 + 4.0) + 0.5 * (1.0 + 0.25) + 0.3 * (0.09 + 9.0);
        assertEquals(mean, m.mean()[0], 1e-15);
        assertEquals(second - mean * mean, m.variance()[0], 1e-14);

        double[] y = new double[1];
        double numericMean = Quadrature.simpson(t -> {
            y[0] = t;
            return t * Math.exp(m.logDensity(y));
        }, -15, 15, 20_000);
        double numericVar = Quadrature.simpson(t -> {
            y[0] = t;
            return (t - mean) * (t - mean) * Math.exp(m.logDensity(y));
        }, -15, 15, 20_000);
        assertEquals(numericMean, m.mean()[0], 1e-9);
        assertEquals(numericVar, m.variance()[0], 1e-9);

        GaussianMixture m2 = Mixtures.twoComponents2d();
        assertArrayEquals(new double[] {0.8, 0.2}, m2.mean(), 1e-15);
        double v0 = 0.6 * (1.0 + 0.0) + 0.4 * (0.49 + 4.0) - 0.64;
        double v1 = 0.6 * (0.25 + 1.0) + 0.4 * (1.44 + 1.0) - 0.04;
        assertArrayEquals(new double[] {v0, v1}, m2.variance(), 1e-14);
    }

    @Test
    void varianceAvoidsCancellationForLargeMeans() {
        GaussianMixture m = new GaussianMixture(new double[] {0.5, 0.5}, new double[] {1e9, 1e9 + 2},
                new double[] {1e-3, 1e-3}, 1);
        assertEquals(1.0 + 1e-6, m.variance()[0], 1e-12);
    }

    @Test
    void mostProbableComponentTakesTheLowestIndexOnTies() {
        assertEquals(1, Mixtures.threeComponents1d().mostProbableComponent());
        assertEquals(0, new GaussianMixture(new double[] {0.4, 0.4, 0.2}, new double[3],
                new double[] {1, 1, 1}, 1).mostProbableComponent());
        assertEquals(1, new GaussianMixture(new double[] {0.2, 0.4, 0.4}, new double[3],
                new double[] {1, 1, 1}, 1).mostProbableComponent());
    }

    @Test
    void marginalCdfIsTheIntegralOfTheDensity() {
        GaussianMixture m = Mixtures.threeComponents1d();
        double[] y = new double[1];
        for (double v : new double[] {-3.0, -1.1, 0.0, 0.75, 2.9, 4.0}) {
            double integral = Quadrature.simpson(t -> {
                y[0] = t;
                return Math.exp(m.logDensity(y));
            }, -15, v, 20_000);
            assertEquals(integral, m.marginalCdf(0, v), 1e-6);
        }
    }

    @Test
    void marginalCdfIsMonotoneWithLimitsZeroAndOne() {
        GaussianMixture m = Mixtures.threeComponents1d();
        double prev = 0.0;
        for (double v = -20; v <= 20; v += 0.01) {
            double p = m.marginalCdf(0, v);
            assertTrue(p >= prev, "not monotone at " + v);
            assertTrue(p <= 1.0);
            prev = p;
        }
        assertTrue(m.marginalCdf(0, -20) < 1e-12);
        assertTrue(m.marginalCdf(0, 20) > 1 - 1e-12);
        assertEquals(0.0, m.marginalCdf(0, Double.NEGATIVE_INFINITY), 0.0);
        assertEquals(1.0, m.marginalCdf(0, Double.POSITIVE_INFINITY), 0.0);
    }

    @Test
    void marginalCdfOfOneDimensionIsTheCdfOfThatMarginal() {
        GaussianMixture m = Mixtures.twoComponents2d();
        GaussianMixture dim1 = new GaussianMixture(new double[] {0.6, 0.4}, new double[] {1.0, -1.0},
                new double[] {0.5, 1.2}, 1);
        for (double v : new double[] {-3, -1, 0, 0.5, 1, 3}) {
            assertEquals(dim1.marginalCdf(0, v), m.marginalCdf(1, v), 1e-15);
            double expected0 = 0.6 * Gaussian.cdf(v, 0, 1) + 0.4 * Gaussian.cdf(v, 2, 0.7);
            assertEquals(expected0, m.marginalCdf(0, v), 1e-15);
        }
    }

    @Test
    void fromLogitsAppliesAStableSoftmax() {
        double[] logits = {1000.0, 1001.0, 999.0};
        GaussianMixture m = GaussianMixture.fromLogits(logits, new double[] {0, 1, 2}, new double[] {1, 1, 1}, 1);
        double z = 1 + Math.E + 1 / Math.E;
        assertArrayEquals(new double[] {1 / z, Math.E / z, 1 / (Math.E * z)}, m.weights(), 1e-15);
        assertArrayEquals(new double[] {1000.0, 1001.0, 999.0}, logits, 0.0, "logits must not be modified");
    }

    @Test
    void accessorsAndCopies() {
        GaussianMixture m = Mixtures.twoComponents2d();
        assertEquals(2, m.components());
        assertEquals(2, m.dim());
        assertEquals(0.4, m.weight(1));
        assertEquals(-1.0, m.mean(1, 1));
        assertEquals(0.7, m.sigma(1, 0));
        double[] w = m.weights();
        w[0] = 99;
        assertEquals(0.6, m.weight(0), "weights() must return a copy");
        assertArrayEquals(new double[] {0.0, 1.0, 2.0, -1.0}, m.means(), 0.0);
        assertArrayEquals(new double[] {1.0, 0.5, 0.7, 1.2}, m.sigmas(), 0.0);
        String s = m.toString();
        assertTrue(s.startsWith("GaussianMixture(K=2, d=2: 0.6*N([0.0, 1.0], [1.0, 0.5])"), s);
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        GaussianMixture m = Mixtures.threeComponents1d();
        m.sample(new java.util.SplittableRandom(1), 0.5); // fill the transient cache
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(m);
        }
        GaussianMixture back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (GaussianMixture) in.readObject();
        }
        assertEquals(m.logDensity(new double[] {0.3}), back.logDensity(new double[] {0.3}), 0.0);
        assertArrayEquals(m.sample(new java.util.SplittableRandom(7), 0.5),
                back.sample(new java.util.SplittableRandom(7), 0.5), 0.0);
    }
}
