package io.sparkmdn.math;

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
}
