package io.sparkmdn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TwinCircleTest {

    private static final TwinCircle KIND = TwinCircle.INSTANCE;

    @Test
    void bayesLimitIsTheMixturesEntropy() {
        int n = 200_000;
        XYData data = KIND.rows(2024, 0, n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += KIND.trueLogDensity(new double[] {data.x()[i]},
                    new double[] {data.y()[2 * i], data.y()[2 * i + 1]});
        }
        double nll = -sum / n;
        // Two well-separated isotropic components of equal weight: H = log 2 + (d/2)(1 + log 2πσ²), d = 2.
        double entropy = Math.log(2) + 1 + Math.log(2 * Math.PI * 0.01);
        System.out.printf("twin-circle: Bayes-limit NLL over %d rows = %.4f nats (entropy %.4f)%n", n, nll, entropy);
        // −log p = log 2 + log 2πσ² + χ²₂/2 per row: standard deviation 1, so the standard error is 1/√n.
        assertEquals(entropy, nll, 5 / Math.sqrt(n));
        assertEquals(-1.0742, entropy, 1e-4);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.0, -0.37, 0.0, 0.5, 0.91})
    void densityIntegratesToOneOnAGrid(double x) {
        double h = 0.005;
        double sum = 0;
        for (double a = -1.6 + h / 2; a < 1.6; a += h) {
            for (double b = -1.6 + h / 2; b < 1.6; b += h) {
                sum += Math.exp(KIND.trueLogDensity(new double[] {x}, new double[] {a, b}));
            }
        }
        assertEquals(1.0, sum * h * h, 1e-6, "x = " + x);
    }

    @Test
    void rowsFollowTheGenerativeModel() {
        XYData data = KIND.rows(3, 0, 100_000);
        double sumX = 0;
        double sumDist = 0;
        double sumSqDist = 0;
        int upper = 0;
        for (int i = 0; i < data.size(); i++) {
            double x = data.x()[i];
            double y0 = data.y()[2 * i];
            double y1 = data.y()[2 * i + 1];
            double c = Math.cos(Math.PI * x);
            double s = Math.sin(Math.PI * x);
            // Distance to the nearer mode, along each axis: N(0, σ²).
            boolean plus = (y0 - c) * (y0 - c) + (y1 - s) * (y1 - s) < (y0 + c) * (y0 + c) + (y1 + s) * (y1 + s);
            double d0 = plus ? y0 - c : y0 + c;
            sumX += x;
            sumDist += d0;
            sumSqDist += d0 * d0;
            upper += plus ? 1 : 0;
        }
        int n = data.size();
        assertEquals(0.0, sumX / n, 4 * Math.sqrt(1.0 / 3 / n));
        assertEquals(0.0, sumDist / n, 4 * 0.1 / Math.sqrt(n));
        assertEquals(0.1, Math.sqrt(sumSqDist / n), 0.002);
        assertEquals(0.5, (double) upper / n, 4 * 0.5 / Math.sqrt(n));
    }

    @Test
    void densityIsZeroOutsideTheInputRangeAndChecksLengths() {
        assertEquals(Double.NEGATIVE_INFINITY, KIND.trueLogDensity(new double[] {1.2}, new double[] {0, 0}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KIND.trueLogDensity(new double[] {0.1}, new double[] {0.5}));
        assertEquals("twin-circle has d_x=1, d_y=2 but got x of length 1 and y of length 1", e.getMessage());
        assertSame(KIND, SyntheticKind.of("twin-circle"));
    }
}
