package io.sparkmdn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkmdn.bench.BenchResults.DefaultsRun;
import io.sparkmdn.bench.BenchResults.PeerComparison;
import io.sparkmdn.bench.BenchResults.PeerRun;
import io.sparkmdn.bench.BenchResults.Scaling;
import io.sparkmdn.bench.BenchResults.Throughput;
import io.sparkmdn.bench.BenchResults.TrainingRatio;
import io.sparkmdn.bench.BenchResults.TrainingRun;
import io.sparkmdn.nn.MdnOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Writes a benchmark run as {@code NAME.json} and a readable {@code NAME.md}, each target marked met or not. */
final class BenchReport {

    static final double TARGET_SPEED_RATIO = 1.0;
    static final double TARGET_NLL_GAP = 0.05;
    static final double TARGET_BAYES_GAP = 0.05;
    static final double TARGET_PIT_KS = 0.02;
    static final double TARGET_TRAIN_SECONDS = 180;
    static final double TARGET_WRITE_RATIO = 0.9;
    static final double[] TARGET_EXPONENT = {0.9, 1.1};
    /** Steady samples/s against PyTorch's, per network of the peer comparison. */
    static final double TARGET_PEER_SPEED_TINY = 1.0;
    static final double TARGET_PEER_SPEED_DEFAULT = 1.5;
    static final double TARGET_PEER_NLL_GAP = 0.02;
    static final double TARGET_PEER_WALL_RATIO = 2.0;

    private BenchReport() {
    }

    static void write(BenchResults r, Path dir, String name, String history) {
        try {
            Files.createDirectories(dir);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(dir.resolve(name + ".json").toFile(), r);
            Files.writeString(dir.resolve(name + ".md"), markdown(r, history));
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write the report to " + dir + ": " + e.getMessage(), e);
        }
    }

    static String markdown(BenchResults r, String history) {
        StringBuilder s = new StringBuilder();
        s.append("# spark-mdn benchmark\n\n");
        s.append(String.format("Run %s on %s; %.0f s wall. Ratios are measured side by side in this run.%n%n",
                r.startedAt, r.machine, r.wallSeconds));
        s.append("## Targets\n\n| target | measured | met |\n|---|---|---|\n");
        for (TrainingRatio t : r.ratios) {
            s.append(String.format("| Spark local[2] ≥ %.1f× single-JVM samples/s (batch %d, averaging %d) | %.2f× | %s |%n",
                    TARGET_SPEED_RATIO, t.batchSize(), t.averagingFrequency(), t.speedRatio(),
                    mark(t.speedRatio() >= TARGET_SPEED_RATIO)));
            s.append(String.format("| per-epoch test NLL ≤ %.2f nats worse (batch %d, averaging %d) | %+.3f | %s |%n",
                    TARGET_NLL_GAP, t.batchSize(), t.averagingFrequency(), t.nllGap(),
                    mark(t.nllGap() <= TARGET_NLL_GAP)));
        }
        for (PeerComparison c : r.peerComparisons) {
            double speedTarget = c.network().startsWith("tiny") ? TARGET_PEER_SPEED_TINY : TARGET_PEER_SPEED_DEFAULT;
            s.append(String.format("| %s: steady samples/s ≥ %.1f× PyTorch | %.2f× | %s |%n", c.network(),
                    speedTarget, c.speedRatio(), mark(c.speedRatio() >= speedTarget)));
            s.append(String.format("| %s: test NLL ≤ %.2f nats worse than PyTorch (last epoch; best epoch) | %+.3f; "
                            + "%+.3f | %s |%n", c.network(), TARGET_PEER_NLL_GAP, c.finalNllGap(), c.bestNllGap(),
                    mark(c.finalNllGap() <= TARGET_PEER_NLL_GAP && c.bestNllGap() <= TARGET_PEER_NLL_GAP)));
            s.append(String.format("| %s: whole train.sh ≤ %.1f× the whole PyTorch script | %.2f× | %s |%n",
                    c.network(), TARGET_PEER_WALL_RATIO, c.wallRatio(), mark(c.wallRatio() <= TARGET_PEER_WALL_RATIO)));
        }
        if (r.defaults != null) {
            for (DefaultsRun d : r.defaults.kinds()) {
                s.append(String.format("| %s with the defaults: test NLL within %.2f of the Bayes limit, PIT KS < "
                                + "%.2f, trained in < %.0f s | gap %.3f, KS %.3f, %.0f s | %s |%n", d.kind(),
                        TARGET_BAYES_GAP, TARGET_PIT_KS, TARGET_TRAIN_SECONDS, d.gap(), d.pitKs(), d.seconds(),
                        mark(missed(d).isEmpty())));
            }
        }
        for (Throughput t : r.throughput) {
            s.append(String.format("| %s ≥ %.1f× the plain Parquet write (%,d rows) | %.2f× | %s |%n", t.job(),
                    TARGET_WRITE_RATIO, t.rows(), t.ratioToPlain(), mark(t.ratioToPlain() >= TARGET_WRITE_RATIO)));
        }
        if (r.scaleOut != null) {
            s.append(ScaleOutBenchmark.targets(r.scaleOut));
        }
        if (r.calibration != null) {
            s.append(CalibrationBenchmark.targets(r.calibration));
        }
        if (r.timeToFit != null) {
            s.append(TimeToFitBenchmark.targets(r.timeToFit));
        }
        for (Scaling sc : r.scaling) {
            double b = sc.tailExponent();
            boolean met = b >= TARGET_EXPONENT[0] && b <= TARGET_EXPONENT[1];
            s.append(String.format("| %s: time ∝ rows^b with b in [%.1f, %.1f] (two largest sizes) | b = %.3f "
                            + "(all sizes: %.3f) | %s |%n", sc.job(), TARGET_EXPONENT[0], TARGET_EXPONENT[1], b,
                    sc.exponent(), mark(met)));
        }

        s.append("\n## Training: single JVM vs Spark parameter averaging\n\n");
        s.append("Seed toy, the default network (").append(network(MdnOptions.defaults()))
                .append("), 4 epochs at a constant rate. Steady samples/s = median of epochs after the first.\n\n");
        s.append("| trainer | batch | averaging | steady samples/s | samples/s per epoch | test NLL per epoch |\n");
        s.append("|---|---|---|---|---|---|\n");
        for (TrainingRun t : r.training) {
            s.append(String.format("| %s | %d | %s | %.0f | %s | %s |%n", t.trainer(), t.batchSize(),
                    t.averagingFrequency() == 0 ? "–" : Integer.toString(t.averagingFrequency()),
                    t.steadySamplesPerSecond(), join(t.samplesPerSecond(), "%.0f"), join(t.testNll(), "%.3f")));
        }
        peer(r, s);
        if (r.defaults != null) {
            s.append(String.format("%n## Defaults: every built-in kind, no flags%n%nNetwork %s (d_x, d_y from the "
                            + "data); training %s. Targets: gap ≤ %.2f nats, PIT KS < %.2f, train call < %.0f s.%n%n",
                    r.defaults.network(), r.defaults.training(), TARGET_BAYES_GAP, TARGET_PIT_KS,
                    TARGET_TRAIN_SECONDS));
            s.append("| kind | rows trained | test rows | test NLL | Bayes limit | gap | PIT KS | epoch kept | epochs "
                    + "| stop reason | train s | met |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (DefaultsRun d : r.defaults.kinds()) {
                List<String> missed = missed(d);
                s.append(String.format("| %s | %,d | %,d | %.4f | %.4f | %.4f | %.4f | %d | %d | %s | %.1f | %s |%n",
                        d.kind(), d.trainRows(), d.testRows(), d.testNll(), d.bayesLimitNll(), d.gap(), d.pitKs(),
                        d.keptEpoch(), d.epochs(), d.stopReason(), d.seconds(),
                        missed.isEmpty() ? mark(true) : mark(false) + " (" + String.join(", ", missed) + ")"));
            }
        }
        s.append("\n## Generation and sampling vs a plain Parquet write\n\n");
        s.append("| job | rows | seconds | rows/s | plain write seconds | ratio |\n|---|---|---|---|---|---|\n");
        for (Throughput t : r.throughput) {
            s.append(String.format("| %s | %,d | %.2f | %,.0f | %.2f | %.2f× |%n", t.job(), t.rows(), t.seconds(),
                    t.rowsPerSecond(), t.plainSeconds(), t.ratioToPlain()));
        }
        if (r.timeToFit != null) {
            s.append(TimeToFitBenchmark.markdown(r.timeToFit, r.timeToFitPlot));
        }
        s.append("\n## Scaling with rows\n\nb over all sizes includes the fixed cost of a Spark job (about 0.2 s), which "
                + "dominates the smallest size; b between the two largest sizes is the one the target reads.\n\n"
                + "| job | rows | seconds | b (all sizes) | b (two largest) |\n|---|---|---|---|---|\n");
        for (Scaling sc : r.scaling) {
            s.append(String.format("| %s | %s | %s | %.3f | %.3f |%n", sc.job(),
                    sc.rows().stream().map(n -> String.format("%,d", n)).collect(Collectors.joining(", ")),
                    join(sc.seconds(), "%.2f"), sc.exponent(), sc.tailExponent()));
        }
        if (r.calibration != null) {
            s.append("\n").append(CalibrationBenchmark.markdown(r.calibration));
        }
        if (r.scaleOut != null) {
            s.append("\n").append(ScaleOutBenchmark.markdown(r.scaleOut));
        }
        if (history != null && !history.isBlank()) {
            s.append("\n").append(history.strip()).append("\n");
        }
        return s.toString();
    }

    /** The PyTorch comparison: ratios, each run's epochs and wall time, and where the wall time went. */
    private static void peer(BenchResults r, StringBuilder s) {
        if (r.peerSkipped == null && r.peerRuns.isEmpty()) {
            return;
        }
        s.append("\n## Against PyTorch: the same network on the same rows\n\n");
        if (r.peerSkipped != null) {
            s.append("Skipped: ").append(r.peerSkipped).append(".\n");
            return;
        }
        s.append("`jobs/train.sh --master local[2] --no-early-stopping` against `bench/pytorch_mdn.py` (")
                .append(r.peerPython).append(", 2 threads), each a whole process from start to model saved, on one ")
                .append("CSV of seed-toy rows (10% held out by each for the test NLL), after one unmeasured run of ours ")
                .append("(after a build, the first job writes `jobs/lib.sh`'s class-data archive as it exits). ")
                .append("Steady samples/s = median of ")
                .append("the epochs after the first, gradient steps only. Ratios are ours / PyTorch's, medians over ")
                .append("the repeats, which alternate who runs first.\n\n");
        s.append("| network | speed ratio | wall ratio | NLL gap, last epoch | NLL gap, best epoch |\n");
        s.append("|---|---|---|---|---|\n");
        for (PeerComparison c : r.peerComparisons) {
            s.append(String.format("| %s | %.2f× | %.2f× | %+.4f | %+.4f |%n", c.network(), c.speedRatio(),
                    c.wallRatio(), c.finalNllGap(), c.bestNllGap()));
        }
        s.append("\n| network | runner | rows trained | steady samples/s | wall s | samples/s per epoch | test NLL "
                + "per epoch |\n|---|---|---|---|---|---|---|\n");
        for (PeerRun p : r.peerRuns) {
            s.append(String.format("| %s | %s | %,d | %.0f | %.1f | %s | %s |%n", p.network(), p.runner(),
                    p.trainRows(), p.steadySamplesPerSecond(), p.wallSeconds(), join(p.samplesPerSecond(), "%.0f"),
                    join(p.testNll(), "%.3f")));
        }
        s.append("\nWhere the wall time went (seconds; ours from the job's phase log, PyTorch's from its script):\n\n");
        s.append("| network | runner | wall s | phases |\n|---|---|---|---|\n");
        for (PeerRun p : r.peerRuns) {
            s.append(String.format("| %s | %s | %.1f | %s |%n", p.network(), p.runner(), p.wallSeconds(),
                    p.phases().entrySet().stream().map(e -> String.format("%s %.2f", e.getKey(), e.getValue()))
                            .collect(Collectors.joining(", "))));
        }
    }

    private static String join(List<Double> values, String format) {
        return values.stream().map(v -> String.format(format, v)).collect(Collectors.joining(", "));
    }

    /** The defaults' targets {@code d} misses, by name. */
    private static List<String> missed(DefaultsRun d) {
        List<String> missed = new ArrayList<>();
        if (!(d.gap() <= TARGET_BAYES_GAP)) {
            missed.add("gap");
        }
        if (!(d.pitKs() < TARGET_PIT_KS)) {
            missed.add("PIT KS");
        }
        if (!(d.seconds() < TARGET_TRAIN_SECONDS)) {
            missed.add("time");
        }
        return missed;
    }

    static String mark(boolean met) {
        return met ? "yes" : "**no**";
    }


    /** A network as its layers read: 1→64 relu→64 relu→64 relu→K=20, adam 0.01. */
    static String network(MdnOptions o) {
        StringBuilder b = new StringBuilder("1");
        for (int width : o.hiddenLayers()) {
            b.append('→').append(width).append(' ').append(o.activation().name().toLowerCase(Locale.ROOT));
        }
        return b.append("→K=").append(o.mixtures()).append(", ").append(o.updater().name().toLowerCase(Locale.ROOT))
                .append(' ').append(o.learningRate()).toString();
    }
}
