package io.sparkmdn.report;

import static io.sparkmdn.report.Pictures.assertPng;
import static io.sparkmdn.report.Pictures.count;
import static io.sparkmdn.report.Pictures.differing;
import static io.sparkmdn.report.Pictures.onWhite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.data.SeedToy;
import io.sparkmdn.data.XYData;
import io.sparkmdn.train.EpochStats;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every figure drawn from small fixtures: a valid PNG of the documented size that shows what it should. */
class PlotsTest {

    private static final int W = ChartStyle.WIDTH;
    private static final int H = ChartStyle.HEIGHT;
    /** Viridis at its top (the highest densities) and bottom (zero density). */
    private static final Color VIRIDIS_TOP = new Color(0xFDE725);
    private static final Color VIRIDIS_BOTTOM = new Color(0x440154);

    @Test
    void dataScatterShowsTheRowsInGrey() {
        BufferedImage image = assertPng(Plots.data(ReportFixtures.seedData(), 200_000), W, H);
        assertTrue(count(image, onWhite(ChartStyle.DATA, Plots.DATA_ALONE_ALPHA), 20) > 1000, "grey data dots");
        assertEquals(0, count(image, ChartStyle.SAMPLES, 20), "no sample colour");
    }

    @Test
    void dataOfTwoDimensionalYIsColouredByXBins() {
        BufferedImage image = assertPng(Plots.data(ReportFixtures.twinData(), ReportFixtures.ROWS), W, H);
        for (int b = 0; b < Plots.X_BINS; b++) {
            assertTrue(count(image, onWhite(ChartStyle.PALETTE[b], Plots.PLANE_ALPHA), 30) > 100,
                    "x bin " + b + " has no dots of its colour");
        }
    }

    @Test
    void leastSquaresCurveIsDrawnOverTheData() {
        MixtureCurve mixtures = ReportFixtures.seedMixtures();
        BufferedImage image = assertPng(Plots.leastSquares(ReportFixtures.seedData(),
                ReportFixtures.meanOf(mixtures)), W, H);
        assertTrue(count(image, ChartStyle.LEAST_SQUARES, 30) > 800, "a thick vermillion curve");
        assertTrue(count(image, onWhite(ChartStyle.DATA, Plots.DATA_ALPHA), 20) > 500, "grey data dots");
    }

    @Test
    void samplesAreDrawnOverTheDataAndAloneWithoutIt() {
        SampleSet samples = ReportFixtures.samplesOf(ReportFixtures.seedMixtures());
        BufferedImage over = assertPng(Plots.samples(ReportFixtures.seedData(), samples), W, H);
        BufferedImage alone = assertPng(Plots.samples(null, samples), W, H);
        Color dot = onWhite(ChartStyle.SAMPLES, Plots.SAMPLE_ALPHA);
        assertTrue(count(alone, dot, 20) > 1000, "blue sample dots");
        assertTrue(count(over, onWhite(ChartStyle.DATA, Plots.DATA_ALPHA), 20) > 500, "grey data dots");
        assertTrue(differing(over, alone) > 5000, "the data change the picture");
    }

    @Test
    void samplesOfTwoDimensionalYNeedTheSliceView() {
        SampleSet twin = ReportFixtures.samplesOf(ReportFixtures.twinMixtures());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Plots.samples(null, twin));
        assertTrue(e.getMessage().contains("sampleSlices"), e.getMessage());
    }

    @Test
    void sampleSlicesShowTwoPanelsPerRow() {
        SampleSet samples = ReportFixtures.samplesOf(ReportFixtures.twinMixtures());
        XYData data = ReportFixtures.twinData();
        BufferedImage four = assertPng(Plots.sampleSlices(data, samples, new double[] {-0.8, -0.25, 0.25, 0.8}),
                2 * Plots.SLICE_PANEL_WIDTH, 2 * Plots.SLICE_PANEL_HEIGHT);
        assertPng(Plots.sampleSlices(data, samples, new double[] {-0.5, 0, 0.5}),
                2 * Plots.SLICE_PANEL_WIDTH, 2 * Plots.SLICE_PANEL_HEIGHT);
        assertPng(Plots.sampleSlices(null, samples, new double[] {0}), Plots.SLICE_PANEL_WIDTH,
                Plots.SLICE_PANEL_HEIGHT);
        // each panel holds samples (blue) and nearby data (grey)
        for (int p = 0; p < 4; p++) {
            BufferedImage panel = four.getSubimage((p % 2) * Plots.SLICE_PANEL_WIDTH, (p / 2) * Plots.SLICE_PANEL_HEIGHT,
                    Plots.SLICE_PANEL_WIDTH, Plots.SLICE_PANEL_HEIGHT);
            assertTrue(count(panel, onWhite(ChartStyle.SAMPLES, Plots.SLICE_SAMPLE_ALPHA), 30) > 50, "samples in panel " + p);
            assertTrue(count(panel, onWhite(ChartStyle.DATA, Plots.SLICE_DATA_ALPHA), 30) > 20, "data in panel " + p);
        }
    }

    @Test
    void densityHeatMapStandsBesideTheTruth() {
        MixtureCurve curve = ReportFixtures.seedMixtures();
        double[] xs = Arrays2.linspace(-1, 1, 60);
        double[] ys = Arrays2.linspace(-0.05, 1.05, 50);
        DensityGrid model = DensityGrid.of(curve, xs, ys);
        double[] px = new double[1];
        double[] py = new double[1];
        DensityGrid truth = DensityGrid.of(xs, ys, (x, y) -> {
            px[0] = x;
            py[0] = y;
            return SeedToy.INSTANCE.trueLogDensity(px, py);
        });
        BufferedImage pair = assertPng(Plots.density(model, truth, "true"), Plots.DENSITY_PAIR_WIDTH, H);
        BufferedImage alone = assertPng(Plots.density(model, null, null), W, H);
        assertTrue(count(pair, VIRIDIS_TOP, 40) > 300, "the densest cells are yellow");
        assertTrue(count(pair, VIRIDIS_BOTTOM, 20) > 20_000, "zero density is dark purple");
        // the truth panel (right) has zero density over a larger area than the smooth model (left)
        int half = (Plots.DENSITY_PAIR_WIDTH - HeatMap.COLOR_BAR_WIDTH) / 2;
        int leftDark = count(pair.getSubimage(0, 0, half, H), VIRIDIS_BOTTOM, 10);
        int rightDark = count(pair.getSubimage(half, 0, half, H), VIRIDIS_BOTTOM, 10);
        assertTrue(rightDark > leftDark, "truth " + rightDark + " vs model " + leftDark + " dark pixels");
        assertTrue(count(alone, VIRIDIS_BOTTOM, 20) > 10_000, "model alone is drawn");
    }

    @Test
    void componentsStackThreePanelsWithOneColourPerComponent() {
        BufferedImage image = assertPng(Plots.components(ReportFixtures.seedMixtures()), W,
                3 * Plots.COMPONENT_PANEL_HEIGHT);
        for (int k = 0; k < 3; k++) {
            for (int panel = 0; panel < 3; panel++) {
                BufferedImage part = image.getSubimage(0, panel * Plots.COMPONENT_PANEL_HEIGHT, W,
                        Plots.COMPONENT_PANEL_HEIGHT);
                assertTrue(count(part, ChartStyle.PALETTE[k], 25) > 200, "component " + k + " in panel " + panel);
            }
        }
        assertEquals(0, count(image, ChartStyle.PALETTE[3], 10), "only three components");
    }

    @Test
    void componentsOfTwoDimensionalYAreDrawnToo() {
        assertPng(Plots.components(ReportFixtures.twinMixtures()), W, 3 * Plots.COMPONENT_PANEL_HEIGHT);
    }

    @Test
    void learningCurvesShowTestOnlyWhenMeasuredAndTheBayesLimitWhenKnown() {
        List<EpochStats> history = ReportFixtures.history();
        BufferedImage full = assertPng(Plots.learningCurves(history, -1.82), W, H);
        List<EpochStats> trainOnly = history.stream()
                .map(e -> new EpochStats(e.epoch(), e.trainNll(), Double.NaN, e.seconds(), e.samplesPerSecond()))
                .toList();
        BufferedImage bare = assertPng(Plots.learningCurves(trainOnly, null), W, H);
        assertTrue(count(full, ChartStyle.PALETTE[1], 30) > 300, "test curve (vermillion)");
        assertTrue(count(bare, ChartStyle.PALETTE[1], 30) < 5, "no test curve without test NLL");
        assertTrue(count(full, ChartStyle.REFERENCE, 30) > count(bare, ChartStyle.REFERENCE, 30) + 200,
                "dashed Bayes-limit line");
        assertThrows(IllegalArgumentException.class, () -> Plots.learningCurves(List.of(), null));
    }

    @Test
    void pitHistogramIsFilledUnderTheUniformLine() {
        double[] pit = ReportFixtures.metrics().pitHistogram();
        BufferedImage image = assertPng(Plots.pit(pit, 0.031), W, H);
        Color fill = new Color(0x80, 0xB8, 0xD8);
        assertTrue(count(image, fill, 30) > 100_000, "half-transparent blue bars fill most of the plot");
        assertTrue(count(image, ChartStyle.REFERENCE, 40) > 150, "uniform line");
    }
}
