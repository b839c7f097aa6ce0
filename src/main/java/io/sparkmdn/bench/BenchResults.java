package io.sparkmdn.bench;

import java.util.ArrayList;
import java.util.List;

/** Everything one benchmark run measured, in the shape of the JSON report. */
public final class BenchResults {

    /** One training configuration: per-epoch samples/s and test NLL. */
    public record TrainingRun(String trainer, int batchSize, int averagingFrequency, int epochs,
                              List<Double> samplesPerSecond, List<Double> testNll, double steadySamplesPerSecond) {
    }

    /** One training comparison at a batch size: Spark local[2] against one JVM. */
    public record TrainingRatio(int batchSize, int averagingFrequency, double speedRatio, double nllGap) {
    }

    /** The model after the demo's training budget, against the true density. */
    public record Fidelity(String budget, double testNll, double bayesLimitNll, double gap, double pitKs) {
    }

    /** One write of {@code rows} rows: the job against a plain Spark job writing as many random doubles. */
    public record Throughput(String job, long rows, double seconds, double plainSeconds) {
        public double rowsPerSecond() {
            return rows / seconds;
        }

        public double ratioToPlain() {
            return plainSeconds / seconds;
        }
    }

    /**
     * Exponent b of time ∝ rows^b: fitted over all (rows, seconds) points, and between the two largest sizes,
     * where the fixed cost of starting Spark jobs no longer dominates.
     */
    public record Scaling(String job, List<Long> rows, List<Double> seconds, double exponent) {
        public double tailExponent() {
            int n = rows.size();
            return Math.log(seconds.get(n - 1) / seconds.get(n - 2)) / Math.log((double) rows.get(n - 1) / rows.get(n - 2));
        }
    }

    public final List<TrainingRun> training = new ArrayList<>();
    public final List<TrainingRatio> ratios = new ArrayList<>();
    public Fidelity fidelity;
    public final List<Throughput> throughput = new ArrayList<>();
    public final List<Scaling> scaling = new ArrayList<>();
    public String machine;
    public String startedAt;
    public double wallSeconds;
}
