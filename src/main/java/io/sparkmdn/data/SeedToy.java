package io.sparkmdn.data;

import java.util.SplittableRandom;

/**
 * The seed toy problem: y ~ U(0, 1), x = sin(2πy) + 0.2·u·(cos(2πy) + 2), u ~ U(0, 1). Predicting y from x is
 * one-to-many: one x has up to three plausible y, which a least-squares net can only average.
 *
 * <p>Each row's randomness is derived from (seed, row id) alone, so the same seed and ids give the same rows
 * however the ids are split across threads or partitions.
 */
public final class SeedToy {

    private SeedToy() {
    }

    /** The row with the given id as {x, y}. */
    public static double[] row(long seed, long id) {
        SplittableRandom rng = rowRandom(seed, id);
        double y = rng.nextDouble();
        double u = rng.nextDouble();
        double x = Math.sin(2 * Math.PI * y) + 0.2 * u * (Math.cos(2 * Math.PI * y) + 2);
        return new double[] {x, y};
    }

    /** Rows with ids [firstId, firstId + rows) as 1-D x and 1-D y. */
    public static XYData generate(long seed, long firstId, int rows) {
        double[] x = new double[rows];
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            double[] r = row(seed, firstId + i);
            x[i] = r[0];
            y[i] = r[1];
        }
        return new XYData(1, 1, x, y);
    }

    /** A generator for one row: seeded by a SplitMix64-style mix of seed and id, so rows are independent. */
    public static SplittableRandom rowRandom(long seed, long id) {
        long z = seed * 0x9E3779B97F4A7C15L + id;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new SplittableRandom(z ^ (z >>> 31));
    }
}
