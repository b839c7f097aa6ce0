package io.sparkmdn.math;

import java.util.SplittableRandom;

/**
 * The random generator of one row's draws: seeded by a SplitMix64 mix of a seed and the row's key, so rows draw
 * independently of each other and of how they are partitioned, and the same key and seed draw the same values.
 */
public final class RowRandom {

    private RowRandom() {
    }

    /** A generator for the row keyed {@code key} under {@code seed}. */
    public static SplittableRandom of(long seed, long key) {
        long z = seed * 0x9E3779B97F4A7C15L + key;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new SplittableRandom(z ^ (z >>> 31));
    }
}
