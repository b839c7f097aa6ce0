package io.sparkmdn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.bench.BenchResults.Fidelity;
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
        r.fidelity = new Fidelity("demo", -1.75, -1.82, 0.07, 0.01);
        r.throughput.add(new Throughput("generate", 1_000_000, 2.0, 1.9));
        r.scaling.add(new Scaling("sample", List.of(1L, 10L, 100L), List.of(1.0, 20.0, 200.0), 1.15));
        String md = BenchReport.markdown(r, "## History\n| a | b |");
        assertTrue(md.contains("(batch 256, averaging 20) | 1.20× | yes |"), md);
        assertTrue(md.contains("(batch 1024, averaging 20) | 0.70× | **no** |"), md);
        assertTrue(md.contains("| +0.200 | **no** |"), md);
        assertTrue(md.contains("= 0.070 | yes |"), md);
        assertTrue(md.contains("(1,000,000 rows) | 0.95× | yes |"), md);
        assertTrue(md.contains("(two largest sizes) | b = 1.000 (all sizes: 1.150) | yes |"), md);
        assertTrue(md.endsWith("## History\n| a | b |\n"), md);
    }
}
