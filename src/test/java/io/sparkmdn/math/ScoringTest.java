package io.sparkmdn.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScoringTest {

    @Test
    void withoutTheModeEveryOtherAnswerIsTheSame() {
        SplittableRandom rng = new SplittableRandom(5);
        Scoring all = Scoring.defaults();
        Scoring lean = all.withoutMode();
        for (int rep = 0; rep < 20; rep++) {
            GaussianMixture m = Mixtures.random(rng, 3 + rep, 1, 2.0, () -> rng.nextDouble(0.05, 1.0));
            double[] y = {rng.nextDouble(-2, 2)};
            Scoring.Scores a = all.score(m, y);
            Scoring.Scores b = lean.score(m, y);
            assertArrayEquals(m.mode(), a.mode());
            assertNull(b.mode());
            assertArrayEquals(a.mean(), b.mean());
            assertArrayEquals(a.std(), b.std());
            assertArrayEquals(a.quantiles()[0], b.quantiles()[0]);
            assertArrayEquals(a.lower(), b.lower());
            assertArrayEquals(a.upper(), b.upper());
            assertEquals(a.logLikelihood(), b.logLikelihood());
            assertArrayEquals(a.pit(), b.pit());
            assertArrayEquals(a.crps(), b.crps());
        }
        assertNotEquals(all, lean);
        assertEquals(lean, new Scoring(Scoring.DEFAULT_LEVELS, Scoring.DEFAULT_INTERVAL, false));
    }

    @Test
    void badLevelsAndIntervalsNameTheValue() {
        assertEquals("Invalid quantile level: 1.5 (must be > 0 and < 1)", assertThrows(
                IllegalArgumentException.class, () -> new Scoring(new double[] {0.5, 1.5}, 0.9)).getMessage());
        assertEquals("Quantile levels must be strictly increasing, without repeats: 0.5 after 0.5", assertThrows(
                IllegalArgumentException.class, () -> new Scoring(new double[] {0.5, 0.5}, 0.9)).getMessage());
        assertEquals("Invalid interval: 1.0 (must be > 0 and < 1)", assertThrows(
                IllegalArgumentException.class, () -> new Scoring(new double[] {0.5}, 1.0)).getMessage());
    }
}
