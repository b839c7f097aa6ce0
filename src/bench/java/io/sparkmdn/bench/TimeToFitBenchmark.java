package io.sparkmdn.bench;

import io.sparkmdn.data.SyntheticKind;
import io.sparkmdn.train.EpochStats;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.report.Plots;
import io.sparkmdn.spark.Columns;
import io.sparkmdn.spark.DistributedNll;
import io.sparkmdn.spark.ModelBroadcast;
import io.sparkmdn.spark.SparkTrainer;
import io.sparkmdn.train.ScaleOut;
import io.sparkmdn.train.SparkTrainOptions;
import io.sparkmdn.train.TrainOptions;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bench's {@code scaling} section: time to a good model as the workers grow, not samples per second.
 *
 * <p>The fit a cluster of W one-core executors reaches is measured exactly on this machine: W partitions per
 * averaging round, run two at a time here, are the computation W executors run at once. For each problem and W
 * the seed toy (or another built-in kind) is trained with the defaults and only {@code workers} set, and after
 * every epoch the model is scored on fresh rows against the true density: the gap to the Bayes limit per epoch.
 * Only the wall time differs from a cluster's, so it is predicted from parts measured here: the compute of one
 * minibatch on one core at each batch size (a single-JVM DL4J loop, one thread) and the fixed cost of an
 * averaging round at each W (rounds of one minibatch of about ten rows per worker in this Spark session). A round on W
 * executors then takes {@code batchesPerRound · compute(batch) + roundCost(W)}, and the time to a gap of
 * {@link #TARGET_GAP} is the rounds to the first epoch that reaches it times that. The round cost measured here
 * runs the W tasks' fixed costs two at a time, so for W above 2 it is an upper bound of a cluster's, where they run
 * in parallel: the predictions are pessimistic for many executors.
 */
public final class TimeToFitBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(TimeToFitBenchmark.class);

    /** The gap to the Bayes limit that counts as a good model. */
    static final double TARGET_GAP = 0.05;
    /** The gap every W must reach on the 200k-row problems. */
    static final double TARGET_FIT_GAP = 0.06;
    private static final long TRAIN_SEED = 31;
    private static final long TEST_SEED = 32;

    /** One problem: a built-in kind at a number of rows, trained with each of {@code workers}. */
    public record Problem(String kind, int rows, List<Integer> workers) {
    }

    /**
     * @param problems      what is trained
     * @param testRows      fresh rows each epoch's model is scored on
     * @param costBatches   batch sizes whose one-core compute is measured
     * @param costSeconds   seconds of minibatches timed per batch size
     * @param roundWorkers  workers whose round cost is measured
     * @param rounds        rounds timed per W (after one unmeasured)
     */
    public record Options(List<Problem> problems, int testRows, List<Integer> costBatches, double costSeconds,
                   List<Integer> roundWorkers, int rounds) {

        static Options standard() {
            return new Options(List.of(
                    new Problem("seed", 200_000, List.of(1, 2, 4, 8, 16, 32)),
                    new Problem("twin-circle", 200_000, List.of(2, 8, 32))),
                    50_000, List.of(64, 128, 256, 512), 4, List.of(1, 2, 8, 32, 64), 20);
        }

        /**
         * The standard problems and the seed toy at 2M rows with 2, 8, 32 and 64 workers, and 64 workers on 200k:
         * several hours on 2 cores (the schedule of 32 workers makes up to 240 passes).
         */
        static Options large() {
            Options s = standard();
            List<Problem> problems = new ArrayList<>(s.problems());
            problems.set(0, new Problem("seed", 200_000, List.of(1, 2, 4, 8, 16, 32, 64)));
            problems.add(new Problem("seed", 2_000_000, List.of(2, 8, 32, 64)));
            return new Options(problems, s.testRows(), s.costBatches(), s.costSeconds(), s.roundWorkers(),
                    s.rounds());
        }

        static Options quick() {
            return new Options(List.of(new Problem("seed", 4_000, List.of(1, 4))), 2_000, List.of(128, 512), 0.5,
                    List.of(1, 4), 3);
        }
    }

    /** The gap to the Bayes limit after one epoch, with the rounds so far and the epoch's wall time here. */
    public record Point(int epoch, long rounds, double gap, double seconds) {
    }

    /**
     * One training run.
     *
     * @param workersAsked    the workers asked for
     * @param plan            what the trainer did with them (workers, batch, rate factor, epoch scale, notes)
     * @param roundsPerEpoch  averaging rounds per epoch
     * @param batchesPerRound minibatches per worker and round (the most rows of a dealt block ÷ batch, rounded up)
     * @param keptEpoch       the epoch whose model the run kept
     * @param keptGap         its gap on the fresh rows
     * @param stopReason      why it stopped
     * @param curve           the gap after every epoch
     */
    public record Fit(String kind, int rows, int workersAsked, ScaleOut.Plan plan, int roundsPerEpoch, int batchesPerRound,
               int keptEpoch, double keptGap, String stopReason, double trainSeconds, List<Point> curve) {
    }

    /** Compute of one minibatch on one core. */
    public record Cost(int batch, double millis) {
    }

    /** The fixed cost of one averaging round with W workers in this session. */
    public record RoundCost(int workers, double millis) {
    }

    /**
     * The predicted wall time of a fit on W one-core executors to the problem's target gap, and its efficiency
     * against W₀.
     */
    public record Prediction(String kind, int rows, int workers, double targetGap, Integer targetEpoch,
                             double secondsPerRound, Double secondsToTarget, Double efficiency) {
    }

    public record Result(int testRows, List<Fit> fits, List<Cost> costs, List<RoundCost> roundCosts,
                         List<Prediction> predictions, double computeFixedMillis, double computeMicrosPerRow) {
    }

    private final SparkSession spark;
    private final Options options;

    TimeToFitBenchmark(SparkSession spark, Options options) {
        this.spark = spark;
        this.options = options;
    }

    Result run() {
        List<Cost> costs = costs();
        double[] line = Benchmarks.leastSquaresLine(costs.stream().mapToDouble(Cost::batch).toArray(),
                costs.stream().mapToDouble(Cost::millis).toArray());
        List<RoundCost> roundCosts = roundCosts();
        List<Fit> fits = new ArrayList<>();
        for (Problem p : options.problems()) {
            for (int w : p.workers()) {
                fits.add(fit(p, w));
            }
        }
        return new Result(options.testRows(), fits, costs, roundCosts, predictions(fits, line, roundCosts), line[0],
                line[1] * 1000);
    }

    /** Milliseconds of one minibatch of each batch size on one thread: DL4J's fit of the default network. */
    List<Cost> costs() {
        MultiLayerNetwork net = new MultiLayerNetwork(MdnOptions.defaults().toConfiguration());
        net.init();
        Random random = new Random(1);
        SyntheticKind seedToy = SyntheticKind.of("seed");
        List<Cost> costs = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) { // the first pass warms the JIT up
            costs.clear();
            for (int b : options.costBatches()) {
                List<DataSet> batches = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    float[] x = new float[b];
                    float[] y = new float[b];
                    double[] xr = new double[1];
                    double[] yr = new double[1];
                    for (int j = 0; j < b; j++) {
                        seedToy.row(7, random.nextInt(1 << 30), xr, yr);
                        x[j] = (float) xr[0];
                        y[j] = (float) yr[0];
                    }
                    batches.add(new DataSet(Nd4j.create(x, new long[] {b, 1}, 'c'),
                            Nd4j.create(y, new long[] {b, 1}, 'c')));
                }
                long n = 0;
                long start = System.nanoTime();
                long end = start + (long) (options.costSeconds() * 1e9 / (pass == 0 ? 4 : 1));
                while (System.nanoTime() < end) {
                    net.fit(batches.get((int) (n++ % batches.size())));
                }
                costs.add(new Cost(b, (System.nanoTime() - start) / 1e6 / n));
            }
        }
        costs.forEach(c -> LOG.info("scaling: batch {} takes {} ms per minibatch on one core", c.batch(),
                String.format("%.3f", c.millis())));
        return costs;
    }

    /**
     * The fixed cost of a round at each W: epochs of one round in which every worker fits one minibatch of about ten
     * rows, their gradient-step seconds (a median over the rounds after the first).
     */
    List<RoundCost> roundCosts() {
        List<RoundCost> out = new ArrayList<>();
        for (int w : options.roundWorkers()) {
            Dataset<Row> rows = generated("seed", w * 10 + 10, 5).persist();
            rows.count();
            List<EpochStats> epochs = new ArrayList<>();
            SparkTrainer.train(spark, rows, MdnOptions.defaults(), new SparkTrainOptions(
                    new TrainOptions(options.rounds() + 1, 1_000_000, 3), 1, 0.0, w), epochs::add);
            rows.unpersist();
            List<Double> seconds = epochs.subList(1, epochs.size()).stream().map(EpochStats::seconds).toList();
            out.add(new RoundCost(w, Benchmarks.median(seconds) * 1000));
            LOG.info("scaling: a round with {} workers costs {} ms here", w,
                    String.format("%.1f", out.get(out.size() - 1).millis()));
        }
        return out;
    }

    /** Trains problem {@code p} with the defaults on {@code workers} workers, scoring every epoch on fresh rows. */
    Fit fit(Problem p, int workers) {
        SyntheticKind kind = SyntheticKind.of(p.kind());
        Dataset<Row> train = generated(p.kind(), p.rows(), TRAIN_SEED).persist();
        Dataset<Row> test = generated(p.kind(), options.testRows(), TEST_SEED).persist();
        double bayes = bayesLimit(kind, test);
        SparkTrainOptions defaults = SparkTrainOptions.defaults();
        SparkTrainOptions settings = new SparkTrainOptions(defaults.train(), defaults.averagingFrequency(),
                defaults.testFraction(), workers, defaults.learningRateDecay(), defaults.schedule(),
                defaults.patience(), defaults.minDelta(), defaults.inputNoise(), defaults.labelNoise(),
                defaults.scaleOut());
        long trainRows = Math.round(train.count() * (1 - settings.testFraction()));
        ScaleOut.Plan plan = settings.scaleOutOrOff().plan(trainRows, workers, settings.train().batchSize());
        int rounds = SparkTrainer.roundsPerEpoch(trainRows, plan.batchSize(), plan.workers(),
                settings.averagingFrequency());
        int batchesPerRound = (int) Math.ceil((double) trainRows / rounds / plan.workers() / plan.batchSize());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Point> curve = new ArrayList<>();
        long start = System.nanoTime();
        MdnModel model = SparkTrainer.train(spark, train, MdnOptions.defaults(), settings, null, null,
                (stats, soFar, best) -> {
                    ModelBroadcast b = ModelBroadcast.of(jsc, soFar);
                    try {
                        double gap = DistributedNll.meanNll(test, b) - bayes;
                        curve.add(new Point(stats.epoch(), (long) stats.epoch() * rounds, gap, stats.seconds()));
                    } finally {
                        b.destroy();
                    }
                });
        double seconds = (System.nanoTime() - start) / 1e9;
        train.unpersist();
        test.unpersist();
        int kept = model.training().bestEpoch() == null ? model.training().epochs() : model.training().bestEpoch();
        Fit fit = new Fit(p.kind(), p.rows(), workers, plan, rounds, batchesPerRound, kept,
                curve.get(kept - 1).gap(), model.training().stopReason(), seconds, curve);
        LOG.info("scaling: {} {} rows, {} workers: gap {} at epoch {} of {}; {} s", p.kind(), p.rows(), workers,
                String.format("%.4f", fit.keptGap()), kept, curve.size(), String.format("%.0f", seconds));
        return fit;
    }

    /**
     * Per fit: seconds per round on W one-core executors, and the predicted time T to the problem's target gap —
     * {@link #TARGET_GAP}, or 0.01 above the gap W₀ finally reaches where that is higher (the seed toy at 200k rows
     * ends about 0.05 from its limit, so 0.05 would read "never" for every W) — with the efficiency
     * W₀·T(W₀) / (W·T(W)) against W₀ = 2 where the problem was run with 2 workers, else its first W.
     */
    static List<Prediction> predictions(List<Fit> fits, double[] computeLine, List<RoundCost> roundCosts) {
        List<Prediction> out = new ArrayList<>();
        for (Fit f : fits) {
            Fit ref = reference(fits, f);
            double target = Math.max(TARGET_GAP, ref.keptGap() + 0.01);
            Integer epoch = null;
            for (Point pt : f.curve()) {
                if (pt.gap() <= target) {
                    epoch = pt.epoch();
                    break;
                }
            }
            double round = f.batchesPerRound() * (computeLine[0] + computeLine[1] * f.plan().batchSize()) / 1000
                    + roundCost(roundCosts, f.plan().workers()) / 1000;
            out.add(new Prediction(f.kind(), f.rows(), f.workersAsked(), target, epoch, round,
                    epoch == null ? null : (double) f.curve().get(epoch - 1).rounds() * round, null));
        }
        List<Prediction> withEfficiency = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            Prediction p = out.get(i);
            Prediction ref = out.get(fits.indexOf(reference(fits, fits.get(i))));
            Double efficiency = p.secondsToTarget() == null || ref.secondsToTarget() == null ? null
                    : ref.workers() * ref.secondsToTarget() / (p.workers() * p.secondsToTarget());
            withEfficiency.add(new Prediction(p.kind(), p.rows(), p.workers(), p.targetGap(), p.targetEpoch(),
                    p.secondsPerRound(), p.secondsToTarget(), efficiency));
        }
        return withEfficiency;
    }

    /** W₀'s fit of {@code f}'s problem: W = 2 where it was run, else the problem's first W. */
    private static Fit reference(List<Fit> fits, Fit f) {
        List<Fit> same = fits.stream().filter(g -> g.kind().equals(f.kind()) && g.rows() == f.rows()).toList();
        return same.stream().filter(g -> g.workersAsked() == 2).findFirst().orElse(same.get(0));
    }

    /** The report's rows of the targets table. */
    static String targets(Result r) {
        StringBuilder s = new StringBuilder();
        for (Fit f : r.fits()) {
            boolean capped = f.curve().size() >= SparkTrainOptions.defaults().stretched(f.plan().epochScale())
                    .train().epochs();
            s.append(String.format("| scaling, %s %,d rows, W = %d: gap ≤ %.2f, not stopped by the epoch cap | "
                            + "%.4f, %d epochs | %s |%n", f.kind(), f.rows(), f.workersAsked(), TARGET_FIT_GAP,
                    f.keptGap(), f.curve().size(), BenchReport.mark(f.keptGap() <= TARGET_FIT_GAP && !capped)));
        }
        for (Prediction p : r.predictions()) {
            Double target = p.workers() == 8 ? Double.valueOf(0.8) : p.workers() == 32 ? Double.valueOf(0.5) : null;
            if (target != null) {
                s.append(String.format("| scaling, %s %,d rows: predicted efficiency to a gap of %.3f at W = %d ≥ "
                                + "%.0f%% of W = 2 | %s | %s |%n", p.kind(), p.rows(), p.targetGap(), p.workers(),
                        100 * target, p.efficiency() == null ? "–" : String.format("%.0f%%", 100 * p.efficiency()),
                        BenchReport.mark(p.efficiency() != null && p.efficiency() >= target)));
            }
        }
        return s.toString();
    }

    /** The round cost at {@code workers}, linear between the measured W (and beyond the last two). */
    static double roundCost(List<RoundCost> costs, int workers) {
        RoundCost lo = costs.get(0);
        RoundCost hi = costs.get(costs.size() - 1);
        for (int i = 0; i + 1 < costs.size(); i++) {
            if (workers <= costs.get(i + 1).workers() || i + 2 == costs.size()) {
                lo = costs.get(i);
                hi = costs.get(i + 1);
                break;
            }
        }
        if (costs.size() == 1 || hi.workers() == lo.workers()) {
            return lo.millis();
        }
        double t = (double) (workers - lo.workers()) / (hi.workers() - lo.workers());
        return Math.max(0, lo.millis() + t * (hi.millis() - lo.millis()));
    }

    private Dataset<Row> generated(String kindName, int rows, long seed) {
        return Benchmarks.generated(spark, SyntheticKind.of(kindName), rows, seed);
    }

    /** Mean −log of the true density over the rows: the best NLL any model can reach on them. */
    private static double bayesLimit(SyntheticKind kind, Dataset<Row> rows) {
        List<Row> all = rows.collectAsList();
        double sum = 0;
        double[] x = new double[kind.inputDim()];
        double[] y = new double[kind.outputDim()];
        for (Row r : all) {
            Columns.copyDoubles(r, 0, x, 0);
            Columns.copyDoubles(r, 1, y, 0);
            sum -= kind.trueLogDensity(x, y);
        }
        return sum / all.size();
    }

    /** NLL gap against predicted seconds on W executors, one line per W, for each problem; written as PNG. */
    static void writePlot(Result r, Path file) {
        Map<String, Map<String, double[][]>> byProblem = new LinkedHashMap<>();
        for (int i = 0; i < r.fits().size(); i++) {
            Fit f = r.fits().get(i);
            double perRound = r.predictions().get(i).secondsPerRound();
            double[][] xy = new double[2][f.curve().size()];
            for (int e = 0; e < f.curve().size(); e++) {
                xy[0][e] = f.curve().get(e).rounds() * perRound;
                xy[1][e] = Math.max(1e-3, f.curve().get(e).gap());
            }
            byProblem.computeIfAbsent(f.kind() + ", " + String.format("%,d", f.rows()) + " rows",
                    k -> new LinkedHashMap<>()).put("W = " + f.workersAsked(), xy);
        }
        try {
            BufferedImage image = Plots.timeToFit(byProblem, TARGET_GAP);
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The report's section. */
    static String markdown(Result r, String plotFile) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("%n## Scaling: time to a good model as workers grow%n%n"));
        s.append(String.format("Each run: the defaults, only `workers` set; the gap is the NLL on %,d fresh rows minus "
                + "their Bayes limit, after every epoch. Predicted time on W one-core executors = rounds × "
                + "(batches per round × compute(batch) + round cost(W)); compute(b) = %.3f ms + %.2f µs × b per "
                + "minibatch on one core (fitted to the table below), round cost measured in this session "
                + "(pessimistic above 2 workers: here the W tasks' fixed costs share 2 cores). T = the predicted "
                + "time to the problem's target gap: %.2f, or 0.01 above the gap W₀ finally reaches where that is "
                + "higher. Efficiency = W₀·T(W₀) / (W·T(W)), W₀ = 2 (else the problem's first W).%n%n",
                r.testRows(), r.computeFixedMillis(), r.computeMicrosPerRow(), TARGET_GAP));
        s.append("| problem | W | workers used | batch | rate × | epoch scale | rounds/epoch | batches/round | "
                + "epochs run | kept | gap kept | target gap | first epoch there | rounds to it | s/round predicted | "
                + "predicted s to target | efficiency | train s here |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < r.fits().size(); i++) {
            Fit f = r.fits().get(i);
            Prediction p = r.predictions().get(i);
            s.append(String.format("| %s %,d | %d | %d | %d | %.2f | %.2f | %d | %d | %d | %d | %.4f | %.3f | %s | %s | "
                            + "%.3f | %s | %s | %.0f |%n", f.kind(), f.rows(), f.workersAsked(), f.plan().workers(),
                    f.plan().batchSize(), f.plan().learningRateFactor(), f.plan().epochScale(), f.roundsPerEpoch(),
                    f.batchesPerRound(), f.curve().size(), f.keptEpoch(), f.keptGap(), p.targetGap(),
                    p.targetEpoch() == null ? "never" : p.targetEpoch().toString(),
                    p.targetEpoch() == null ? "–" : Long.toString((long) p.targetEpoch() * f.roundsPerEpoch()),
                    p.secondsPerRound(),
                    p.secondsToTarget() == null ? "–" : String.format("%.1f", p.secondsToTarget()),
                    p.efficiency() == null ? "–" : String.format("%.0f%%", 100 * p.efficiency()), f.trainSeconds()));
        }
        s.append("\n| batch | ms per minibatch, one core |\n|---|---|\n");
        r.costs().forEach(c -> s.append(String.format("| %d | %.3f |%n", c.batch(), c.millis())));
        s.append("\n| workers | round cost here, ms |\n|---|---|\n");
        r.roundCosts().forEach(c -> s.append(String.format("| %d | %.1f |%n", c.workers(), c.millis())));
        s.append("\nGap per epoch:\n\n");
        for (Fit f : r.fits()) {
            s.append(String.format("- %s %,d, W = %d: %s%n", f.kind(), f.rows(), f.workersAsked(),
                    String.join(" ", f.curve().stream().map(pt -> String.format("%.3f", pt.gap())).toList())));
        }
        if (plotFile != null) {
            s.append(String.format("%n![gap against predicted time](%s)%n", plotFile));
        }
        return s.toString();
    }
}
