package io.sparkmdn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.analysis.integration.IterativeLegendreGaussIntegrator;
import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SeedToyDensityTest {

    private static final SeedToy KIND = SeedToy.INSTANCE;

    private static double density(double x, double y) {
        return Math.exp(KIND.trueLogDensity(new double[] {x}, new double[] {y}));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.999, -0.9, -0.5, -0.2, 0.0, 0.25, 0.6, 0.95, 1.0, 1.05, 1.3, 1.41})
    void conditionalDensityIntegratesToOne(double x) {
        assertEquals(1.0, integrateOverY(y -> density(x, y), x), 1e-6, "x = " + x);
    }

    @Test
    void bayesLimitMatchesTheKnownFigure() {
        int n = 200_000;
        XYData data = KIND.rows(2024, 0, n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double lp = KIND.trueLogDensity(new double[] {data.x()[i]}, new double[] {data.y()[i]});
            assertTrue(Double.isFinite(lp), "row " + i + " has log-density " + lp);
            sum += lp;
        }
        double nll = -sum / n;
        System.out.printf("seed: Bayes-limit NLL over %d rows = %.4f nats%n", n, nll);
        assertEquals(-1.82, nll, 0.03);
    }

    @Test
    void densityIsZeroOffTheBandAndOutsideTheSupport() {
        assertEquals(Double.NEGATIVE_INFINITY, KIND.trueLogDensity(new double[] {0.0}, new double[] {0.25}));
        assertEquals(Double.NEGATIVE_INFINITY, KIND.trueLogDensity(new double[] {-1.01}, new double[] {0.75}));
        assertEquals(Double.NEGATIVE_INFINITY, KIND.trueLogDensity(new double[] {1.43}, new double[] {0.2}));
        assertEquals(Double.NEGATIVE_INFINITY, KIND.trueLogDensity(new double[] {0.0}, new double[] {1.5}));
        assertEquals(0.0, SeedToy.normalizer(-1.01));
        assertEquals(0.0, SeedToy.normalizer(1.43));
        assertTrue(Double.isNaN(KIND.trueLogDensity(new double[] {Double.NaN}, new double[] {0.5})));
    }

    @Test
    void normalizerIsTheMarginalDensityOfX() {
        // p(x) = Z(x) since p(y) = 1: the fraction of generated x in [0.2, 0.3] must match ∫ Z.
        XYData data = KIND.rows(11, 0, 200_000);
        long inside = 0;
        for (double x : data.x()) {
            inside += x >= 0.2 && x <= 0.3 ? 1 : 0;
        }
        double expected = new IterativeLegendreGaussIntegrator(5, 1e-12, 1e-12)
                .integrate(100_000, SeedToy::normalizer, 0.2, 0.3);
        double p = (double) inside / data.size();
        assertEquals(expected, p, 4 * Math.sqrt(expected * (1 - expected) / data.size()));
    }

    @Test
    void rowArraysOfTheWrongLengthAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KIND.trueLogDensity(new double[] {0.1, 0.2}, new double[] {0.5}));
        assertEquals("seed has d_x=1, d_y=1 but got x of length 2 and y of length 1", e.getMessage());
    }

    @Test
    void staticRowMatchesTheKindsRow() {
        double[] x = new double[1];
        double[] y = new double[1];
        KIND.row(5, 123, x, y);
        double[] r = SeedToy.row(5, 123);
        assertEquals(x[0], r[0], 0);
        assertEquals(y[0], r[1], 0);
        assertSame(KIND, SyntheticKind.of("seed"));
    }

    /**
     * ∫₀¹ f(y) dy for a density that jumps where the band's edges cross x: the edges are found independently of
     * SeedToy (sign changes on a fine grid, refined by Brent's method), and each smooth piece integrated by
     * Gauss-Legendre.
     */
    private static double integrateOverY(DoubleUnaryOperator f, double x) {
        List<Double> cuts = new ArrayList<>(List.of(0.0, 1.0));
        addRoots(cuts, y -> Math.sin(2 * Math.PI * y) - x);
        addRoots(cuts, y -> Math.sin(2 * Math.PI * y) + 0.2 * (Math.cos(2 * Math.PI * y) + 2) - x);
        double[] c = cuts.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        IterativeLegendreGaussIntegrator gauss = new IterativeLegendreGaussIntegrator(8, 1e-13, 1e-13);
        double total = 0;
        for (int i = 0; i + 1 < c.length; i++) {
            double a = c[i];
            double b = c[i + 1];
            double mid = 0.5 * (a + b);
            double half = 0.5 * (b - a);
            if (half > 0 && f.applyAsDouble(mid) > 0) {
                // Strictly inside the piece, where the integrand is smooth.
                total += gauss.integrate(1_000_000, f::applyAsDouble, mid - half * (1 - 1e-15),
                        mid + half * (1 - 1e-15));
            }
        }
        return total;
    }

    private static void addRoots(List<Double> cuts, DoubleUnaryOperator g) {
        int grid = 100_000;
        BrentSolver brent = new BrentSolver(1e-15, 1e-15);
        for (int i = 0; i < grid; i++) {
            double a = (double) i / grid;
            double b = (double) (i + 1) / grid;
            double ga = g.applyAsDouble(a);
            double gb = g.applyAsDouble(b);
            if (ga == 0) {
                cuts.add(a);
            } else if (ga * gb < 0) {
                cuts.add(brent.solve(1000, g::applyAsDouble, a, b));
            }
        }
    }
}
