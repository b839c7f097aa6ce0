package io.sparkmdn.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Everything one benchmark run measured, in the shape of the JSON report. */
public final class BenchResults {

    /** One training configuration: per-epoch samples/s and test NLL. */
    public record TrainingRun(String trainer, int batchSize, int averagingFrequency, int epochs,
                              List<Double> samplesPerSecond, List<Double> testNll, double steadySamplesPerSecond) {
    }

    /** One training comparison at a batch size: Spark local[2] against one JVM. */
    public record TrainingRatio(int batchSize, int averagingFrequency, double speedRatio, double nllGap) {
    }

    /**
     * Every built-in kind trained with the defaults, no flags at all: {@code network} and {@code training} are the
     * defaults as they were in this run (the trainer replaces the network's dimensions by the data's).
     */
    public record Defaults(String network, String training, List<DefaultsRun> kinds) {
    }

    /**
     * One kind trained with the defaults, evaluated on fresh rows against its true density; {@code keptEpoch} is
     * the epoch whose model was kept, {@code seconds} the wall time of the train call alone.
     */
    public record DefaultsRun(String kind, long trainRows, long testRows, double testNll, double bayesLimitNll,
                              double gap, double pitKs, int keptEpoch, int epochs, String stopReason,
                              double seconds) {
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

    /**
     * One whole training process on the peer comparison's rows: per-epoch samples/s (gradient steps only) and
     * test NLL, the wall time from start to model saved, and the process's own phases (seconds).
     */
    public record PeerRun(String network, String runner, long trainRows, List<Double> samplesPerSecond,
                          List<Double> testNll, double wallSeconds, Map<String, Double> phases) {
        /** Median samples/s of the epochs after the first. */
        public double steadySamplesPerSecond() {
            return Benchmarks.median(samplesPerSecond.subList(Math.min(1, samplesPerSecond.size() - 1),
                    samplesPerSecond.size()));
        }

        public double finalTestNll() {
            return testNll.get(testNll.size() - 1);
        }

        public double bestTestNll() {
            return testNll.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }
    }

    /**
     * Ours against PyTorch for one network, medians over the repeats: steady samples/s ratio and whole-run wall
     * ratio (ours / theirs), and test NLL gaps (ours − theirs; positive = ours worse) at the last and best epochs.
     */
    public record PeerComparison(String network, double speedRatio, double wallRatio, double finalNllGap,
                                 double bestNllGap) {
    }

    public final List<TrainingRun> training = new ArrayList<>();
    public final List<PeerRun> peerRuns = new ArrayList<>();
    public final List<PeerComparison> peerComparisons = new ArrayList<>();
    /** Why the PyTorch comparison did not run; null when it ran (or was not asked for). */
    public String peerSkipped;
    /** The python and torch version the comparison ran. */
    public String peerPython;
    /** The scale-out model of an averaging round, its fits, predictions and cluster check; null when not run. */
    public ScaleOutBenchmark.ScaleOutResult scaleOut;
    /** The scaling section: time to a good model as the workers grow. */
    public TimeToFitBenchmark.Result timeToFit;
    public CalibrationBenchmark.Result calibration;
    /** Its plot's file name beside the report. */
    public String timeToFitPlot;
    public final List<TrainingRatio> ratios = new ArrayList<>();
    public Defaults defaults;
    public final List<Throughput> throughput = new ArrayList<>();
    public final List<Scaling> scaling = new ArrayList<>();
    public String machine;
    public String startedAt;
    public double wallSeconds;
}
