package io.sparkmdn.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogSumExpTest {

    private static final double NEG_INF = Double.NEGATIVE_INFINITY;

    @Test
    void matchesNaiveSumOnModerateValues() {
        double[] a = {0.1, -1.2, 2.3, 0.0};
        double naive = Math.log(Math.exp(0.1) + Math.exp(-1.2) + Math.exp(2.3) + 1.0);
        assertEquals(naive, LogSumExp.of(a), 1e-15);
    }

    @Test
    void isStableForHugeAndTinyValues() {
        assertEquals(1000 + Math.log(2), LogSumExp.of(new double[] {1000, 1000}), 1e-12);
        assertEquals(-1e6 + Math.log(1 + Math.exp(-1)), LogSumExp.of(new double[] {-1e6 - 1, -1e6}), 1e-9);
        assertEquals(-5e17, LogSumExp.of(new double[] {-5e17, -6e17}), 0.0);
    }

    @Test
    void specialValues() {
        assertEquals(NEG_INF, LogSumExp.of(new double[] {NEG_INF, NEG_INF}));
        assertEquals(NEG_INF, LogSumExp.of(new double[0]));
        assertEquals(2.0, LogSumExp.of(new double[] {NEG_INF, 2.0, NEG_INF}), 0.0);
        assertTrue(Double.isNaN(LogSumExp.of(new double[] {1.0, Double.NaN, 3.0})));
        assertTrue(Double.isNaN(LogSumExp.of(new double[] {Double.POSITIVE_INFINITY, Double.NaN})));
        assertEquals(Double.POSITIVE_INFINITY, LogSumExp.of(new double[] {1.0, Double.POSITIVE_INFINITY}));
    }

    @Test
    void rangeVariantOnlyReadsTheSlice() {
        double[] a = {Double.NaN, 1.0, 2.0, 3.0, Double.NaN};
        assertEquals(LogSumExp.of(new double[] {1.0, 2.0, 3.0}), LogSumExp.of(a, 1, 3), 0.0);
        assertThrows(IndexOutOfBoundsException.class, () -> LogSumExp.of(a, 3, 3));
    }

    @Test
    void softmaxInPlace() {
        double[] a = {9.0, 1000.0, 1001.0, Math.log(3) + 1000.0, NEG_INF, 7.0};
        LogSumExp.softmaxInPlace(a, 1, 4);
        // 1000 + log 3 is only represented to ~1e-13, hence the tolerance
        assertArrayEquals(new double[] {9.0, 1 / (4 + Math.E), Math.E / (4 + Math.E), 3 / (4 + Math.E), 0.0, 7.0},
                a, 1e-12);
        assertEquals(1.0, a[1] + a[2] + a[3] + a[4], 1e-15);
        double[] b = {0.0, 0.0};
        LogSumExp.softmaxInPlace(b);
        assertArrayEquals(new double[] {0.5, 0.5}, b, 0.0);
    }

    @Test
    void softmaxRejectsUndefinedInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogSumExp.softmaxInPlace(new double[] {0.0, Double.NaN}));
        assertTrue(e.getMessage().contains("index 1: NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LogSumExp.softmaxInPlace(new double[] {NEG_INF, NEG_INF}));
        assertTrue(e.getMessage().contains("-Infinity"), e.getMessage());
    }
}
