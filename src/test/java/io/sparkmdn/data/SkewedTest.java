package io.sparkmdn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.analysis.integration.IterativeLegendreGaussIntegrator;
import org.apache.commons.math3.distribution.LogNormalDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SkewedTest {

    private static final Skewed KIND = Skewed.INSTANCE;

    /** m(x) and a(x) written out here, not taken from Skewed. */
    private static double m(double x1, double x2) {
        return 0.8 * Math.sin(Math.PI * x1) + 0.3 * x2;
    }

    private static double a(double x2) {
        return -1.2 + 0.6 * x2;
    }

    private static double logDensity(double x1, double x2, double y) {
        return KIND.trueLogDensity(new double[] {x1, x2}, new double[] {y});
    }

    @Test
    void rowsDependOnlyOnSeedAndIdNotOnHowTheyAreSplit() {
        XYData whole = KIND.rows(7, 0, 1000);
        XYData first = KIND.rows(7, 0, 400);
        XYData rest = KIND.rows(7, 400, 600);
        assertArrayEquals(whole.x(), KIND.rows(7, 0, 1000).x(), 0);
        assertArrayEquals(whole.rows(0, 400).x(), first.x(), 0);
        assertArrayEquals(whole.rows(0, 400).y(), first.y(), 0);
        assertArrayEquals(whole.rows(400, 1000).x(), rest.x(), 0);
        assertArrayEquals(whole.rows(400, 1000).y(), rest.y(), 0);
        assertEquals(2, whole.inputDim());
        assertEquals(1, whole.outputDim());
        assertNotEquals(KIND.rows(8, 0, 1).y()[0], whole.y()[0]);
    }

    @Test
    void bayesLimitIsTheLogNormalsEntropy() {
        int n = 200_000;
        XYData data = KIND.rows(2024, 0, n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double lp = logDensity(data.x()[2 * i], data.x()[2 * i + 1], data.y()[i]);
            assertTrue(Double.isFinite(lp), "row " + i + " has log-density " + lp);
            sum += lp;
        }
        double nll = -sum / n;
        // Log-normal entropy μ + ½log(2πeσ²), averaged over x: E[a(x)] + log b + ½log(2πe), E[a(x)] = −1.2.
        double limit = -1.2 + Math.log(0.5) + 0.5 * Math.log(2 * Math.PI * Math.E);
        System.out.printf("skewed: Bayes-limit NLL over %d rows = %.4f nats (closed form %.4f)%n", n, nll, limit);
        // −log p = a(x) + bz + ½z² + const per row: variance 0.6²/3 + b² + ½ = 0.87, standard error 0.0021.
        assertEquals(limit, nll, 0.01);
        assertEquals(-0.4742, limit, 1e-4);
    }

    @Test
    void rowsLieAboveTheShiftAndFollowTheGenerativeModel() {
        XYData data = KIND.rows(3, 0, 100_000);
        int n = data.size();
        double sumX1 = 0;
        double sumX2 = 0;
        double sumT = 0;
        double sumTT = 0;
        double sumTTT = 0;
        double sumTX1 = 0;
        double sumTX2 = 0;
        for (int i = 0; i < n; i++) {
            double x1 = data.x()[2 * i];
            double x2 = data.x()[2 * i + 1];
            double y = data.y()[i];
            assertTrue(x1 >= -1 && x1 < 1 && x2 >= -1 && x2 < 1, "x of row " + i + " outside [-1, 1)^2");
            assertTrue(y > m(x1, x2), "row " + i + ": y = " + y + " is not above m(x) = " + m(x1, x2));
            assertTrue(y > Skewed.shift(x1, x2), "row " + i);
            // Standardised log-excess: N(0, 1) and independent of x when a(x) and b are right.
            double t = (Math.log(y - m(x1, x2)) - a(x2)) / 0.5;
            sumX1 += x1;
            sumX2 += x2;
            sumT += t;
            sumTT += t * t;
            sumTTT += t * t * t;
            sumTX1 += t * x1;
            sumTX2 += t * x2;
        }
        double se = 1 / Math.sqrt(n);
        assertEquals(0.0, sumX1 / n, 4 * Math.sqrt(1.0 / 3) * se);
        assertEquals(0.0, sumX2 / n, 4 * Math.sqrt(1.0 / 3) * se);
        assertEquals(0.0, sumT / n, 4 * se);
        assertEquals(1.0, sumTT / n, 4 * Math.sqrt(2) * se);
        assertEquals(0.0, sumTTT / n, 4 * Math.sqrt(15) * se);
        assertEquals(0.0, sumTX1 / n, 4 * Math.sqrt(1.0 / 3) * se);
        assertEquals(0.0, sumTX2 / n, 4 * Math.sqrt(1.0 / 3) * se);
    }

    @ParameterizedTest
    @CsvSource({"-1.0, -1.0", "-0.37, 0.8", "0.0, 0.0", "0.5, -0.6", "0.91, 1.0"})
    void densityIntegratesToOneOverY(double x1, double x2) {
        // Gauss–Legendre on pieces [m + e^(a+kb/2), m + e^(a+(k+1)b/2)], k = −30…29: z from −15 to 15.
        IterativeLegendreGaussIntegrator gauss = new IterativeLegendreGaussIntegrator(8, 1e-13, 1e-13);
        double m = m(x1, x2);
        double total = gauss.integrate(1_000_000, y -> Math.exp(logDensity(x1, x2, y)),
                m, m + Math.exp(a(x2) - 15 * 0.5));
        for (int k = -30; k < 30; k++) {
            total += gauss.integrate(1_000_000, y -> Math.exp(logDensity(x1, x2, y)),
                    m + Math.exp(a(x2) + k * 0.25), m + Math.exp(a(x2) + (k + 1) * 0.25));
        }
        assertEquals(1.0, total, 1e-9, "x = (" + x1 + ", " + x2 + ")");
    }

    @ParameterizedTest
    @CsvSource({"0.3, -0.2, 0.05", "0.3, -0.2, 0.4", "-0.8, 0.9, 3.0", "1.0, -1.0, 1e-6"})
    void densityIsTheShiftedLogNormals(double x1, double x2, double excess) {
        double expected = new LogNormalDistribution(a(x2), 0.5).logDensity(excess);
        assertEquals(expected, logDensity(x1, x2, m(x1, x2) + excess), 1e-9 * Math.max(1, Math.abs(expected)));
    }

    @Test
    void densityIsZeroBelowTheShiftAndOutsideTheInputSquare() {
        double m = m(0.3, 0.4);
        assertEquals(Double.NEGATIVE_INFINITY, logDensity(0.3, 0.4, m));
        assertEquals(Double.NEGATIVE_INFINITY, logDensity(0.3, 0.4, m - 0.1));
        assertEquals(Double.NEGATIVE_INFINITY, logDensity(0.3, 0.4, Double.NEGATIVE_INFINITY));
        assertEquals(Double.NEGATIVE_INFINITY, logDensity(0.3, 0.4, Double.POSITIVE_INFINITY));
        assertTrue(Double.isFinite(logDensity(0.3, 0.4, m + 0.3)));
        assertEquals(Double.NEGATIVE_INFINITY, logDensity(1.01, 0.4, 5));
        assertEquals(Double.NEGATIVE_INFINITY, logDensity(0.3, -1.01, 5));
        assertEquals(Double.NEGATIVE_INFINITY, logDensity(Double.POSITIVE_INFINITY, 0.4, 5));
        assertTrue(Double.isNaN(logDensity(Double.NaN, 0.4, 5)));
        assertTrue(Double.isNaN(logDensity(0.3, Double.NaN, 5)));
        assertTrue(Double.isNaN(logDensity(0.3, 0.4, Double.NaN)));
    }

    @Test
    void rowArraysOfTheWrongLengthAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KIND.trueLogDensity(new double[] {0.1}, new double[] {0.5}));
        assertEquals("skewed has d_x=2, d_y=1 but got x of length 1 and y of length 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> KIND.trueLogDensity(new double[] {0.1, 0.2}, new double[] {0.5, 0.6}));
        assertEquals("skewed has d_x=2, d_y=1 but got x of length 2 and y of length 2", e.getMessage());
        assertSame(KIND, SyntheticKind.of("skewed"));
    }
}
