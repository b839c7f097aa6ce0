package io.sparkmdn.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GaussianTest {

    @Test
    void logSqrt2PiConstant() {
        assertEquals(0.5 * Math.log(2 * Math.PI), Gaussian.LOG_SQRT_2PI, 1e-15);
        assertEquals(1.0 / Math.sqrt(2 * Math.PI), Gaussian.INV_SQRT_2PI, 1e-16);
    }

    @Test
    void pdfAndLogPdfAgreeWithTheFormula() {
        double mu = 1.5;
        double sigma = 0.7;
        for (double x : new double[] {-3, -0.2, 1.5, 2.0, 6.0}) {
            double z = (x - mu) / sigma;
            double expected = Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI));
            assertEquals(expected, Gaussian.pdf(x, mu, sigma), 1e-15 * Math.max(1, expected));
            assertEquals(Math.log(expected), Gaussian.logPdf(x, mu, sigma), 1e-13);
        }
        assertEquals(Gaussian.INV_SQRT_2PI, Gaussian.standardPdf(0.0), 0.0);
        assertEquals(Gaussian.pdf(0.3, 0, 1), Gaussian.standardPdf(0.3), 1e-16);
    }

    @Test
    void logPdfStaysFiniteFarInTheTail() {
        double lp = Gaussian.logPdf(1e6, 0.0, 1e-3);
        assertTrue(Double.isFinite(lp));
        assertEquals(-0.5e18, lp, 0.5e18 * 1e-12);
    }

    @Test
    void cdfKnownValues() {
        assertEquals(0.5, Gaussian.standardCdf(0.0), 1e-16);
        assertEquals(0.9750021048517795, Gaussian.standardCdf(1.96), 1e-15);
        assertEquals(0.9750021048517795, Gaussian.cdf(1.96 * 2 + 3, 3, 2), 1e-15);
        assertEquals(0.15865525393145707, Gaussian.standardCdf(-1.0), 1e-15);
        // lower tail keeps relative accuracy (1 - Φ(10) would give 0)
        double phiMinus10 = 7.6198530241605e-24;
        assertEquals(phiMinus10, Gaussian.standardCdf(-10.0), phiMinus10 * 1e-6);
        assertEquals(phiMinus10, Gaussian.cdf(-20.0, 0.0, 2.0), phiMinus10 * 1e-6);
        assertEquals(1.0, Gaussian.standardCdf(10.0), 1e-16);
        assertEquals(0.0, Gaussian.standardCdf(Double.NEGATIVE_INFINITY), 0.0);
        assertEquals(1.0, Gaussian.standardCdf(Double.POSITIVE_INFINITY), 0.0);
    }

    @Test
    void cdfIsTheIntegralOfThePdf() {
        double mu = -0.4;
        double sigma = 1.3;
        for (double x : new double[] {-3, -0.4, 0.8, 2.5}) {
            double integral = Quadrature.simpson(t -> Gaussian.pdf(t, mu, sigma), mu - 15 * sigma, x, 4000);
            assertEquals(integral, Gaussian.cdf(x, mu, sigma), 1e-10);
        }
    }

    @Test
    void survivalIsTheUpperTail() {
        for (double z : new double[] {-8, -1.5, 0, 0.3, 2, 10, 30}) {
            assertEquals(Gaussian.standardCdf(-z), Gaussian.standardSurvival(z), 0.0, "z = " + z);
        }
        assertEquals(7.6198530241605e-24, Gaussian.standardSurvival(10.0), 7.6198530241605e-24 * 1e-6);
    }

    @Test
    void quantileKnownValues() {
        assertEquals(0.0, Gaussian.standardQuantile(0.5), 0.0);
        assertEquals(1.959963984540054, Gaussian.standardQuantile(0.975), 1e-15);
        assertEquals(-1.959963984540054, Gaussian.standardQuantile(0.025), 1e-15);
        assertEquals(-4.753424308822899, Gaussian.standardQuantile(1e-6), 1e-14);
        assertEquals(-9.262340089798408, Gaussian.standardQuantile(1e-20), 1e-13);
        assertEquals(Double.NEGATIVE_INFINITY, Gaussian.standardQuantile(0.0), 0.0);
        assertEquals(Double.POSITIVE_INFINITY, Gaussian.standardQuantile(1.0), 0.0);
        assertTrue(Double.isNaN(Gaussian.standardQuantile(-0.1)));
        assertTrue(Double.isNaN(Gaussian.standardQuantile(1.1)));
        assertTrue(Double.isNaN(Gaussian.standardQuantile(Double.NaN)));
    }

    @Test
    void quantileInvertsTheCdfInBothTails() {
        // Φ(Φ⁻¹(p)) = p, from the centre down to 1e-300 and up to 1 − 1e-16. A relative error ε in z moves the
        // tail probability by about z²·ε relative (d log Φ / d log|z| ≈ z² far out), hence the (1 + z²) factor.
        for (int e = 1; e <= 300; e++) {
            for (double m : new double[] {1.0, 3.7}) {
                double p = m * Math.pow(10, -e);
                double z = Gaussian.standardQuantile(p);
                assertEquals(p, Gaussian.standardCdf(z), 2e-15 * (1 + z * z) * p, "p = " + p);
            }
        }
        for (int e = 1; e <= 16; e++) {
            double q = Math.pow(10, -e);
            double p = 1 - q;
            double exact = 1 - p; // the upper tail the double p actually encodes
            double z = Gaussian.standardQuantile(p);
            assertEquals(exact, Gaussian.standardSurvival(z), 2e-15 * (1 + z * z) * exact, "p = 1 - " + q);
            assertEquals(-Gaussian.standardQuantile(exact), z, 1e-15 * Math.abs(z), "symmetry at 1 - " + q);
        }
        for (int i = 1; i < 1000; i++) {
            double p = i / 1000.0;
            assertEquals(p, Gaussian.standardCdf(Gaussian.standardQuantile(p)), 1e-15, "p = " + p);
        }
    }
}
