package io.sparkmdn.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KolmogorovTest {

    @Test
    void pValuesMatchTheKolmogorovDistribution() {
        // Q(λ) at the textbook critical values: 1.3581 → 0.05, 1.6276 → 0.01, 1.2239 → 0.10 (large n)
        long n = 1_000_000;
        double root = Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n);
        assertEquals(0.05, Kolmogorov.pValue(1.3581 / root, n), 2e-4);
        assertEquals(0.01, Kolmogorov.pValue(1.6276 / root, n), 1e-4);
        assertEquals(0.10, Kolmogorov.pValue(1.2239 / root, n), 2e-4);
        assertEquals(1.0, Kolmogorov.pValue(0, 10));
        assertTrue(Kolmogorov.pValue(0.5, 1000) < 1e-100);
    }

    @Test
    void uniformValuesRejectAtTheirLevelAndShiftedOnesAlways() {
        SplittableRandom rng = new SplittableRandom(11);
        int rejected = 0;
        int trials = 400;
        for (int t = 0; t < trials; t++) {
            long[] uniform = new long[4096];
            long[] shifted = new long[4096];
            for (int i = 0; i < 2000; i++) {
                double u = rng.nextDouble();
                uniform[(int) (u * 4096)]++;
                shifted[(int) (Math.min(0.999999, u * 0.9 + 0.1) * 4096)]++;
            }
            rejected += Kolmogorov.pValue(Kolmogorov.distance(uniform), 2000) < 0.05 ? 1 : 0;
            assertTrue(Kolmogorov.pValue(Kolmogorov.distance(shifted), 2000) < 1e-6);
        }
        assertEquals(0.05, (double) rejected / trials, 0.03, "a 5% test rejects about 5% of uniform samples");
    }
}
