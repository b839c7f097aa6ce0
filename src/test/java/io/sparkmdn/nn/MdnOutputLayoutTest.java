package io.sparkmdn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.math.MixtureBatch;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class MdnOutputLayoutTest {

    @Test
    void columnsPartitionTheRowInTheDocumentedOrder() {
        MdnOutputLayout layout = new MdnOutputLayout(3, 2);
        assertEquals(3 * (1 + 2 * 2), layout.width());
        BitSet seen = new BitSet();
        for (int k = 0; k < 3; k++) {
            assertEquals(k, layout.alphaIndex(k));
            seen.set(layout.alphaIndex(k));
            for (int l = 0; l < 2; l++) {
                assertEquals(3 + k * 2 + l, layout.muIndex(k, l));
                assertEquals(3 + 6 + k * 2 + l, layout.sigmaIndex(k, l));
                seen.set(layout.muIndex(k, l));
                seen.set(layout.sigmaIndex(k, l));
            }
        }
        assertEquals(layout.width(), seen.cardinality());
        assertEquals(layout.width(), seen.nextClearBit(0));
    }

    @Test
    void sigmaIsFlooredSmoothAndInvertible() {
        double floor = 1e-3;
        assertEquals(floor, MdnOutputLayout.sigma(-800, floor), 0);
        assertEquals(floor + Math.log(2), MdnOutputLayout.sigma(0, floor), 1e-15);
        assertEquals(floor + 800, MdnOutputLayout.sigma(800, floor), 1e-9);
        for (double s : new double[] {0.0011, 0.05, 1, 7, 40}) {
            assertEquals(s, MdnOutputLayout.sigma(MdnOutputLayout.rawSigma(s, floor), floor), 1e-12 * s);
        }
        double h = 1e-6;
        for (double raw : new double[] {-30, -2, 0, 3, 30}) {
            double numeric = (MdnOutputLayout.sigma(raw + h, 0) - MdnOutputLayout.sigma(raw - h, 0)) / (2 * h);
            assertEquals(numeric, MdnOutputLayout.sigmaDerivative(raw), 1e-8);
        }
    }

    @Test
    void decodeReadsEveryBlockOfEveryRow() {
        MdnOutputLayout layout = new MdnOutputLayout(2, 2);
        double raw1 = MdnOutputLayout.rawSigma(0.5, 0.01);
        double raw2 = MdnOutputLayout.rawSigma(2.0, 0.01);
        double[] row0 = {0, Math.log(3), 1, 2, 3, 4, raw1, raw1, raw2, raw2};
        double[] row1 = {5, 5, -1, -2, -3, -4, raw2, raw1, raw1, raw2};
        MixtureBatch batch = layout.decode(Nd4j.createFromArray(new double[][] {row0, row1}), 0.01);
        assertEquals(2, batch.size());
        assertEquals(0.25, batch.weight(0, 0), 1e-12);
        assertEquals(0.75, batch.weight(0, 1), 1e-12);
        assertEquals(0.5, batch.weight(1, 1), 1e-12);
        assertEquals(3, batch.mean(0, 1, 0), 0);
        assertEquals(-2, batch.mean(1, 0, 1), 0);
        assertEquals(0.5, batch.sigma(0, 0, 1), 1e-12);
        assertEquals(2.0, batch.sigma(0, 1, 0), 1e-12);
        assertEquals(2.0, batch.sigma(1, 0, 0), 1e-12);
        assertEquals(0.5, batch.sigma(1, 0, 1), 1e-12);
        assertArrayEquals(new double[] {-1, -2, -3, -4}, batch.mixture(1).means(), 0, "row 1 means");
    }

    @Test
    void decodeRefusesTheWrongWidth() {
        MdnOutputLayout layout = new MdnOutputLayout(2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layout.decode(Nd4j.zeros(4, 5), 1e-3));
        assertTrue(e.getMessage().contains("[batch, 6]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MdnOutputLayout(0, 1));
    }
}
