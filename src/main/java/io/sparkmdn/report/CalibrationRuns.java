package io.sparkmdn.report;

import io.sparkmdn.util.Checks;
import java.util.List;
import java.util.Map;

/**
 * Calibration run after run, from {@code evaluate --run-id}'s metrics table: per group (all rows included), one
 * value per run (NaN where the group is absent from a run), at one interval level and label dimension 0.
 *
 * @param level       the interval level the coverage is at
 * @param runs        the run ids, in order
 * @param coverage    per group, the coverage of the answers given (calibrated for a calibrated model)
 * @param rawCoverage per group, the model's own coverage where the model was calibrated (NaN elsewhere)
 * @param pitKsP      per group, the p-value of the PIT's KS test of uniformity
 */
public record CalibrationRuns(double level, List<String> runs, Map<String, double[]> coverage,
                              Map<String, double[]> rawCoverage, Map<String, double[]> pitKsP) {

    public CalibrationRuns {
        Checks.checkArgument(!runs.isEmpty(), "No runs in the metrics table");
        runs = List.copyOf(runs);
    }
}
