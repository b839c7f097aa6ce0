package io.sparkmdn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StandardizerTest {

    @Test
    void fitGivesColumnMeansAndPopulationStd() {
        double[] rows = {1, 10, 2, 20, 3, 30, 4, 40};
        Standardizer s = Standardizer.fit(rows, 2);
        assertArrayEquals(new double[] {2.5, 25}, s.mean(), 1e-12);
        assertArrayEquals(new double[] {Math.sqrt(1.25), Math.sqrt(125)}, s.std(), 1e-12);
        double[] z = s.apply(rows);
        assertEquals(0, z[0] + z[2] + z[4] + z[6], 1e-12);
        assertEquals(-1.5 / Math.sqrt(1.25), z[0], 1e-12);
        assertEquals(Math.log(Math.sqrt(1.25)) + Math.log(Math.sqrt(125)), s.logJacobian(), 1e-12);
    }

    @Test
    void mergedPartitionsEqualOnePass() {
        Random rng = new Random(3);
        double[] rows = new double[3 * 1000];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = 1e6 + rng.nextGaussian() * (1 + i % 3);
        }
        Standardizer.Accumulator a = new Standardizer.Accumulator(3);
        Standardizer.Accumulator b = new Standardizer.Accumulator(3);
        Standardizer.Accumulator empty = new Standardizer.Accumulator(3);
        for (int i = 0; i < 1000; i++) {
            (i < 317 ? a : b).add(rows, 3 * i);
        }
        Standardizer merged = a.merge(empty).merge(b).result();
        Standardizer whole = Standardizer.fit(rows, 3);
        assertArrayEquals(whole.mean(), merged.mean(), 1e-8);
        assertArrayEquals(whole.std(), merged.std(), 1e-10);
    }

    @Test
    void constantColumnIsCentredButNotScaledAndEmptyDataIsRefused() {
        Standardizer s = Standardizer.fit(new double[] {5, 5, 5}, 1);
        assertArrayEquals(new double[] {1}, s.std());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Standardizer.Accumulator(2).result());
        assertTrue(e.getMessage().contains("0 rows"), e.getMessage());
    }
}
