package io.sparkmdn.math;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class GaussianMixtureValidationTest {

    private static void assertRejected(Class<? extends Throwable> type, Executable call, String... fragments) {
        Throwable e = assertThrows(type, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message \"" + e.getMessage() + "\" lacks \"" + f + "\"");
        }
    }

    private static final double[] W3 = {0.2, 0.5, 0.3};

    @Test
    void badSigma() {
        assertRejected(IllegalArgumentException.class,
                () -> new GaussianMixture(W3, new double[3], new double[] {1, 1, -1.0}, 1),
                "Invalid sigma at component 2, dimension 0: -1.0 (must be finite and > 0)");
        assertRejected(IllegalArgumentException.class,
                () -> new GaussianMixture(W3, new double[6], new double[] {1, 1, 1, 0.0, 1, 1}, 2),
                "Invalid sigma at component 1, dimension 1: 0.0");
        assertRejected(IllegalArgumentException.class,
                () -> new GaussianMixture(W3, new double[3], new double[] {Double.NaN, 1, 1}, 1),
                "Invalid sigma at component 0, dimension 0: NaN");
        assertRejected(IllegalArgumentException.class,
                () -> new GaussianMixture(W3, new double[3], new double[] {1, Double.POSITIVE_INFINITY, 1}, 1),
                "Invalid sigma at component 1, dimension 0: Infinity");
    }

    @Test
    void badWeights() {
        assertRejected(IllegalArgumentException.class,
                () -> new GaussianMixture(new double[] {0.5, 0.4}, new double[2], new double[] {1, 1}, 1),
                "sum to 0.9");
        assertRejected(IllegalArgumentException.class,
                () -> new GaussianMixture(new double[] {1.1, -0.1}, new double[2], new double[] {1, 1}, 1),
                "Invalid weight at component 1: -0.1");
        assertRejected(IllegalArgumentException.class,
                () -> new GaussianMixture(new double[] {Double.NaN, 1}, new double[2], new double[] {1, 1}, 1),
                "Invalid weight at component 0: NaN");
        assertDoesNotThrow(() -> new GaussianMixture(new double[] {0.5, 0.5000005}, new double[2],
                new double[] {1, 1}, 1));
        assertRejected(IllegalArgumentException.class,
                () -> new GaussianMixture(new double[] {0.5, 0.500002}, new double[2], new double[] {1, 1}, 1),
                "sum to 1.0000019");
    }

    @Test
    void badMeansAndShapes() {
        assertRejected(IllegalArgumentException.class,
                () -> new GaussianMixture(W3, new double[] {0, 0, 0, Double.NaN, 0, 0}, new double[] {1, 1, 1, 1, 1, 1}, 2),
                "Invalid mean at component 1, dimension 1: NaN");
        assertRejected(IllegalArgumentException.class,
                () -> new GaussianMixture(W3, new double[5], new double[6], 2),
                "means has length 5", "K * d = 3 * 2 = 6");
        assertRejected(IllegalArgumentException.class,
                () -> new GaussianMixture(W3, new double[6], new double[3], 2),
                "sigmas has length 3");
        assertRejected(IllegalArgumentException.class,
                () -> new GaussianMixture(W3, new double[0], new double[0], 0), "dim must be >= 1 but was 0");
        assertRejected(IllegalArgumentException.class,
                () -> new GaussianMixture(new double[0], new double[0], new double[0], 1), "K >= 1");
        assertRejected(NullPointerException.class,
                () -> new GaussianMixture(W3, null, new double[3], 1), "means");
    }

    @Test
    void badLogits() {
        assertRejected(IllegalArgumentException.class,
                () -> GaussianMixture.fromLogits(new double[] {0, Double.NaN}, new double[2], new double[] {1, 1}, 1),
                "index 1: NaN");
    }

    @Test
    void wrongObservationLength() {
        GaussianMixture m = Mixtures.twoComponents2d();
        assertRejected(IllegalArgumentException.class, () -> m.logDensity(new double[3]),
                "y has length 3", "d = 2");
        assertRejected(IllegalArgumentException.class, () -> m.responsibilities(new double[1]),
                "y has length 1", "d = 2");
        assertThrows(IndexOutOfBoundsException.class, () -> m.marginalCdf(2, 0.0));
        assertThrows(IndexOutOfBoundsException.class, () -> m.mean(0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> m.weight(2));
    }
}
