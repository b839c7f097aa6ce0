package io.sparkmdn.bench;

import io.sparkmdn.bench.ScaleOutModel.NetworkCost;
import io.sparkmdn.bench.ScaleOutModel.Observation;
import io.sparkmdn.bench.ScaleOutModel.Prediction;
import io.sparkmdn.data.SeedToy;
import io.sparkmdn.train.EpochStats;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.model.TrainingSummary;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.nn.Updater;
import io.sparkmdn.spark.GenerateOptions;
import io.sparkmdn.spark.Generator;
import io.sparkmdn.spark.SparkTrainer;
import io.sparkmdn.train.SparkTrainOptions;
import io.sparkmdn.train.TrainOptions;
import io.sparkmdn.util.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.activations.Activation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scale-out: a {@link ScaleOutModel} of one parameter-averaging round, fitted twice — to epochs measured in one
 * JVM (the bench's local[2] session) and to epochs measured on separate executor JVMs (a standalone cluster of two
 * executors on loopback) — the second checked on a cluster epoch it was not fitted to and used to predict more
 * executors.
 *
 * <ol>
 *   <li><b>One JVM (local[2]).</b> For two networks ({@link #DEFAULT}, {@link #TINY}), workers {@link #WORKERS}
 *   and averaging frequencies ({@link #STANDARD_AVERAGING}; {@link #QUICK_AVERAGING} in a quick run), trains the
 *   seed toy for {@code epochs} epochs at a constant learning rate without early stopping, and keeps the median
 *   gradient-step seconds of the epochs after the first (the first one warms the JIT), with the rounds and
 *   batches per round the trainer plans for the rows it trained on. {@link ScaleOutModel#fit} fits all the
 *   constants to them: a compute cost c per network, f0, f1 and f2.</li>
 *   <li><b>Separate executor JVMs (loopback cluster).</b> Starts {@code jobs/cluster.sh start --workers 2 --cores
 *   1 --memory 3g} once (its state in the scratch folder, on free ports) and submits {@code jobs/submit.sh train}
 *   ({@code epochs} epochs, no early stopping, constant rate) for each run of {@link #clusterPlan}: both networks
 *   on 2 workers at the two averaging frequencies of {@code clusterAveraging}, the default network on 1 worker at
 *   the smaller one — five epochs to fit — and the default network on 2 workers at {@code holdOutAveraging}, held
 *   out. A round's fixed cost there (Spark scheduling across JVMs, broadcast and gathering through the network
 *   stack) is several times the one in one JVM, so the one-JVM model cannot predict it. Five epochs cannot
 *   over-determine all five constants (c for two networks, f0, f1, f2: the fit would go through every point and
 *   leave no residual to judge it by), so the cluster model keeps c from the one-JVM fit — compute per row on one
 *   core is the same in either — and fits f0, f1 and f2 alone ({@link ScaleOutModel#fitFixedCost}): 3 unknowns
 *   from 5 epochs.</li>
 *   <li><b>Hold-out check.</b> Compares the held-out cluster epoch with the cluster model's epoch for the same plan
 *   (target: within {@link #TARGET_CLUSTER_ERROR}); the one-JVM model's is shown beside it.</li>
 *   <li><b>Predictions</b> for {@link #PREDICTED_WORKERS} executors (weak scaling: each holds as many rows as each
 *   of two workers here) at the default averaging frequency come from the cluster model, the one with a network
 *   between executors, with the efficiency and the smallest averaging frequency that keeps
 *   {@link #TARGET_EFFICIENCY}; the one-JVM model's are shown beside them.</li>
 * </ol>
 *
 * <p>The cluster is stopped and the scratch folder emptied whatever happens. A failure is reported in the result
 * ({@link ScaleOutResult#fitFailed}, {@link ScaleOutResult#clusterFitFailed},
 * {@link ScaleOutResult#clusterSkipped}), not thrown, so the measurements are kept.
 *
 * <p>Create it with {@link #standard} or {@link #quick}, call {@link #run()}, then {@link #markdown(ScaleOutResult)}
 * for the report's section and {@link #targets(ScaleOutResult)} for its rows of the targets table. Run from the
 * repository root (the cluster needs {@code jobs/}).
 */
public final class ScaleOutBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(ScaleOutBenchmark.class);

    /** Training rows of the standard run (10% more are generated and held out for the test NLL). */
    public static final int STANDARD_TRAIN_ROWS = 200_000;
    /** Training rows of a quick smoke run. */
    public static final int QUICK_TRAIN_ROWS = 4_000;
    /** Epochs per configuration: the first warms up, the rest are measured. */
    public static final int EPOCHS = 2;

    static final List<Integer> WORKERS = List.of(1, 2);
    /** Averaging frequencies of the standard run. */
    public static final List<Integer> STANDARD_AVERAGING = List.of(10, 25, 50, 100);
    /**
     * Averaging frequencies of a quick run: on {@value #QUICK_TRAIN_ROWS} rows the standard ones all make one round
     * of the same batches, which cannot tell compute from fixed cost.
     */
    public static final List<Integer> QUICK_AVERAGING = List.of(1, 2, 5, 10);
    /** The two averaging frequencies of the standard run's cluster epochs fitted. */
    public static final List<Integer> STANDARD_CLUSTER_AVERAGING = List.of(10, 100);
    /** The averaging frequency of the standard run's held-out cluster epoch. */
    public static final int STANDARD_HOLD_OUT_AVERAGING = 50;
    /** The two averaging frequencies of a quick run's cluster epochs fitted (distinct plans on its rows). */
    public static final List<Integer> QUICK_CLUSTER_AVERAGING = List.of(1, 10);
    /** The averaging frequency of a quick run's held-out cluster epoch. */
    public static final int QUICK_HOLD_OUT_AVERAGING = 2;
    static final List<Integer> PREDICTED_WORKERS = List.of(8, 32, 128);
    static final int PREDICTED_AVERAGING = SparkTrainOptions.DEFAULT_AVERAGING_FREQUENCY;
    static final double TARGET_EFFICIENCY = 0.8;
    /** The largest |predicted / measured − 1| of the held-out cluster epoch that meets the target. */
    static final double TARGET_CLUSTER_ERROR = 0.2;
    static final int CLUSTER_WORKERS = 2;
    static final double TEST_FRACTION = 0.1;
    private static final long SEED = 7;

    /**
     * A network of the section: its options in-process and the same as flags of the train job.
     *
     * @param name        short name, the key of its compute cost in the model
     * @param description its layers, batch and optimiser as the report shows them
     * @param options     the network for {@link SparkTrainer}
     * @param batchSize   rows per minibatch
     * @param trainFlags  the same network and batch for {@code jobs/submit.sh train}
     */
    record Network(String name, String description, MdnOptions options, int batchSize, List<String> trainFlags) {
    }

    /** The default network and batch. */
    static final Network DEFAULT = new Network("default", "1→64 relu→64 relu→64 relu→K=20, batch 512, adam 0.01",
            MdnOptions.defaults(), TrainOptions.DEFAULT_BATCH_SIZE,
            List.of("--batch-size", "" + TrainOptions.DEFAULT_BATCH_SIZE));

    /** The small network of the PyTorch comparison. */
    static final Network TINY = new Network("tiny", "1→32 tanh→32 tanh→K=5, batch 256, adam 0.005",
            new MdnOptions(1, 1, 5, List.of(32, 32), Activation.TANH, 0.005, Updater.ADAM,
                    MdnOptions.DEFAULT_SIGMA_FLOOR, MdnOptions.DEFAULT_SEED, MdnOptions.DEFAULT_DATA_TYPE),
            256, List.of("--mixtures", "5", "--hidden-layers", "32,32", "--activation", "tanh", "--learning-rate",
                    "0.005", "--batch-size", "256"));

    static final List<Network> NETWORKS = List.of(DEFAULT, TINY);

    /**
     * One training run on the cluster.
     *
     * @param network            the network
     * @param workers            training workers (one per executor core)
     * @param averagingFrequency averaging frequency asked for
     * @param holdOut            true for the epoch the cluster model is checked on (not fitted)
     */
    record ClusterPlan(Network network, int workers, int averagingFrequency, boolean holdOut) {
    }

    /**
     * The cluster's runs, in the order submitted: to fit, both networks on {@value #CLUSTER_WORKERS} workers at
     * both of {@code fitAveraging} and the default network on 1 worker at the first; then the default network on
     * {@value #CLUSTER_WORKERS} workers at {@code holdOutAveraging}, held out.
     */
    static List<ClusterPlan> clusterPlan(List<Integer> fitAveraging, int holdOutAveraging) {
        List<ClusterPlan> plan = new ArrayList<>();
        for (Network network : NETWORKS) {
            for (int a : fitAveraging) {
                plan.add(new ClusterPlan(network, CLUSTER_WORKERS, a, false));
            }
        }
        plan.add(new ClusterPlan(DEFAULT, 1, fitAveraging.get(0), false));
        plan.add(new ClusterPlan(DEFAULT, CLUSTER_WORKERS, holdOutAveraging, true));
        return plan;
    }

    /**
     * One configuration trained on local[2].
     *
     * @param observation        what the model is fitted to (epoch seconds: the median of the epochs after the
     *                           first)
     * @param averagingFrequency the averaging frequency asked for (the plan's B may differ a little)
     * @param trainRows          rows trained on per epoch
     * @param epochSeconds       gradient-step seconds of every epoch
     */
    public record LocalRun(Observation observation, int averagingFrequency, long trainRows,
                           List<Double> epochSeconds) {
    }

    /**
     * One training run on the loopback cluster ({@code jobs/submit.sh train}).
     *
     * @param observation        the measured epoch and its plan (epoch seconds: the median of the epochs after the
     *                           first, from the model directory)
     * @param averagingFrequency the averaging frequency asked for
     * @param trainRows          rows trained on per epoch
     * @param epochSeconds       gradient-step seconds of every epoch
     * @param holdOut            true for the epoch held out of the cluster fit to check it
     */
    public record ClusterRun(Observation observation, int averagingFrequency, long trainRows,
                             List<Double> epochSeconds, boolean holdOut) {
    }

    /**
     * The cluster model against the held-out cluster epoch.
     *
     * @param network                    the network's name
     * @param workers                    training workers (one per executor core)
     * @param averagingFrequency         averaging frequency asked for
     * @param trainRows                  rows trained on per epoch
     * @param rounds                     R of the plan
     * @param batchesPerRound            B of the plan
     * @param epochSeconds               gradient-step seconds of every epoch, from the model directory
     * @param measuredEpochSeconds       the median of the epochs after the first
     * @param predictedEpochSeconds      the cluster model's R · round seconds for the same plan
     * @param relativeError              predicted / measured − 1
     * @param localPredictedEpochSeconds the one-JVM model's epoch for the same plan (NaN without one)
     * @param localRelativeError         its predicted / measured − 1 (NaN without one)
     * @param modelFixedSeconds          the cluster model's fixed cost of a round, F(w, P)
     * @param impliedFixedSeconds        the fixed cost per round the measurement implies with the model's compute
     *                                   per row: measured / R − B·b·c
     */
    public record ClusterCheck(String network, int workers, int averagingFrequency, long trainRows, int rounds,
                               int batchesPerRound, List<Double> epochSeconds, double measuredEpochSeconds,
                               double predictedEpochSeconds, double relativeError, double localPredictedEpochSeconds,
                               double localRelativeError, double modelFixedSeconds, double impliedFixedSeconds) {

        /** Whether the cluster model's prediction is within {@link #TARGET_CLUSTER_ERROR} of the measurement. */
        public boolean met() {
            return Math.abs(relativeError) <= TARGET_CLUSTER_ERROR;
        }
    }

    /**
     * Everything the section measured and predicted.
     *
     * @param trainRows           training rows asked for (the split's count is in each run)
     * @param epochs              epochs per configuration
     * @param networks            each network's description, by name
     * @param runs                the local[2] configurations, in the order run
     * @param model               the one-JVM model fitted to them; null when they did not determine it
     * @param fitFailed           why the one-JVM model could not be fitted; null when it was
     * @param clusterRuns         the cluster runs measured, in the order run (those before a failure when it failed)
     * @param clusterModel        the cluster model: c from {@code model}, f0, f1, f2 fitted to the cluster runs not
     *                            held out; null when not fitted
     * @param clusterFitFailed    why the cluster model could not be fitted from the cluster runs; null when it was
     *                            or when there were none
     * @param holdOut             the cluster model against the held-out cluster epoch; null when either is missing
     * @param rowsPerWorker       rows per executor in the predictions (weak scaling)
     * @param predictionAveraging averaging frequency of the predictions
     * @param targetEfficiency    the efficiency the predictions' smallest averaging frequency keeps
     * @param predictions         the cluster model's, per network and executor count (empty without it)
     * @param localPredictions    the one-JVM model's, in the same order (empty without it)
     * @param clusterSkipped      why the cluster runs did not run or failed; null when they all ran
     * @param seconds             wall time of the section
     */
    public record ScaleOutResult(int trainRows, int epochs, Map<String, String> networks, List<LocalRun> runs,
                                 ScaleOutModel model, String fitFailed, List<ClusterRun> clusterRuns,
                                 ScaleOutModel clusterModel, String clusterFitFailed, ClusterCheck holdOut,
                                 long rowsPerWorker, int predictionAveraging, double targetEfficiency,
                                 List<Prediction> predictions, List<Prediction> localPredictions,
                                 String clusterSkipped, double seconds) {
    }

    private final SparkSession spark;
    private final Path scratch;
    private final int trainRows;
    private final int epochs;
    private final List<Integer> averaging;
    private final List<Integer> clusterAveraging;
    private final int holdOutAveraging;
    private final boolean clusterCheck;

    /**
     * @param spark            the bench's session (local[2])
     * @param scratch          a folder for the generated data, the cluster's state and the model directories
     *                         (emptied afterwards)
     * @param trainRows        training rows per configuration ({@link #STANDARD_TRAIN_ROWS}, {@link #QUICK_TRAIN_ROWS})
     * @param epochs           epochs per configuration (≥ 2: the first is not measured; {@link #EPOCHS})
     * @param averaging        averaging frequencies measured on local[2] ({@link #STANDARD_AVERAGING},
     *                         {@link #QUICK_AVERAGING})
     * @param clusterAveraging the two averaging frequencies of the cluster runs fitted
     *                         ({@link #STANDARD_CLUSTER_AVERAGING}, {@link #QUICK_CLUSTER_AVERAGING})
     * @param holdOutAveraging the averaging frequency of the held-out cluster run, not one of
     *                         {@code clusterAveraging} ({@link #STANDARD_HOLD_OUT_AVERAGING},
     *                         {@link #QUICK_HOLD_OUT_AVERAGING})
     * @param clusterCheck     whether to fit and check the model on a standalone cluster
     */
    public ScaleOutBenchmark(SparkSession spark, Path scratch, int trainRows, int epochs, List<Integer> averaging,
                             List<Integer> clusterAveraging, int holdOutAveraging, boolean clusterCheck) {
        Checks.checkArgument(spark != null, "The Spark session must not be null");
        Checks.checkArgument(scratch != null, "The scratch folder must not be null");
        Checks.checkArgument(trainRows >= 100, "Invalid number of training rows: %s (must be >= 100)", trainRows);
        Checks.checkArgument(epochs >= 2, "Invalid number of epochs: %s (must be >= 2: the first is not measured)",
                epochs);
        Checks.checkArgument(averaging != null && !averaging.isEmpty(), "No averaging frequencies to measure");
        averaging.forEach(SparkTrainOptions::checkAveragingFrequency);
        Checks.checkArgument(clusterAveraging != null && clusterAveraging.size() == 2
                        && !clusterAveraging.get(0).equals(clusterAveraging.get(1)),
                "The cluster runs need two different averaging frequencies, not %s", clusterAveraging);
        clusterAveraging.forEach(SparkTrainOptions::checkAveragingFrequency);
        SparkTrainOptions.checkAveragingFrequency(holdOutAveraging);
        Checks.checkArgument(!clusterAveraging.contains(holdOutAveraging),
                "The held-out averaging frequency %s is one of the fitted ones %s", holdOutAveraging,
                clusterAveraging);
        this.spark = spark;
        this.scratch = scratch;
        this.trainRows = trainRows;
        this.epochs = epochs;
        this.averaging = List.copyOf(averaging);
        this.clusterAveraging = List.copyOf(clusterAveraging);
        this.holdOutAveraging = holdOutAveraging;
        this.clusterCheck = clusterCheck;
    }

    /** The standard run: {@value #STANDARD_TRAIN_ROWS} rows, {@value #EPOCHS} epochs, the cluster runs. */
    public static ScaleOutBenchmark standard(SparkSession spark, Path scratch) {
        return new ScaleOutBenchmark(spark, scratch, STANDARD_TRAIN_ROWS, EPOCHS, STANDARD_AVERAGING,
                STANDARD_CLUSTER_AVERAGING, STANDARD_HOLD_OUT_AVERAGING, true);
    }

    /** A smoke run: {@value #QUICK_TRAIN_ROWS} rows, {@value #EPOCHS} epochs, the cluster runs. */
    public static ScaleOutBenchmark quick(SparkSession spark, Path scratch) {
        return new ScaleOutBenchmark(spark, scratch, QUICK_TRAIN_ROWS, EPOCHS, QUICK_AVERAGING,
                QUICK_CLUSTER_AVERAGING, QUICK_HOLD_OUT_AVERAGING, true);
    }

    /** Measures on local[2] and on the cluster, fits both models, checks the cluster one and predicts. */
    public ScaleOutResult run() {
        long start = System.nanoTime();
        int rows = inputRows(trainRows);
        Dataset<Row> input = Benchmarks.asInput(spark, SeedToy.generate(1, 0, rows)).persist();
        List<LocalRun> runs = new ArrayList<>();
        try {
            input.count();
            for (Network network : NETWORKS) {
                for (int workers : WORKERS) {
                    for (int a : averaging) {
                        runs.add(local(input, network, workers, a));
                    }
                }
            }
        } finally {
            input.unpersist();
        }
        ScaleOutModel model = null;
        String fitFailed = null;
        try {
            model = ScaleOutModel.fit(runs.stream().map(LocalRun::observation).toList());
            LOG.info("scale-out model, one JVM: {}", model);
        } catch (IllegalArgumentException e) {
            // timings too noisy to fit (a quick run's): report the measurements and why
            fitFailed = e.getMessage();
            LOG.error("scale-out model (one JVM) not fitted: {}", fitFailed);
        }

        List<ClusterRun> clusterRuns = new ArrayList<>();
        String skipped = null;
        if (model == null) {
            skipped = "no compute cost per row to fit the cluster's fixed cost with (the one-JVM model is not fitted)";
        } else if (!clusterCheck) {
            skipped = "not asked for";
        } else if (!Files.isRegularFile(Path.of("jobs", "cluster.sh"))
                || !Files.isRegularFile(Path.of("jobs", "submit.sh"))) {
            skipped = "run from the repository root (no jobs/cluster.sh or jobs/submit.sh)";
        } else {
            try {
                cluster(rows, clusterRuns);
            } catch (RuntimeException e) {
                LOG.error("scale-out cluster runs failed", e);
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                skipped = "failed: " + message.lines().findFirst().orElse(e.toString());
            } finally {
                Benchmarks.deleteBelow(scratch);
            }
        }
        if (skipped != null) {
            LOG.warn("scale-out cluster runs skipped: {}", skipped);
        }
        ScaleOutModel clusterModel = null;
        String clusterFitFailed = null;
        List<Observation> fitted = clusterRuns.stream().filter(c -> !c.holdOut()).map(ClusterRun::observation)
                .toList();
        if (model != null && !fitted.isEmpty()) {
            try {
                clusterModel = ScaleOutModel.fitFixedCost(model.networks(), fitted);
                LOG.info("scale-out model, separate executor JVMs: {}", clusterModel);
            } catch (IllegalArgumentException e) {
                clusterFitFailed = e.getMessage();
                LOG.error("scale-out model (cluster) not fitted: {}", clusterFitFailed);
            }
        }
        ClusterCheck holdOut = null;
        for (ClusterRun c : clusterRuns) {
            if (c.holdOut() && clusterModel != null) {
                Network network = NETWORKS.stream().filter(n -> n.name().equals(c.observation().network()))
                        .findFirst().orElseThrow();
                holdOut = check(clusterModel, model, network, c.observation().workers(), c.averagingFrequency(),
                        c.trainRows(), c.epochSeconds());
                LOG.info("scale-out hold-out, {} network, {} workers, averaging {}: epoch {} s measured, {} s "
                                + "predicted ({})", network.name(), holdOut.workers(), holdOut.averagingFrequency(),
                        String.format("%.2f", holdOut.measuredEpochSeconds()),
                        String.format("%.2f", holdOut.predictedEpochSeconds()),
                        String.format("%+.0f%%", 100 * holdOut.relativeError()));
            }
        }

        long measuredRows = runs.get(0).trainRows();
        long rowsPerWorker = (measuredRows + CLUSTER_WORKERS - 1) / CLUSTER_WORKERS;
        List<Prediction> predictions = predictions(clusterModel, rowsPerWorker);
        List<Prediction> localPredictions = predictions(model, rowsPerWorker);
        Map<String, String> networks = new LinkedHashMap<>();
        NETWORKS.forEach(n -> networks.put(n.name(), n.description()));
        return new ScaleOutResult(trainRows, epochs, networks, runs, model, fitFailed, clusterRuns, clusterModel,
                clusterFitFailed, holdOut, rowsPerWorker, PREDICTED_AVERAGING, TARGET_EFFICIENCY, predictions,
                localPredictions, skipped, (System.nanoTime() - start) / 1e9);
    }

    /** {@code model}'s predictions per network and executor count; none without a model. */
    private static List<Prediction> predictions(ScaleOutModel model, long rowsPerWorker) {
        List<Prediction> predictions = new ArrayList<>();
        for (Network network : model == null ? List.<Network>of() : NETWORKS) {
            for (int workers : PREDICTED_WORKERS) {
                predictions.add(model.predict(network.name(), workers, PREDICTED_AVERAGING, network.batchSize(),
                        rowsPerWorker, TARGET_EFFICIENCY));
            }
        }
        return predictions;
    }

    /** Rows to generate so that {@code trainRows} remain after holding out {@link #TEST_FRACTION}. */
    static int inputRows(int trainRows) {
        return (int) Math.round(trainRows / (1 - TEST_FRACTION));
    }

    /**
     * The observation of a run of {@code network} on {@code workers} workers at {@code averaging} over
     * {@code trainRows} rows, with the trainer's plan for them; its epoch seconds the median of the epochs after the
     * first.
     */
    static Observation observation(Network network, long parameters, int workers, int averaging, long trainRows,
                                   List<Double> epochSeconds) {
        Checks.checkArgument(epochSeconds.size() >= 2, "%s epochs recorded: the first is not measured",
                epochSeconds.size());
        int rounds = ScaleOutModel.roundsPerEpoch(trainRows, network.batchSize(), workers, averaging);
        int batches = ScaleOutModel.batchesPerRound(trainRows, network.batchSize(), workers, rounds);
        double measured = Benchmarks.median(epochSeconds.subList(1, epochSeconds.size()));
        return new Observation(network.name(), parameters, workers, batches, network.batchSize(), rounds, measured);
    }

    private LocalRun local(Dataset<Row> input, Network network, int workers, int averaging) {
        List<EpochStats> history = new ArrayList<>();
        MdnModel model = SparkTrainer.train(spark, input, network.options(), new SparkTrainOptions(
                new TrainOptions(epochs, network.batchSize(), SEED), averaging, TEST_FRACTION, workers),
                history::add);
        long rows = model.training().trainRows();
        List<Double> seconds = history.stream().map(EpochStats::seconds).toList();
        Observation o = observation(network, model.network().numParams(), workers, averaging, rows, seconds);
        LOG.info("scale-out, {} network, {} workers, averaging {}: {} rounds of {} batches, epoch {} s", network.name(),
                workers, averaging, o.rounds(), o.batchesPerRound(), String.format("%.2f", o.epochSeconds()));
        return new LocalRun(o, averaging, rows, seconds);
    }

    // --- the cluster runs

    /** Starts the cluster, adds each run of the plan to {@code out} as it finishes, and stops the cluster. */
    private void cluster(int rows, List<ClusterRun> out) {
        Path state = scratch.resolve("scale-out-cluster");
        String data = scratch.resolve("scale-out-data").toString();
        Generator.write(spark, new GenerateOptions(SeedToy.INSTANCE, rows, 1, 0, data, null, false));
        int port = freePort();
        int ui = freePort();
        String master = "spark://127.0.0.1:" + port;
        try {
            String started = command(state, Duration.ofMinutes(5), List.of("jobs/cluster.sh", "start", "--workers",
                    "" + CLUSTER_WORKERS, "--cores", "1", "--memory", "3g", "--port", "" + port, "--webui-port",
                    "" + ui));
            Checks.checkState(started.contains(master), "The cluster did not report its master %s:%n%s", master,
                    started);
            List<ClusterPlan> plan = clusterPlan(clusterAveraging, holdOutAveraging);
            for (int i = 0; i < plan.size(); i++) {
                out.add(clusterRun(state, master, data, plan.get(i), i));
            }
        } finally {
            command(state, Duration.ofMinutes(2), List.of("jobs/cluster.sh", "stop"));
        }
    }

    private ClusterRun clusterRun(Path state, String master, String data, ClusterPlan plan, int index) {
        Network network = plan.network();
        String dir = scratch.resolve("scale-out-model-" + index + "-" + network.name()).toString();
        List<String> train = new ArrayList<>(List.of("jobs/submit.sh", "train", "--master", master, "--input", data,
                "--model", dir, "--epochs", "" + epochs, "--no-early-stopping", "--learning-rate-decay", "1",
                "--workers", "" + plan.workers(), "--averaging-frequency", "" + plan.averagingFrequency(),
                "--test-fraction", "" + TEST_FRACTION));
        train.addAll(network.trainFlags());
        // the first submit may build the application jar
        command(state, Duration.ofMinutes(20), train);
        MdnModel model = ModelDirectory.load(dir);
        TrainingSummary summary = model.training();
        List<EpochStats> history = summary.history();
        Checks.checkState(history.size() == epochs, "The cluster's %s run (%s workers, averaging %s) recorded %s "
                + "epochs, not %s", network.name(), plan.workers(), plan.averagingFrequency(), history.size(), epochs);
        long rows = summary.trainRows();
        List<Double> seconds = history.stream().map(EpochStats::seconds).toList();
        Observation o = observation(network, model.network().numParams(), plan.workers(), plan.averagingFrequency(),
                rows, seconds);
        LOG.info("scale-out cluster, {} network, {} workers, averaging {}{}: {} rounds of {} batches, epoch {} s",
                network.name(), plan.workers(), plan.averagingFrequency(), plan.holdOut() ? " (held out)" : "",
                o.rounds(), o.batchesPerRound(), String.format("%.2f", o.epochSeconds()));
        return new ClusterRun(o, plan.averagingFrequency(), rows, seconds, plan.holdOut());
    }

    /**
     * The cluster model's epoch (and the one-JVM model's, when there is one) for a cluster run's plan against the
     * epoch measured (the median of {@code epochSeconds} after the first).
     */
    static ClusterCheck check(ScaleOutModel cluster, ScaleOutModel local, Network network, int workers,
                              int averaging, long trainRows, List<Double> epochSeconds) {
        Observation o = observation(network, cluster.network(network.name()).parameters(), workers, averaging,
                trainRows, epochSeconds);
        double measured = o.epochSeconds();
        double predicted = cluster.epochSeconds(o);
        double localPredicted = local == null ? Double.NaN : local.epochSeconds(o);
        double compute = cluster.computeSeconds(network.name(), o.batchesPerRound(), network.batchSize());
        return new ClusterCheck(network.name(), workers, averaging, trainRows, o.rounds(), o.batchesPerRound(),
                epochSeconds, measured, predicted, predicted / measured - 1, localPredicted,
                localPredicted / measured - 1, predicted / o.rounds() - compute, measured / o.rounds() - compute);
    }

    private Path logs() {
        try {
            return Files.createDirectories(scratch.resolve("scale-out-logs"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a log folder under " + scratch, e);
        }
    }

    /**
     * Runs {@code command} from the working directory with the cluster's state in {@code state}, its output in a
     * log file; returns the output, or fails with its tail when it fails or outlasts {@code timeout} (then it and
     * the processes it started are killed).
     */
    private String command(Path state, Duration timeout, List<String> command) {
        Path log = logs().resolve(Path.of(command.get(0)).getFileName() + "-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_MDN_CLUSTER_DIR", state.toString());
        try {
            Process p = pb.start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException("Timed out after " + timeout.toMinutes() + " min: "
                        + String.join(" ", command) + "\n" + tail(log));
            }
            String out = Files.readString(log);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("Command failed (exit " + p.exitValue() + "): "
                        + String.join(" ", command) + "\n" + tail(log));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", command), e);
        }
    }

    private static String tail(Path log) throws IOException {
        String out = Files.exists(log) ? Files.readString(log) : "";
        return out.length() > 4000 ? out.substring(out.length() - 4000) : out;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port", e);
        }
    }

    // --- the report

    /**
     * The report's rows of the targets table: the held-out cluster epoch within {@link #TARGET_CLUSTER_ERROR} of the
     * cluster model, or why it could not be checked.
     */
    public static String targets(ScaleOutResult r) {
        String target = String.format("scale-out model (separate executor JVMs) within %.0f%% of a held-out "
                + "%d-executor cluster epoch", 100 * TARGET_CLUSTER_ERROR, CLUSTER_WORKERS);
        ClusterCheck c = r.holdOut();
        if (c != null) {
            return String.format("| %s (%s network, %d workers, averaging %d) | %+.0f%% | %s |%n", target, c.network(),
                    c.workers(), c.averagingFrequency(), 100 * c.relativeError(), mark(c.met()));
        }
        String why;
        if (r.clusterSkipped() != null) {
            if (r.clusterSkipped().equals("not asked for")) {
                return "";
            }
            why = r.clusterSkipped();
        } else if (r.clusterFitFailed() != null) {
            why = "not fitted: " + r.clusterFitFailed();
        } else {
            why = "no held-out epoch";
        }
        return String.format("| %s | %s | **no** |%n", target, why.replace('|', '/'));
    }

    /** The section: both fits with their observations and constants, the hold-out check and the predictions. */
    public static String markdown(ScaleOutResult r) {
        StringBuilder s = new StringBuilder();
        ScaleOutModel m = r.model();
        ScaleOutModel cm = r.clusterModel();
        s.append("\n## Scale-out: a model of one averaging round\n\n");
        s.append("A round on w workers (one core each) takes **B·b·c + F**: B minibatches of b rows per worker (B ≈ "
                + "the averaging frequency), c seconds of compute per row of the network on one core, and a fixed "
                + "cost **F = f0 + f1·w + f2·P** for scheduling, broadcasting and averaging the P parameters (with "
                + "their updater state). An epoch of N rows is R = ceil(N / (w·B·b)) rounds; efficiency = "
                + "B·b·c / (B·b·c + F), the share of a round spent on gradient steps. ");
        s.append(String.format("The model is fitted twice, by least squares of the relative error: in **one JVM "
                        + "(local[2])**, where broadcast and gathering cross no network, and on **separate executor "
                        + "JVMs (loopback cluster)**, which the predictions use. Seed toy, %,d training rows, %s, "
                        + "constant learning rate, epoch seconds = %s.%n",
                r.runs().isEmpty() ? r.trainRows() : r.runs().get(0).trainRows(), networks(r),
                r.epochs() == 2 ? "the second epoch's" : "the median of epochs 2–" + r.epochs()));

        s.append(String.format("%n### One JVM (local[2])%n%nAll constants (c per network, f0, f1, f2) fitted to %d "
                + "epochs on the bench's Spark session.%n%n", r.runs().size()));
        s.append("| network | P | workers | averaging | B | b | rounds | epoch s | model epoch s | error | "
                + "epoch s, all epochs |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (LocalRun run : r.runs()) {
            Observation o = run.observation();
            s.append(String.format("| %s | %,d | %d | %d | %d | %d | %d | %.2f | %s | %s |%n", o.network(),
                    o.parameters(), o.workers(), run.averagingFrequency(), o.batchesPerRound(), o.batchSize(),
                    o.rounds(), o.epochSeconds(), modelled(m, o), seconds(run.epochSeconds())));
        }
        if (m == null) {
            s.append("\nNot fitted: ").append(r.fitFailed()).append(".\n");
        } else {
            s.append('\n').append(constants(m, true)).append('\n');
        }

        s.append(String.format("%n### Separate executor JVMs (loopback cluster)%n%n"));
        s.append(String.format("`jobs/cluster.sh start --workers %d --cores 1 --memory 3g` (loopback, started once), "
                        + "`jobs/submit.sh train` (%d epochs, no early stopping, constant rate) per row. The compute "
                        + "per row c of each network comes from the one-JVM fit (one core computes alike in either); "
                        + "f0, f1 and f2 are fitted to the epochs marked *fit* — 3 unknowns from 5 epochs, where "
                        + "fitting c too would make 5 unknowns from 5 epochs, an exact fit with no residual to judge "
                        + "it by. The *hold-out* epoch is fitted by neither model.%n%n",
                CLUSTER_WORKERS, r.epochs()));
        if (!r.clusterRuns().isEmpty()) {
            s.append("| network | P | workers | averaging | B | b | rounds | use | epoch s | cluster model epoch s | "
                    + "error | one-JVM model epoch s | error | epoch s, all epochs |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (ClusterRun run : r.clusterRuns()) {
                Observation o = run.observation();
                s.append(String.format("| %s | %,d | %d | %d | %d | %d | %d | %s | %.2f | %s | %s | %s |%n",
                        o.network(), o.parameters(), o.workers(), run.averagingFrequency(), o.batchesPerRound(),
                        o.batchSize(), o.rounds(), run.holdOut() ? "hold-out" : "fit", o.epochSeconds(),
                        modelled(cm, o), modelled(m, o), seconds(run.epochSeconds())));
            }
        }
        if (r.clusterSkipped() != null) {
            s.append(r.clusterRuns().isEmpty() ? "" : "\n").append("Cluster runs ")
                    .append(r.clusterSkipped().startsWith("failed") ? "" : "skipped: ").append(r.clusterSkipped())
                    .append(".\n");
        }
        if (cm != null) {
            s.append('\n').append(constants(cm, false)).append('\n');
        } else if (r.clusterFitFailed() != null) {
            s.append("\nNot fitted: ").append(r.clusterFitFailed()).append(".\n");
        }

        ClusterCheck c = r.holdOut();
        if (c != null) {
            s.append(String.format("%n### Hold-out check%n%nThe held-out cluster epoch against each model's epoch for "
                            + "the same plan. Target: the cluster model within %.0f%%. The last two columns are the "
                            + "cluster model's fixed seconds per round and those the measured epoch implies with its "
                            + "compute per row (measured / R − B·b·c).%n%n", 100 * TARGET_CLUSTER_ERROR));
            s.append("| network | workers | averaging | train rows | rounds | B | measured epoch s | cluster model "
                    + "epoch s | error | met | one-JVM model epoch s | error | model F s | implied F s |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            s.append(String.format("| %s | %d | %d | %,d | %d | %d | %.2f | %.2f | %+.1f%% | %s | %s | %s | %.3f | "
                            + "%.3f |%n", c.network(), c.workers(), c.averagingFrequency(), c.trainRows(), c.rounds(),
                    c.batchesPerRound(), c.measuredEpochSeconds(), c.predictedEpochSeconds(),
                    100 * c.relativeError(), mark(c.met()), number(c.localPredictedEpochSeconds(), "%.2f"),
                    number(100 * c.localRelativeError(), "%+.1f%%"), c.modelFixedSeconds(),
                    c.impliedFixedSeconds()));
        }

        predictions(s, r);
        return s.toString();
    }

    private static void predictions(StringBuilder s, ScaleOutResult r) {
        boolean cluster = !r.predictions().isEmpty();
        List<Prediction> rows = cluster ? r.predictions() : r.localPredictions();
        if (rows.isEmpty()) {
            return;
        }
        String target = String.format("%.0f%%", 100 * r.targetEfficiency());
        s.append(String.format("%n### Predicted scale-out%n%nWeak scaling: each executor has one core, the compute "
                        + "per row measured here and %,d training rows per epoch (as each of %d workers here); "
                        + "averaging every %d batches. ", r.rowsPerWorker(), CLUSTER_WORKERS,
                r.predictionAveraging()));
        if (cluster) {
            s.append(String.format("From the cluster model (separate executor JVMs); the last three columns are the "
                    + "one-JVM model's, for comparison: it has no network between executors and is optimistic "
                    + "about the fixed cost. Samples/s = w·B·b / round s, all executors together; \"averaging for "
                    + "≥ %s\" is the smallest averaging frequency that keeps efficiency ≥ %s.%n%n", target, target));
            s.append("| network | executors | compute s / round | fixed s / round | efficiency | samples/s | "
                    + "samples/s per executor | epoch s | averaging for ≥ " + target + " | one JVM: fixed s / round | "
                    + "one JVM: efficiency | one JVM: averaging for ≥ " + target + " |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        } else {
            s.append(String.format("**From the one-JVM model only** (no cluster model: see above): it has no network "
                    + "between executors and is optimistic about the fixed cost. Samples/s = w·B·b / round s, all "
                    + "executors together; \"averaging for ≥ %s\" is the smallest averaging frequency that keeps "
                    + "efficiency ≥ %s.%n%n", target, target));
            s.append("| network | executors | compute s / round | fixed s / round | efficiency | samples/s | "
                    + "samples/s per executor | epoch s | averaging for ≥ " + target + " |\n"
                    + "|---|---|---|---|---|---|---|---|---|\n");
        }
        for (Prediction p : rows) {
            s.append(String.format("| %s | %d | %.3f | %.3f | %.0f%% | %,.0f | %,.0f | %.2f | %d |", p.network(),
                    p.workers(), p.computeSeconds(), p.fixedSeconds(), 100 * p.efficiency(), p.samplesPerSecond(),
                    p.samplesPerSecondPerWorker(), p.epochSeconds(), p.averagingForTarget()));
            if (cluster) {
                Prediction l = r.localPredictions().stream().filter(
                        x -> x.network().equals(p.network()) && x.workers() == p.workers()).findFirst().orElse(null);
                s.append(l == null ? " – | – | – |" : String.format(" %.3f | %.0f%% | %d |", l.fixedSeconds(),
                        100 * l.efficiency(), l.averagingForTarget()));
            }
            s.append('\n');
        }
    }

    /** The fitted constants, per network c and f2·P, and the fit's error. */
    private static String constants(ScaleOutModel m, boolean fittedCompute) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("Fitted: f0 = %.2f ms, f1 = %.2f ms per worker, f2 = %.3f µs per parameter",
                1e3 * m.f0(), 1e3 * m.f1(), 1e6 * m.f2()));
        for (NetworkCost n : m.networks()) {
            s.append(String.format("; %s: c = %.3f µs per row%s, f2·P = %.2f ms", n.network(),
                    1e6 * n.secondsPerSample(), fittedCompute ? "" : " (one-JVM fit)", 1e3 * m.f2() * n.parameters()));
        }
        s.append(String.format(". RMS relative error %.1f%% over %d epochs.", 100 * m.rmsRelativeError(),
                m.observations()));
        return s.toString();
    }

    /** The model's epoch and its error for an observation, as two cells; dashes without a model. */
    private static String modelled(ScaleOutModel m, Observation o) {
        if (m == null) {
            return "– | –";
        }
        double modelled = m.epochSeconds(o);
        return String.format("%.2f | %+.1f%%", modelled, 100 * (modelled / o.epochSeconds() - 1));
    }

    private static String seconds(List<Double> epochSeconds) {
        return epochSeconds.stream().map(v -> String.format("%.2f", v)).collect(Collectors.joining(", "));
    }

    private static String number(double value, String format) {
        return Double.isFinite(value) ? String.format(format, value) : "–";
    }

    private static String networks(ScaleOutResult r) {
        return r.networks().entrySet().stream().map(e -> e.getKey() + " = " + e.getValue())
                .collect(Collectors.joining("; "));
    }

    private static String mark(boolean met) {
        return met ? "yes" : "**no**";
    }
}
