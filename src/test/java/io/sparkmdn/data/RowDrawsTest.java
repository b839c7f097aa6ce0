package io.sparkmdn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RowDrawsTest {

    private static final int N = 200_000;

    @Test
    void drawsAreUniformOnTheUnitInterval() {
        double sum = 0;
        double sumSq = 0;
        int[] deciles = new int[10];
        for (long id = 0; id < N; id++) {
            double u = RowDraws.uniform(7, 0, id);
            assertTrue(u >= 0 && u < 1, "draw " + u + " of row " + id);
            sum += u;
            sumSq += u * u;
            deciles[(int) (u * 10)]++;
        }
        double mean = sum / N;
        assertEquals(0.5, mean, 4 * Math.sqrt(1.0 / 12 / N));
        assertEquals(1.0 / 12, sumSq / N - mean * mean, 1e-3);
        for (int count : deciles) {
            assertEquals(N / 10.0, count, 5 * Math.sqrt(N * 0.1 * 0.9), "decile counts " + java.util.Arrays.toString(deciles));
        }
    }

    @Test
    void streamsAndSeedsAreUncorrelated() {
        assertEquals(0, correlation(7, 0, 7, 1), 4 / Math.sqrt(N));
        assertEquals(0, correlation(7, 0, 8, 0), 4 / Math.sqrt(N));
        // neighbouring ids too: a hash, not a counter
        double lag = 0;
        for (long id = 0; id < N; id++) {
            lag += (RowDraws.uniform(7, 0, id) - 0.5) * (RowDraws.uniform(7, 0, id + 1) - 0.5);
        }
        assertEquals(0, lag / N * 12, 4 / Math.sqrt(N));
    }

    @Test
    void aDrawIsAFunctionOfSeedStreamAndIdAlone() {
        assertEquals(RowDraws.uniform(3, 2, 123_456_789L), RowDraws.uniform(3, 2, 123_456_789L));
        assertNotEquals(RowDraws.uniform(3, 2, 1), RowDraws.uniform(4, 2, 1));
        assertNotEquals(RowDraws.uniform(3, 2, 1), RowDraws.uniform(3, 3, 1));
    }

    private static double correlation(long seedA, int streamA, long seedB, int streamB) {
        double c = 0;
        for (long id = 0; id < N; id++) {
            c += (RowDraws.uniform(seedA, streamA, id) - 0.5) * (RowDraws.uniform(seedB, streamB, id) - 0.5);
        }
        return c / N * 12; // Var(U) = 1/12
    }
}
