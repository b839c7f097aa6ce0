package io.sparkmdn.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GaussianMixtureCrpsTest {

    /** CRPS by definition: ∫ (F(t) − 1{t ≥ y})² dt, split at y where the integrand jumps. */
    private static double numericCrps(GaussianMixture m, double y, double lo, double hi) {
        double below = Quadrature.simpson(t -> {
            double f = m.marginalCdf(0, t);
            return f * f;
        }, lo, y, 12_000);
        double above = Quadrature.simpson(t -> {
            double s = 1.0 - m.marginalCdf(0, t);
            return s * s;
        }, y, hi, 12_000);
        return below + above;
    }

    @Test
    void closedFormMatchesTheDefiningIntegral() {
        GaussianMixture m = Mixtures.threeComponents1d();
        for (double y : new double[] {-2.5, 0.0, 0.75, 3.1, 8.0}) {
            double numeric = numericCrps(m, y, -15, 15);
            assertEquals(numeric, m.crps(y), 1e-6, "y = " + y);
        }
    }

    @Test
    void closedFormMatchesTheIntegralForWidelySeparatedComponents() {
        GaussianMixture m = new GaussianMixture(new double[] {0.7, 0.3}, new double[] {-3.0, 4.0},
                new double[] {0.2, 2.0}, 1);
        for (double y : new double[] {-3.0, 0.0, 5.0}) {
            assertEquals(numericCrps(m, y, -25, 30), m.crps(y), 1e-6, "y = " + y);
        }
    }

    @Test
    void oneComponentMatchesTheNormalCrps() {
        double mu = 0.4;
        double sigma = 1.7;
        GaussianMixture m = new GaussianMixture(new double[] {1.0}, new double[] {mu}, new double[] {sigma}, 1);
        for (double y : new double[] {-5.0, -0.3, 0.4, 1.0, 12.0}) {
            double z = (y - mu) / sigma;
            double expected = sigma * (z * (2 * Gaussian.standardCdf(z) - 1) + 2 * Gaussian.standardPdf(z)
                    - 1 / Math.sqrt(Math.PI));
            assertEquals(expected, m.crps(y), 1e-13 * Math.max(1, expected));
        }
        // at the mean: σ(2φ(0) − 1/√π) = σ(√2 − 1)/√π
        assertEquals(sigma * (Math.sqrt(2) - 1) / Math.sqrt(Math.PI), m.crps(mu), 1e-14);
    }

    @Test
    void crpsIsPositiveAndGrowsAwayFromTheMass() {
        GaussianMixture m = Mixtures.threeComponents1d();
        assertTrue(m.crps(0.5) > 0);
        assertTrue(m.crps(10) > m.crps(5));
        assertTrue(m.crps(-10) > m.crps(-5));
    }

    @Test
    void crpsNeedsOneDimension() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Mixtures.twoComponents2d().crps(0.0));
        assertTrue(e.getMessage().contains("d = 2"), e.getMessage());
    }
}
