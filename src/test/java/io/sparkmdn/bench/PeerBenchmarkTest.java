package io.sparkmdn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.bench.BenchResults.PeerComparison;
import io.sparkmdn.bench.BenchResults.PeerRun;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerBenchmarkTest {

    @Test
    void theComparisonTakesMediansOfSteadySpeedWallAndNll() {
        List<PeerRun> ours = List.of(run(List.of(10.0, 100.0, 120.0), List.of(-1.0, -1.5, -1.4), 40),
                run(List.of(10.0, 80.0, 100.0), List.of(-1.0, -1.6, -1.5), 44));
        List<PeerRun> theirs = List.of(run(List.of(200.0, 200.0, 200.0), List.of(-1.2, -1.6, -1.7), 10),
                run(List.of(200.0, 200.0, 200.0), List.of(-1.2, -1.6, -1.7), 12));
        assertEquals(110.0, ours.get(0).steadySamplesPerSecond(), 1e-12);
        PeerComparison c = PeerBenchmark.compare("net", ours, theirs);
        assertEquals(100.0 / 200.0, c.speedRatio(), 1e-12); // medians 100 (of 110, 90) and 200
        assertEquals(42.0 / 11.0, c.wallRatio(), 1e-12);
        assertEquals(-1.45 - -1.7, c.finalNllGap(), 1e-12);
        assertEquals(-1.55 - -1.7, c.bestNllGap(), 1e-12);
    }

    private static PeerRun run(List<Double> speed, List<Double> nll, double wall) {
        return new PeerRun("net", "runner", 1000, speed, nll, wall, Map.of());
    }
}
