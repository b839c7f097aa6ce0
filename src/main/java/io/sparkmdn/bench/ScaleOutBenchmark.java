package io.sparkmdn.bench;

import io.sparkmdn.bench.ScaleOutModel.NetworkCost;
import io.sparkmdn.bench.ScaleOutModel.Observation;
import io.sparkmdn.bench.ScaleOutModel.Prediction;
import io.sparkmdn.data.SeedToy;
import io.sparkmdn.data.XYData;
import io.sparkmdn.model.EpochStats;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.model.TrainingSummary;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.nn.Updater;
import io.sparkmdn.spark.Columns;
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
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.activations.Activation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scale-out: a {@link ScaleOutModel} of one parameter-averaging round, fitted to epochs measured on the bench's
 * own Spark session (local[2]) and checked against a standalone cluster of two executors on loopback.
 *
 * <ol>
 *   <li>For two networks ({@link #DEFAULT}, {@link #TINY}), workers {@link #WORKERS} and averaging frequencies
 *   ({@link #STANDARD_AVERAGING}; {@link #QUICK_AVERAGING} in a quick run), trains the seed toy for {@code epochs} epochs at a constant learning rate without early
 *   stopping, and keeps the median gradient-step seconds of the epochs after the first (the first one warms the
 *   JIT), with the rounds and batches per round the trainer plans for the rows it trained on.</li>
 *   <li>Fits the model to those epochs and predicts {@link #PREDICTED_WORKERS} executors (weak scaling: each
 *   holds as many rows as each of two workers here) at the default averaging frequency, with the efficiency and
 *   the smallest averaging frequency that keeps {@link #TARGET_EFFICIENCY}.</li>
 *   <li>Starts {@code jobs/cluster.sh start --workers 2 --cores 1 --memory 3g} (its state in the scratch folder,
 *   on free ports), submits {@code jobs/submit.sh train} for each network on as many generated rows, and compares
 *   the epochs the model directory records with the model's; the cluster is stopped whatever happens. A failed
 *   check is reported in the result, not thrown, so the local measurements are kept.</li>
 * </ol>
 *
 * <p>Create it with {@link #standard} or {@link #quick}, call {@link #run()}, then {@link #markdown(ScaleOutResult)} for the report's section and
 * {@link #targets(ScaleOutResult)} for its rows of the targets table. Run from the repository root (the cluster
 * check needs {@code jobs/}).
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
    static final List<Integer> PREDICTED_WORKERS = List.of(8, 32, 128);
    static final int PREDICTED_AVERAGING = SparkTrainOptions.DEFAULT_AVERAGING_FREQUENCY;
    static final double TARGET_EFFICIENCY = 0.8;
    /** The largest |predicted / measured − 1| of a cluster epoch that meets the target. */
    static final double TARGET_CLUSTER_ERROR = 0.2;
    static final int CLUSTER_WORKERS = 2;
    static final int CLUSTER_AVERAGING = SparkTrainOptions.DEFAULT_AVERAGING_FREQUENCY;
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
     * The model against a training run on the standalone cluster.
     *
     * @param network               the network's name
     * @param workers               training workers (one per executor core)
     * @param averagingFrequency    averaging frequency asked for
     * @param trainRows             rows trained on per epoch
     * @param rounds                R of the plan
     * @param batchesPerRound       B of the plan
     * @param epochSeconds          gradient-step seconds of every epoch, from the model directory
     * @param measuredEpochSeconds  the median of the epochs after the first
     * @param predictedEpochSeconds the model's R · round seconds for the same plan
     * @param relativeError         predicted / measured − 1
     * @param modelFixedSeconds     the model's fixed cost of a round, F(w, P)
     * @param impliedFixedSeconds   the fixed cost per round the measurement implies if the compute per row is as
     *                              on local[2]: measured / R − B·b·c
     */
    public record ClusterCheck(String network, int workers, int averagingFrequency, long trainRows, int rounds,
                               int batchesPerRound, List<Double> epochSeconds, double measuredEpochSeconds,
                               double predictedEpochSeconds, double relativeError, double modelFixedSeconds,
                               double impliedFixedSeconds) {

        /** Whether the prediction is within {@link #TARGET_CLUSTER_ERROR} of the measurement. */
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
     * @param model               the model fitted to them; null when they did not determine it
     * @param fitFailed           why the model could not be fitted; null when it was
     * @param rowsPerWorker       rows per executor in the predictions (weak scaling)
     * @param predictionAveraging averaging frequency of the predictions
     * @param targetEfficiency    the efficiency the predictions' smallest averaging frequency keeps
     * @param predictions         per network and executor count
     * @param cluster             the cluster checks (empty when skipped or failed)
     * @param clusterSkipped      why the cluster check did not run or failed; null when it ran
     * @param seconds             wall time of the section
     */
    public record ScaleOutResult(int trainRows, int epochs, Map<String, String> networks, List<LocalRun> runs,
                                 ScaleOutModel model, String fitFailed, long rowsPerWorker, int predictionAveraging,
                                 double targetEfficiency, List<Prediction> predictions, List<ClusterCheck> cluster,
                                 String clusterSkipped, double seconds) {
    }

    private final SparkSession spark;
    private final Path scratch;
    private final int trainRows;
    private final int epochs;
    private final List<Integer> averaging;
    private final boolean clusterCheck;

    /**
     * @param spark        the bench's session (local[2])
     * @param scratch      a folder for the generated data, the cluster's state and the model directories (emptied
     *                     afterwards)
     * @param trainRows    training rows per configuration ({@link #STANDARD_TRAIN_ROWS}, {@link #QUICK_TRAIN_ROWS})
     * @param epochs       epochs per configuration (≥ 2: the first is not measured; {@link #EPOCHS})
     * @param averaging    averaging frequencies measured ({@link #STANDARD_AVERAGING}, {@link #QUICK_AVERAGING})
     * @param clusterCheck whether to check the model on a standalone cluster
     */
    public ScaleOutBenchmark(SparkSession spark, Path scratch, int trainRows, int epochs, List<Integer> averaging,
                             boolean clusterCheck) {
        Checks.checkArgument(spark != null, "The Spark session must not be null");
        Checks.checkArgument(scratch != null, "The scratch folder must not be null");
        Checks.checkArgument(trainRows >= 100, "Invalid number of training rows: %s (must be >= 100)", trainRows);
        Checks.checkArgument(epochs >= 2, "Invalid number of epochs: %s (must be >= 2: the first is not measured)",
                epochs);
        this.spark = spark;
        this.scratch = scratch;
        this.trainRows = trainRows;
        this.epochs = epochs;
        Checks.checkArgument(averaging != null && !averaging.isEmpty(), "No averaging frequencies to measure");
        averaging.forEach(SparkTrainOptions::checkAveragingFrequency);
        this.averaging = List.copyOf(averaging);
        this.clusterCheck = clusterCheck;
    }

    /** The standard run: {@value #STANDARD_TRAIN_ROWS} rows, {@value #EPOCHS} epochs, the cluster check. */
    public static ScaleOutBenchmark standard(SparkSession spark, Path scratch) {
        return new ScaleOutBenchmark(spark, scratch, STANDARD_TRAIN_ROWS, EPOCHS, STANDARD_AVERAGING, true);
    }

    /** A smoke run: {@value #QUICK_TRAIN_ROWS} rows, {@value #EPOCHS} epochs, the cluster check. */
    public static ScaleOutBenchmark quick(SparkSession spark, Path scratch) {
        return new ScaleOutBenchmark(spark, scratch, QUICK_TRAIN_ROWS, EPOCHS, QUICK_AVERAGING, true);
    }

    /** Measures on local[2], fits, predicts and checks on the cluster. */
    public ScaleOutResult run() {
        long start = System.nanoTime();
        int rows = inputRows(trainRows);
        Dataset<Row> input = asInput(SeedToy.generate(1, 0, rows)).persist();
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
            LOG.info("scale-out model: {}", model);
        } catch (IllegalArgumentException e) {
            // timings too noisy to fit (a quick run's): report the measurements and why
            fitFailed = e.getMessage();
            LOG.error("scale-out model not fitted: {}", fitFailed);
        }
        long measuredRows = runs.get(0).trainRows();
        long rowsPerWorker = (measuredRows + CLUSTER_WORKERS - 1) / CLUSTER_WORKERS;
        List<Prediction> predictions = new ArrayList<>();
        for (Network network : model == null ? List.<Network>of() : NETWORKS) {
            for (int workers : PREDICTED_WORKERS) {
                predictions.add(model.predict(network.name(), workers, PREDICTED_AVERAGING, network.batchSize(),
                        rowsPerWorker, TARGET_EFFICIENCY));
            }
        }
        List<ClusterCheck> checks = new ArrayList<>();
        String skipped = null;
        if (model == null) {
            skipped = "no model to check";
        } else if (!clusterCheck) {
            skipped = "not asked for";
        } else if (!Files.isRegularFile(Path.of("jobs", "cluster.sh"))
                || !Files.isRegularFile(Path.of("jobs", "submit.sh"))) {
            skipped = "run from the repository root (no jobs/cluster.sh or jobs/submit.sh)";
        } else {
            try {
                checks.addAll(cluster(model, rows));
            } catch (RuntimeException e) {
                LOG.error("scale-out cluster check failed", e);
                skipped = "failed: " + e.getMessage().lines().findFirst().orElse(e.toString());
                checks.clear();
            } finally {
                Benchmarks.deleteBelow(scratch);
            }
        }
        if (skipped != null) {
            LOG.warn("scale-out cluster check skipped: {}", skipped);
        }
        Map<String, String> networks = new LinkedHashMap<>();
        NETWORKS.forEach(n -> networks.put(n.name(), n.description()));
        return new ScaleOutResult(trainRows, epochs, networks, runs, model, fitFailed, rowsPerWorker,
                PREDICTED_AVERAGING, TARGET_EFFICIENCY, predictions, checks, skipped,
                (System.nanoTime() - start) / 1e9);
    }

    /** Rows to generate so that {@code trainRows} remain after holding out {@link #TEST_FRACTION}. */
    static int inputRows(int trainRows) {
        return (int) Math.round(trainRows / (1 - TEST_FRACTION));
    }

    private LocalRun local(Dataset<Row> input, Network network, int workers, int averaging) {
        List<EpochStats> history = new ArrayList<>();
        MdnModel model = SparkTrainer.train(spark, input, network.options(), new SparkTrainOptions(
                new TrainOptions(epochs, network.batchSize(), SEED), averaging, TEST_FRACTION, workers),
                history::add);
        long rows = model.training().trainRows();
        int rounds = ScaleOutModel.roundsPerEpoch(rows, network.batchSize(), workers, averaging);
        int batches = ScaleOutModel.batchesPerRound(rows, network.batchSize(), workers, rounds);
        List<Double> seconds = history.stream().map(EpochStats::seconds).toList();
        double measured = Benchmarks.median(seconds.subList(1, seconds.size()));
        Observation o = new Observation(network.name(), model.network().numParams(), workers, batches,
                network.batchSize(), rounds, measured);
        LOG.info("scale-out, {} network, {} workers, averaging {}: {} rounds of {} batches, epoch {} s", network.name(),
                workers, averaging, rounds, batches, String.format("%.2f", measured));
        return new LocalRun(o, averaging, rows, seconds);
    }

    // --- the cluster check

    private List<ClusterCheck> cluster(ScaleOutModel model, int rows) {
        Path state = scratch.resolve("scale-out-cluster");
        String data = scratch.resolve("scale-out-data").toString();
        Generator.write(spark, new GenerateOptions(SeedToy.INSTANCE, rows, 1, 0, data, null, false));
        int port = freePort();
        int ui = freePort();
        String master = "spark://127.0.0.1:" + port;
        List<ClusterCheck> checks = new ArrayList<>();
        try {
            String started = command(state, Duration.ofMinutes(5), List.of("jobs/cluster.sh", "start", "--workers",
                    "" + CLUSTER_WORKERS, "--cores", "1", "--memory", "3g", "--port", "" + port, "--webui-port",
                    "" + ui));
            Checks.checkState(started.contains(master), "The cluster did not report its master %s:%n%s", master,
                    started);
            for (Network network : NETWORKS) {
                checks.add(clusterRun(model, state, master, data, network));
            }
        } finally {
            command(state, Duration.ofMinutes(2), List.of("jobs/cluster.sh", "stop"));
        }
        return checks;
    }

    private ClusterCheck clusterRun(ScaleOutModel model, Path state, String master, String data, Network network) {
        String dir = scratch.resolve("scale-out-model-" + network.name()).toString();
        List<String> train = new ArrayList<>(List.of("jobs/submit.sh", "train", "--master", master, "--data", data,
                "--model", dir, "--epochs", "" + epochs, "--no-early-stopping", "--learning-rate-decay", "1",
                "--workers", "" + CLUSTER_WORKERS, "--averaging-frequency", "" + CLUSTER_AVERAGING,
                "--test-fraction", "" + TEST_FRACTION));
        train.addAll(network.trainFlags());
        // the first submit may build the application jar
        command(state, Duration.ofMinutes(20), train);
        TrainingSummary summary = ModelDirectory.load(dir).training();
        List<EpochStats> history = summary.history();
        Checks.checkState(history.size() == epochs, "The cluster's %s run recorded %s epochs, not %s",
                network.name(), history.size(), epochs);
        long rows = summary.trainRows();
        List<Double> seconds = history.stream().map(EpochStats::seconds).toList();
        double measured = Benchmarks.median(seconds.subList(1, seconds.size()));
        ClusterCheck check = check(model, network, rows, seconds, measured);
        LOG.info("scale-out cluster, {} network: epoch {} s measured, {} s predicted ({})", network.name(),
                String.format("%.2f", measured), String.format("%.2f", check.predictedEpochSeconds()),
                String.format("%+.0f%%", 100 * check.relativeError()));
        return check;
    }

    /** The model's epoch for the cluster run's plan against the epoch measured. */
    static ClusterCheck check(ScaleOutModel model, Network network, long trainRows, List<Double> epochSeconds,
                              double measured) {
        int rounds = ScaleOutModel.roundsPerEpoch(trainRows, network.batchSize(), CLUSTER_WORKERS, CLUSTER_AVERAGING);
        int batches = ScaleOutModel.batchesPerRound(trainRows, network.batchSize(), CLUSTER_WORKERS, rounds);
        double predicted = model.epochSeconds(network.name(), CLUSTER_WORKERS, batches, network.batchSize(), rounds);
        double compute = model.computeSeconds(network.name(), batches, network.batchSize());
        return new ClusterCheck(network.name(), CLUSTER_WORKERS, CLUSTER_AVERAGING, trainRows, rounds, batches,
                epochSeconds, measured, predicted, predicted / measured - 1, predicted / rounds - compute,
                measured / rounds - compute);
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

    private Dataset<Row> asInput(XYData data) {
        List<Row> rows = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            rows.add(RowFactory.create(new double[] {data.x()[i]}, new double[] {data.y()[i]}));
        }
        StructType schema = new StructType()
                .add(Columns.X, DataTypes.createArrayType(DataTypes.DoubleType, false), false)
                .add(Columns.Y, DataTypes.createArrayType(DataTypes.DoubleType, false), false);
        return spark.createDataFrame(rows, schema).repartition(4);
    }

    // --- the report

    /** The report's rows of the targets table: each cluster check within {@link #TARGET_CLUSTER_ERROR}. */
    public static String targets(ScaleOutResult r) {
        StringBuilder s = new StringBuilder();
        for (ClusterCheck c : r.cluster()) {
            s.append(String.format("| scale-out model: %s network's epoch on a %d-executor cluster within %.0f%% "
                            + "(averaging %d) | %+.0f%% | %s |%n", c.network(), c.workers(), 100 * TARGET_CLUSTER_ERROR,
                    c.averagingFrequency(), 100 * c.relativeError(), mark(c.met())));
        }
        if (r.clusterSkipped() != null && !r.clusterSkipped().equals("not asked for")) {
            s.append(String.format("| scale-out model within %.0f%% of a %d-executor cluster | %s | **no** |%n",
                    100 * TARGET_CLUSTER_ERROR, CLUSTER_WORKERS, r.clusterSkipped().replace('|', '/')));
        }
        return s.toString();
    }

    /** The section: observations, fitted constants, predictions and the cluster check. */
    public static String markdown(ScaleOutResult r) {
        StringBuilder s = new StringBuilder();
        ScaleOutModel m = r.model();
        s.append("\n## Scale-out: a model of one averaging round\n\n");
        s.append("A round on w workers (one core each) takes **B·b·c + F**: B minibatches of b rows per worker (B ≈ "
                + "the averaging frequency), c seconds of compute per row of the network on one core, and a fixed "
                + "cost **F = f0 + f1·w + f2·P** for scheduling, broadcasting and averaging the P parameters (with "
                + "their updater state). An epoch of N rows is R = ceil(N / (w·B·b)) rounds; efficiency = "
                + "B·b·c / (B·b·c + F), the share of a round spent on gradient steps. ");
        s.append(String.format("Fitted by least squares of the relative error to %d epochs on Spark local[2]: seed "
                        + "toy, %,d training rows, %s, constant learning rate, epoch seconds = %s.%n%n",
                r.runs().size(), r.runs().isEmpty() ? r.trainRows() : r.runs().get(0).trainRows(),
                networks(r), r.epochs() == 2 ? "the second epoch's" : "the median of epochs 2–" + r.epochs()));
        s.append("| network | P | workers | averaging | B | b | rounds | epoch s | model epoch s | error | "
                + "epoch s, all epochs |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (LocalRun run : r.runs()) {
            Observation o = run.observation();
            String model = "–";
            String error = "–";
            if (m != null) {
                double modelled = m.epochSeconds(o);
                model = String.format("%.2f", modelled);
                error = String.format("%+.1f%%", 100 * (modelled / o.epochSeconds() - 1));
            }
            s.append(String.format("| %s | %,d | %d | %d | %d | %d | %d | %.2f | %s | %s | %s |%n", o.network(),
                    o.parameters(), o.workers(), run.averagingFrequency(), o.batchesPerRound(), o.batchSize(),
                    o.rounds(), o.epochSeconds(), model, error,
                    run.epochSeconds().stream().map(v -> String.format("%.2f", v)).collect(Collectors.joining(", "))));
        }
        if (m == null) {
            s.append("\nNot fitted: ").append(r.fitFailed()).append(".\n");
            return s.toString();
        }
        s.append(String.format("%nFitted: f0 = %.2f ms, f1 = %.2f ms per worker, f2 = %.3f µs per parameter", 1e3 * m.f0(),
                1e3 * m.f1(), 1e6 * m.f2()));
        for (NetworkCost n : m.networks()) {
            s.append(String.format("; %s: c = %.3f µs per row, f2·P = %.2f ms", n.network(), 1e6 * n.secondsPerSample(),
                    1e3 * m.f2() * n.parameters()));
        }
        s.append(String.format(". RMS relative error %.1f%% over %d epochs.%n", 100 * m.rmsRelativeError(),
                m.observations()));

        s.append(String.format("%n### Predicted scale-out%n%nWeak scaling: each executor has one core, the compute "
                        + "per row measured here and %,d training rows per epoch (as each of %d workers here); "
                        + "averaging every %d batches. Samples/s = w·B·b / round s, all executors together; the last "
                        + "column is the smallest averaging frequency that keeps efficiency ≥ %.0f%%.%n%n",
                r.rowsPerWorker(), CLUSTER_WORKERS, r.predictionAveraging(), 100 * r.targetEfficiency()));
        s.append("| network | executors | compute s / round | fixed s / round | efficiency | samples/s | samples/s per "
                + "executor | epoch s | averaging for ≥ " + String.format("%.0f%%", 100 * r.targetEfficiency())
                + " |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Prediction p : r.predictions()) {
            s.append(String.format("| %s | %d | %.3f | %.3f | %.0f%% | %,.0f | %,.0f | %.2f | %d |%n", p.network(),
                    p.workers(), p.computeSeconds(), p.fixedSeconds(), 100 * p.efficiency(), p.samplesPerSecond(),
                    p.samplesPerSecondPerWorker(), p.epochSeconds(), p.averagingForTarget()));
        }
        s.append("\nf1 comes from 1 and 2 workers in one JVM, where broadcast and gathering cross no network: the "
                + "predictions for many executors are optimistic about the fixed cost until a real cluster's epochs "
                + "are fitted (the check below shows the fixed cost a round has on separate executor JVMs).\n");

        s.append(String.format("%n### Check on a %d-executor standalone cluster%n%n", CLUSTER_WORKERS));
        if (r.clusterSkipped() != null) {
            s.append("Skipped: ").append(r.clusterSkipped()).append(".\n");
            return s.toString();
        }
        s.append(String.format("`jobs/submit.sh train` (--workers %d --averaging-frequency %d, %d epochs, no early "
                        + "stopping, constant rate) on `jobs/cluster.sh start --workers %d --cores 1 --memory 3g` "
                        + "(loopback), against the model's epoch for the same plan. Target: within %.0f%%. The last "
                        + "two columns are the fixed seconds per round of the model and those the measured epoch "
                        + "implies with the compute per row of local[2] (measured / R − B·b·c).%n%n",
                CLUSTER_WORKERS, CLUSTER_AVERAGING, r.epochs(), CLUSTER_WORKERS, 100 * TARGET_CLUSTER_ERROR));
        s.append("| network | workers | averaging | train rows | rounds | B | measured epoch s | predicted epoch s | "
                + "error | met | model F s | implied F s |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (ClusterCheck c : r.cluster()) {
            s.append(String.format("| %s | %d | %d | %,d | %d | %d | %.2f | %.2f | %+.1f%% | %s | %.3f | %.3f |%n",
                    c.network(), c.workers(), c.averagingFrequency(), c.trainRows(), c.rounds(), c.batchesPerRound(),
                    c.measuredEpochSeconds(), c.predictedEpochSeconds(), 100 * c.relativeError(), mark(c.met()),
                    c.modelFixedSeconds(), c.impliedFixedSeconds()));
        }
        return s.toString();
    }

    private static String networks(ScaleOutResult r) {
        return r.networks().entrySet().stream().map(e -> e.getKey() + " = " + e.getValue())
                .collect(Collectors.joining("; "));
    }

    private static String mark(boolean met) {
        return met ? "yes" : "**no**";
    }
}
