package io.sparkmdn.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.math.MixtureBatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's plain records: their checks and what they compute. */
class ReportRecordsTest {

    @Test
    void densityGridHoldsTheMixtureDensityOfTheNearestX() {
        MixtureCurve curve = ReportFixtures.seedMixtures();
        double[] xs = {-1, -0.26, 0.5};
        double[] ys = {0.2, 0.5, 0.8};
        DensityGrid grid = DensityGrid.of(curve, xs, ys);
        for (int j = 0; j < ys.length; j++) {
            for (int i = 0; i < xs.length; i++) {
                double expected = Math.exp(curve.mixtures().mixture(curve.nearest(xs[i])).logDensity(new double[] {ys[j]}));
                assertEquals(expected, grid.values()[j * xs.length + i], 1e-12);
            }
        }
        assertTrue(grid.max() > 0);
    }

    @Test
    void densityGridTurnsMinusInfinityIntoZeroAndRefusesBadValues() {
        DensityGrid grid = DensityGrid.of(new double[] {0, 1}, new double[] {0, 1},
                (x, y) -> x == 0 ? Double.NEGATIVE_INFINITY : Math.log(2));
        assertArrayEquals(new double[] {0, 2, 0, 2}, grid.values(), 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> new DensityGrid(new double[] {0, 1}, new double[] {0, 1}, new double[] {0, 1, -1, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> DensityGrid.of(ReportFixtures.twinMixtures(), new double[] {0, 1}, new double[] {0, 1}));
    }

    @Test
    void mixtureCurveFindsTheNearestXAndNeedsIncreasingX() {
        MixtureCurve curve = ReportFixtures.seedMixtures();
        assertEquals(0, curve.nearest(-5));
        assertEquals(curve.size() - 1, curve.nearest(5));
        assertEquals(20, curve.nearest(0.001));
        assertEquals(21, curve.nearest(0.04));
        MixtureBatch two = MixtureBatch.concat(curve.mixtures(), curve.mixtures());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MixtureCurve(new double[] {0, 0}, new MixtureBatch(3, 1, new double[6], new double[6],
                        new double[] {1, 1, 1, 1, 1, 1})));
        assertTrue(e.getMessage().contains("must increase"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MixtureCurve(curve.x(), two));
    }

    @Test
    void sampleSetSelectsTheDrawsAtOneX() {
        SampleSet s = new SampleSet(new double[] {1, 2, 1}, new double[] {10, 11, 20, 21, 30, 31}, 2);
        SampleSet at1 = s.at(1);
        assertArrayEquals(new double[] {10, 11, 30, 31}, at1.y(), 0);
        assertArrayEquals(new double[] {10, 30}, at1.column(0), 0);
        assertEquals(2, s.distinctX());
        assertThrows(IllegalArgumentException.class, () -> new SampleSet(new double[] {1}, new double[] {1}, 2));
    }

    @Test
    void metricsParseTheEvaluateJobsJson() {
        Metrics m = Metrics.parse("{\"rows\": 10, \"nll\": -1.5, \"pit_histogram\": [0.5, 0.5], \"crps\": null, "
                + "\"bayes_limit_nll\": -1.8}", "m.json");
        assertEquals(-1.5, m.number("nll"));
        assertNull(m.number("crps"));
        assertNull(m.number("missing"));
        assertArrayEquals(new double[] {0.5, 0.5}, m.pitHistogram(), 0);
        assertEquals(List.of(Map.entry("rows scored", "10"), Map.entry("NLL, MDN (nats/point)", "-1.5000"),
                Map.entry("CRPS (mean)", "—"), Map.entry("NLL, Bayes limit (true density)", "-1.8000")), m.table());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metrics.parse("[1", "x.json"));
        assertTrue(e.getMessage().startsWith("Invalid metrics file x.json"), e.getMessage());
        assertNull(Metrics.parse("{\"pit_histogram\": [\"a\"]}", "y").pitHistogram());
    }

    @Test
    void meanCurveAndFigureCheckTheirArguments() {
        assertThrows(IllegalArgumentException.class, () -> new MeanCurve(new double[] {0, 1}, new double[] {1}, 1));
        assertArrayEquals(new double[] {2, 4}, new MeanCurve(new double[] {0, 1}, new double[] {1, 2, 3, 4}, 2)
                .column(1), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Figure("../x.png", "t", "", new java.awt.image.BufferedImage(1, 1, 1)));
        assertTrue(e.getMessage().contains("Invalid figure file name"), e.getMessage());
    }

    @Test
    void sourcesNeedAtLeastOneInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReportSources(null, " ", null, null, null, null, List.of("x"), List.of("y"), 5000, 1));
        assertTrue(e.getMessage().startsWith("Nothing to report"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ReportSources("d", null, null, null, null, null, List.of("x"), List.of("y"), 10, 1));
    }
}
