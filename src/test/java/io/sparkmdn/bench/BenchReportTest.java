package io.sparkmdn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.bench.BenchResults.Defaults;
import io.sparkmdn.bench.BenchResults.DefaultsRun;
import io.sparkmdn.bench.BenchResults.Scaling;
import io.sparkmdn.bench.BenchResults.Throughput;
import io.sparkmdn.bench.BenchResults.TrainingRatio;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchReportTest {

    @Test
    void exponentIsTheLogLogSlope() {
        List<Long> rows = List.of(1_000L, 10_000L, 100_000L);
        assertEquals(1.0, Benchmarks.exponent(rows, List.of(0.5, 5.0, 50.0)), 1e-12);
        assertEquals(0.5, Benchmarks.exponent(rows, List.of(1.0, Math.sqrt(10), 10.0)), 1e-12);
        assertEquals(2.0, Benchmarks.median(List.of(5.0, 1.0, 2.0)), 0);
        assertEquals(2.5, Benchmarks.median(new double[] {4, 1, 2, 3}), 0);
    }

    @Test
    void reportMarksEachTargetMetOrNot() {
        BenchResults r = new BenchResults();
        r.startedAt = "now";
        r.machine = "test";
        r.ratios.add(new TrainingRatio(256, 20, 1.2, 0.01));
        r.ratios.add(new TrainingRatio(1024, 20, 0.7, 0.2));
        r.defaults = new Defaults("MdnOptions[…]", "SparkTrainOptions[…]", List.of(
                new DefaultsRun("seed", 200_000, 50_000, -1.78, -1.82, 0.04, 0.01, 18, 23, "early stop", 95.0),
                new DefaultsRun("skewed", 200_000, 50_000, -0.40, -0.47, 0.07, 0.03, 60, 60, "maximum", 190.0)));
        r.throughput.add(new Throughput("generate", 1_000_000, 2.0, 1.9));
        r.scaling.add(new Scaling("sample", List.of(1L, 10L, 100L), List.of(1.0, 20.0, 200.0), 1.15));
        String md = BenchReport.markdown(r, "## History\n| a | b |");
        assertTrue(md.contains("(batch 256, averaging 20) | 1.20× | yes |"), md);
        assertTrue(md.contains("(batch 1024, averaging 20) | 0.70× | **no** |"), md);
        assertTrue(md.contains("| +0.200 | **no** |"), md);
        assertTrue(md.contains("| gap 0.040, KS 0.010, 95 s | yes |"), md);
        assertTrue(md.contains("| gap 0.070, KS 0.030, 190 s | **no** |"), md);
        assertTrue(md.contains("Network MdnOptions[…] (d_x, d_y from the data); training SparkTrainOptions[…]."),
                md);
        assertTrue(md.contains("| seed | 200,000 | 50,000 | -1.7800 | -1.8200 | 0.0400 | 0.0100 | 18 | 23 "
                + "| early stop | 95.0 | yes |"), md);
        assertTrue(md.contains("| 60 | 60 | maximum | 190.0 | **no** (gap, PIT KS, time) |"), md);
        assertTrue(md.contains("(1,000,000 rows) | 0.95× | yes |"), md);
        assertTrue(md.contains("(two largest sizes) | b = 1.000 (all sizes: 1.150) | yes |"), md);
        assertTrue(md.endsWith("## History\n| a | b |\n"), md);
    }
}
