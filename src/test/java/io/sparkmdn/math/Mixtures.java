package io.sparkmdn.math;

import java.util.function.DoubleSupplier;
import java.util.random.RandomGenerator;

/** Shared mixtures for the tests. */
final class Mixtures {

    private Mixtures() {
    }

    /** Three overlapping components in one dimension; most probable component is 1. */
    static GaussianMixture threeComponents1d() {
        return new GaussianMixture(
                new double[] {0.2, 0.5, 0.3},
                new double[] {-2.0, 0.5, 3.0},
                new double[] {0.5, 1.0, 0.3},
                1);
    }

    /** Two components in two dimensions; most probable component is 0. */
    static GaussianMixture twoComponents2d() {
        return new GaussianMixture(
                new double[] {0.6, 0.4},
                new double[] {0.0, 1.0, /* comp 1 */ 2.0, -1.0},
                new double[] {1.0, 0.5, /* comp 1 */ 0.7, 1.2},
                2);
    }

    /**
     * A random mixture over {@code dim} dimensions: weights from normalised exponentials, means uniform over
     * ±{@code spread}, each σ drawn by {@code sigma}.
     */
    static GaussianMixture random(RandomGenerator rng, int k, int dim, double spread, DoubleSupplier sigma) {
        double[] w = new double[k];
        double[] m = new double[k * dim];
        double[] s = new double[k * dim];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            w[c] = -Math.log(1 - rng.nextDouble());
            sum += w[c];
        }
        for (int c = 0; c < k; c++) {
            w[c] /= sum;
        }
        for (int i = 0; i < k * dim; i++) {
            m[i] = spread * (2 * rng.nextDouble() - 1);
            s[i] = sigma.getAsDouble();
        }
        return new GaussianMixture(w, m, s, dim);
    }
}
