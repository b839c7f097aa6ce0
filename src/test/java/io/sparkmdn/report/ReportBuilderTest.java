package io.sparkmdn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.data.SeedToy;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which figures a report gets from which inputs, and why the others are left out. */
class ReportBuilderTest {

    @Test
    void everyInputOfOneDimensionalYGivesTheSevenFigures() {
        Report report = ReportBuilder.build(ReportFixtures.seedInputs());
        assertEquals(List.of("data.png", "least-squares.png", "mdn-samples.png", "density.png", "components.png",
                "learning-curves.png", "pit.png"), files(report));
        assertEquals(List.of(), report.skipped());
        assertEquals(Plots.DENSITY_PAIR_WIDTH, figure(report, "density.png").image().getWidth(),
                "the true density stands beside the model's");
        assertTrue(figure(report, "density.png").caption().contains("'seed'"));
        assertTrue(figure(report, "data.png").caption().contains("600 of the 200,000"));
        for (Figure f : report.figures()) {
            Pictures.assertPng(f.image(), f.image().getWidth(), f.image().getHeight());
        }
    }

    @Test
    void twoDimensionalYGetsSampleScattersInsteadOfTheHeatMap() {
        Report report = ReportBuilder.build(ReportFixtures.twinInputs());
        assertEquals(List.of("data.png", "least-squares.png", "sample-slices.png", "components.png",
                "learning-curves.png", "pit.png"), files(report));
        assertEquals(1, report.skipped().size());
        assertTrue(report.skipped().get(0).startsWith("p(y|x) heat map: needs 1-D y"), report.skipped().get(0));
        Figure slices = figure(report, "sample-slices.png");
        assertEquals(2 * Plots.SLICE_PANEL_WIDTH, slices.image().getWidth());
        assertEquals(2 * Plots.SLICE_PANEL_HEIGHT, slices.image().getHeight(), "four x, two rows of panels");
    }

    @Test
    void calibrationRunsAreDrawnAsTwoPanelsOverTheRuns() {
        CalibrationRuns runs = new CalibrationRuns(0.9, List.of("2026-12-01", "2026-12-02", "2026-12-03"),
                java.util.Map.of("all rows", new double[] {0.9, 0.89, 0.84}, "side = left",
                        new double[] {0.91, Double.NaN, 0.8}),
                java.util.Map.of("all rows", new double[] {0.86, 0.85, 0.8}, "side = left",
                        new double[] {Double.NaN, Double.NaN, Double.NaN}),
                java.util.Map.of("all rows", new double[] {0.4, 0.02, 1e-9}, "side = left",
                        new double[] {0.5, Double.NaN, 0.0}));
        Report report = ReportBuilder.build(new ReportInputs(null, 0, null, null, null, null, List.of(), null, runs,
                List.of("metrics table: t"), List.of()));
        Figure f = figure(report, "calibration-runs.png");
        assertEquals(2 * ChartStyle.HEIGHT, f.image().getHeight(), "coverage above, p-values below");
    }

    @Test
    void missingInputsAreListedWithTheOptionThatGivesThem() {
        ReportInputs onlyMetrics = new ReportInputs(null, 0, null, null, null, null, List.of(),
                ReportFixtures.metrics(), null, List.of("metrics: m.json"), List.of());
        Report report = ReportBuilder.build(onlyMetrics);
        assertEquals(List.of("pit.png"), files(report));
        String skipped = String.join("\n", report.skipped());
        for (String option : List.of("--data", "--samples", "--params", "--model")) {
            assertTrue(skipped.contains(option), option + " missing from:\n" + skipped);
        }
        assertEquals(5, report.skipped().size(), skipped);
    }

    @Test
    void modelOnlyInputsGiveTheMixtureFiguresWithoutTruth() {
        MixtureCurve mixtures = ReportFixtures.seedMixtures();
        ReportInputs in = new ReportInputs(null, 0, null, null, mixtures, null, ReportFixtures.history(), null,
                null, List.of(), List.of("least-squares curve: a note from the collector"));
        Report report = ReportBuilder.build(in);
        assertEquals(List.of("density.png", "components.png", "learning-curves.png"), files(report));
        assertEquals(ChartStyle.WIDTH, figure(report, "density.png").image().getWidth(), "no truth to stand beside");
        assertEquals("least-squares curve: a note from the collector", report.skipped().get(0));
    }

    @Test
    void bayesLimitComesFromTheMetricsElseFromTheTrueDensityOnTheData() {
        ReportInputs all = ReportFixtures.seedInputs();
        assertEquals(-1.823, ReportBuilder.bayesLimit(all), 0);
        Map<String, Object> values = new LinkedHashMap<>(all.metrics().values());
        values.put(Metrics.BAYES_LIMIT, null);
        ReportInputs unknownInMetrics = new ReportInputs(all.data(), all.dataRows(), SeedToy.INSTANCE, null, null,
                null, all.history(), new Metrics(values), null, List.of(), List.of());
        // the seed toy's Bayes limit is −1.82 nats; 600 rows estimate it to a few hundredths
        assertEquals(-1.82, ReportBuilder.bayesLimit(unknownInMetrics), 0.1);
        ReportInputs noTruth = new ReportInputs(all.data(), all.dataRows(), null, null, null, null, all.history(),
                null, null, List.of(), List.of());
        assertNull(ReportBuilder.bayesLimit(noTruth));
    }

    @Test
    void slicesAreDistinctXSpreadOverTheRange() {
        SampleSet samples = ReportFixtures.samplesOf(ReportFixtures.twinMixtures());
        double[] xs = ReportBuilder.sliceXs(samples);
        assertEquals(ReportBuilder.SLICES, xs.length);
        assertEquals(xs.length, Arrays.stream(xs).distinct().count());
        for (int i = 1; i < xs.length; i++) {
            assertTrue(xs[i] > xs[i - 1]);
        }
        assertTrue(xs[0] >= -0.85 && xs[0] < -0.7 && xs[3] <= 0.85 && xs[3] > 0.7, Arrays.toString(xs));
        SampleSet one = samples.at(samples.x()[0]);
        assertEquals(1, ReportBuilder.sliceXs(one).length);
        assertNotNull(one);
    }

    private static List<String> files(Report report) {
        return report.figures().stream().map(Figure::file).toList();
    }

    private static Figure figure(Report report, String file) {
        return report.figures().stream().filter(f -> f.file().equals(file)).findFirst().orElseThrow();
    }
}
