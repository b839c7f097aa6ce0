package io.sparkmdn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BlockMomentumTest {

    @Test
    void twoRoundsByHand() {
        BlockMomentum bm = new BlockMomentum(0.5, 1.0);
        // round 1: Δ = (a − p) = [0.5, −1]; next = p + μΔ + (a − p)
        double[] next = bm.step(new double[] {1, 2}, new double[] {1.5, 1.0});
        assertArrayEquals(new double[] {1.75, 0.5}, next, 1e-15);
        assertArrayEquals(new double[] {0.5, -1}, bm.buffer(), 1e-15);
        // round 2 from there: Δ = 0.5·[0.5, −1] + [0.25, 0] = [0.5, −0.5]; next = [1.75, 0.5] + 0.5·Δ + [0.25, 0]
        next = bm.step(new double[] {1.75, 0.5}, new double[] {2.0, 0.5});
        assertArrayEquals(new double[] {0.5, -0.5}, bm.buffer(), 1e-15);
        assertArrayEquals(new double[] {2.25, 0.25}, next, 1e-15);
    }

    @Test
    void aSteadyChangeIsAmplifiedByOneOverOneMinusMomentum() {
        int workers = 8;
        BlockMomentum bm = new BlockMomentum(BlockMomentum.forWorkers(workers), 1.0);
        double[] p = {0};
        double[] step = null;
        for (int round = 0; round < 400; round++) {
            double[] next = bm.step(p, new double[] {p[0] + 0.01});
            step = new double[] {next[0] - p[0]};
            p = next;
        }
        // each round the workers move 0.01 from where they start; at steady state the model moves W times as far
        assertEquals(workers * 0.01, bm.buffer()[0], 1e-9);
        assertEquals(workers * 0.01, step[0], 1e-9);
    }

    @Test
    void plainAveragingIsTheIdentity() {
        assertTrue(new BlockMomentum(0, 1).isIdentity());
        assertFalse(new BlockMomentum(0.1, 1).isIdentity());
        assertFalse(new BlockMomentum(0, 0.5).isIdentity());
        assertEquals(0, BlockMomentum.forWorkers(1));
        assertEquals(0.96875, BlockMomentum.forWorkers(32));
        BlockMomentum plain = new BlockMomentum(0, 1);
        double[] averaged = {0.1 + 0.2, -3e-8, 7};
        assertArrayEquals(averaged, plain.step(new double[] {0.3, 1e-9, 6.5}, averaged), 1e-15);
    }

    @Test
    void theBufferCarriesOnWithoutChangeAndArgumentsAreChecked() {
        BlockMomentum bm = new BlockMomentum(0.5, 1);
        assertNull(bm.buffer());
        bm.step(new double[] {0}, new double[] {1}); // Δ = 1
        // no change this round: Δ = 0.5·1, and the next start is the look-ahead 0.5·Δ
        assertArrayEquals(new double[] {0.25}, bm.step(new double[] {0}, new double[] {0}), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> bm.step(new double[2], new double[2]));
        assertThrows(IllegalArgumentException.class, () -> bm.step(new double[1], new double[2]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BlockMomentum(1, 1));
        assertTrue(e.getMessage().contains("block momentum: 1.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BlockMomentum(-0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> new BlockMomentum(0.5, 0));
    }
}
