package io.sparkmdn.bench;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.rand;

import io.sparkmdn.bench.BenchResults.Defaults;
import io.sparkmdn.bench.BenchResults.DefaultsRun;
import io.sparkmdn.bench.BenchResults.Scaling;
import io.sparkmdn.bench.BenchResults.Throughput;
import io.sparkmdn.bench.BenchResults.TrainingRatio;
import io.sparkmdn.bench.BenchResults.TrainingRun;
import io.sparkmdn.data.SeedToy;
import io.sparkmdn.data.SyntheticKind;
import io.sparkmdn.data.XYData;
import io.sparkmdn.train.EpochStats;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.TrainingSummary;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.spark.Columns;
import io.sparkmdn.spark.Evaluator;
import io.sparkmdn.spark.GenerateOptions;
import io.sparkmdn.spark.Generator;
import io.sparkmdn.math.Scoring;
import io.sparkmdn.spark.MixtureInference;
import io.sparkmdn.spark.MixtureScores;
import io.sparkmdn.spark.SparkTrainer;
import io.sparkmdn.spark.TableWriter;
import io.sparkmdn.local.LocalTrainer;
import io.sparkmdn.train.SparkTrainOptions;
import io.sparkmdn.train.TrainOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The measurements of {@code jobs/bench.sh}, each side by side with its reference in the same run: Spark
 * training against DL4J's single-JVM {@code fit} on the same data and model, the fit with the defaults against each
 * built-in kind's Bayes limit, generation and sampling against a plain Spark job writing as many random doubles to
 * Parquet, and wall time against rows for the scaling exponent.
 */
final class Benchmarks {

    private static final Logger LOG = LoggerFactory.getLogger(Benchmarks.class);

    private final SparkSession spark;
    private final BenchOptions options;
    private final Path scratch;

    Benchmarks(SparkSession spark, BenchOptions options, Path scratch) {
        this.spark = spark;
        this.options = options;
        this.scratch = scratch;
    }

    /** Training: single JVM vs Spark local[2] at each batch size, then an averaging-frequency sweep. */
    void training(BenchResults results) {
        XYData train = SeedToy.generate(1, 0, options.trainRows());
        XYData test = SeedToy.generate(1, 10_000_000, options.testRows());
        Dataset<Row> sparkInput = asInput(spark, SeedToy.generate(1, 0, options.trainRows() + options.testRows()))
                .persist();
        double testFraction = (double) options.testRows() / (options.trainRows() + options.testRows());
        for (int batch : options.batchSizes()) {
            TrainingRun single = singleJvm(train, test, batch);
            TrainingRun parallel = spark(sparkInput, testFraction, batch, options.averagingFrequency());
            results.training.add(single);
            results.training.add(parallel);
            results.ratios.add(ratio(single, parallel));
        }
        TrainingRun reference = results.training.get(0);
        for (int averaging : options.averagingSweep()) {
            if (averaging == options.averagingFrequency()) {
                continue;
            }
            TrainingRun parallel = spark(sparkInput, testFraction, reference.batchSize(), averaging);
            results.training.add(parallel);
            results.ratios.add(ratio(reference, parallel));
        }
        sparkInput.unpersist();
    }

    private TrainingRun singleJvm(XYData train, XYData test, int batch) {
        List<EpochStats> epochs = new ArrayList<>();
        LocalTrainer.fit(MdnOptions.defaults(), new TrainOptions(options.epochs(), batch, 7), train, test,
                epochs::add);
        return run("single JVM", batch, 0, epochs);
    }

    private TrainingRun spark(Dataset<Row> input, double testFraction, int batch, int averaging) {
        List<EpochStats> epochs = new ArrayList<>();
        SparkTrainer.train(spark, input, MdnOptions.defaults(), new SparkTrainOptions(
                new TrainOptions(options.epochs(), batch, 7), averaging, testFraction, 2), epochs::add);
        return run("spark local[2]", batch, averaging, epochs);
    }

    private static TrainingRun run(String trainer, int batch, int averaging, List<EpochStats> epochs) {
        List<Double> speed = epochs.stream().map(EpochStats::samplesPerSecond).toList();
        List<Double> nll = epochs.stream().map(EpochStats::testNll).toList();
        TrainingRun r = new TrainingRun(trainer, batch, averaging, epochs.size(), speed, nll,
                median(speed.subList(Math.min(1, speed.size() - 1), speed.size())));
        LOG.info("{} batch {} averaging {}: steady {} samples/s, final test NLL {}", trainer, batch, averaging,
                String.format("%.0f", r.steadySamplesPerSecond()), String.format("%.4f", nll.get(nll.size() - 1)));
        return r;
    }

    private static TrainingRatio ratio(TrainingRun single, TrainingRun parallel) {
        // the NLL gap per epoch, averaged over epochs: how much worse each epoch of Spark training is
        double gap = 0;
        for (int e = 0; e < single.testNll().size(); e++) {
            gap += (parallel.testNll().get(e) - single.testNll().get(e)) / single.testNll().size();
        }
        return new TrainingRatio(parallel.batchSize(), parallel.averagingFrequency(),
                parallel.steadySamplesPerSecond() / single.steadySamplesPerSecond(), gap);
    }

    /**
     * The fit with no flags at all: each built-in kind, generated on the executors, trained with the defaults as
     * they stand (the trainer takes d_x and d_y from the data) and evaluated on fresh rows against its true
     * density. Returns the seed kind's model, which the throughput section samples and scores with.
     */
    MdnModel defaults(BenchResults results) {
        MdnOptions network = MdnOptions.defaults();
        SparkTrainOptions training = SparkTrainOptions.defaults();
        List<DefaultsRun> runs = new ArrayList<>();
        MdnModel seedModel = null;
        for (SyntheticKind kind : SyntheticKind.builtIn()) {
            Dataset<Row> input = generated(kind, options.defaultsRows(), 1).persist();
            input.count();
            long start = System.nanoTime();
            MdnModel model = SparkTrainer.train(spark, input, network, training, stats -> { });
            double seconds = (System.nanoTime() - start) / 1e9;
            input.unpersist();
            int testRows = options.defaultsTestRows();
            Evaluator.Report report = Evaluator.evaluate(generated(kind, testRows, 2), model, kind::trueLogDensity,
                    Math.min(testRows, 20_000), 42);
            TrainingSummary t = model.training();
            DefaultsRun run = new DefaultsRun(kind.name(), t.trainRows(), report.rows(), report.nll(),
                    report.bayesLimitNll(), report.bayesGap(), report.pitKs(),
                    t.bestEpoch() == null ? t.epochs() : t.bestEpoch(), t.epochs(), t.stopReason(), seconds);
            runs.add(run);
            LOG.info("defaults, {}: test NLL {} vs Bayes limit {} (gap {}), PIT KS {}, epoch {} of {} kept, {} s",
                    kind.name(), String.format("%.4f", run.testNll()), String.format("%.4f", run.bayesLimitNll()),
                    String.format("%.4f", run.gap()), String.format("%.4f", run.pitKs()), run.keptEpoch(),
                    run.epochs(), String.format("%.1f", seconds));
            if (kind == SeedToy.INSTANCE) {
                seedModel = model;
            }
        }
        results.defaults = new Defaults(network.toString(), training.toString(), runs);
        return seedModel;
    }

    /**
     * Generation and sampling beside a plain Parquet write of as many rows (medians of {@value #REPEATS} runs,
     * alternating, after a warm-up), and the scaling exponents.
     */
    void throughput(BenchResults results, MdnModel model) {
        List<Long> sizes = options.throughputRows();
        List<Double> generate = new ArrayList<>();
        List<Double> sample = new ArrayList<>();
        measureWrites(sizes.get(0), model);
        for (long rows : sizes) {
            double[][] t = new double[5][REPEATS];
            for (int rep = 0; rep < REPEATS; rep++) {
                double[] once = measureWrites(rows, model);
                for (int k = 0; k < 5; k++) {
                    t[k][rep] = once[k];
                }
            }
            double plain = median(t[0]);
            double gen = median(t[1]);
            double plainSample = median(t[2]);
            double drawn = median(t[3]);
            double scored = median(t[4]);
            long sampled = Math.max(1, rows / 100) * 100;
            results.throughput.add(new Throughput("generate", rows, gen, plain));
            results.throughput.add(new Throughput("sample", sampled, drawn, plainSample));
            if (!Double.isNaN(scored)) {
                results.throughput.add(new Throughput("score", rows, scored, plain));
            }
            generate.add(gen);
            sample.add(drawn);
            LOG.info("{} rows: generate {} s (plain {} s), sample {} s (plain {} s), score {} s", rows,
                    String.format("%.2f", gen), String.format("%.2f", plain), String.format("%.2f", drawn),
                    String.format("%.2f", plainSample), String.format("%.2f", scored));
        }
        results.scaling.add(new Scaling("generate", sizes, generate, exponent(sizes, generate)));
        results.scaling.add(new Scaling("sample", sizes, sample, exponent(sizes, sample)));
    }

    private static final int REPEATS = 3;
    /**
     * The most rows score is timed on: at about 70 µs of CPU per row (K = 20: a mode search and five CDF
     * inversions) 10⁷ rows would take about six minutes per repeat on 2 cores.
     */
    private static final long SCORE_ROWS = 1_000_000;

    /** Seconds of: plain write, generate, plain write of the sample's size, sample — for {@code rows}. */
    private double[] measureWrites(long rows, MdnModel model) {
        int partitions = Generator.defaultPartitions(rows, spark.sparkContext().defaultParallelism());
        double plain = time(() -> plainWrite(rows, partitions, "plain-generate"));
        // the jobs' own write paths: atomic output, the dataset description, the sample's column encodings
        double gen = time(() -> Generator.write(spark,
                new GenerateOptions(SeedToy.INSTANCE, rows, 1, partitions, path("generate"), null, false)));
        long inputs = Math.max(1, rows / 100);
        Dataset<Row> grid = spark.range(0, inputs, 1, partitions)
                .select(col("id").cast("double").divide(inputs).multiply(2).minus(1).as("x"));
        Dataset<Row> withX = grid.withColumn(Columns.X, array(col("x")));
        double plainSample = time(() -> plainWrite(inputs * 100, partitions, "plain-sample"));
        double drawn = time(() -> TableWriter.write(MixtureInference.sample(withX, List.of("x"), model, 100, 3, 1.0),
                path("sample"), false, "bench: sample", tmp -> { }, MixtureInference.SAMPLE_PLAIN_ENCODED));
        // score: every row with its label, the default quantiles and interval, all answers written
        Dataset<Row> labelled = spark.range(0, rows, 1, partitions)
                .select(col("id"), rand(1).multiply(2).minus(1).as("x"), rand(2).as("y"))
                .withColumn(Columns.X, array(col("x")))
                .withColumn(Columns.Y, array(col("y")));
        double scored = rows > SCORE_ROWS ? Double.NaN : time(() -> TableWriter.write(MixtureScores.score(labelled,
                List.of("id", "x", "y"), model, Scoring.defaults()), path("score"), false, "bench: score"));
        return new double[] {plain, gen, plainSample, drawn, scored};
    }

    private static final int SCALING_EPOCHS = 4;

    /** Wall time of one training epoch against rows (the median of epochs 2 … {@value #SCALING_EPOCHS}). */
    void trainingScaling(BenchResults results) {
        List<Long> sizes = options.epochScalingRows();
        List<Double> seconds = new ArrayList<>();
        for (long rows : sizes) {
            Dataset<Row> input = asInput(spark, SeedToy.generate(3, 0, (int) rows)).persist();
            input.count();
            List<EpochStats> epochs = new ArrayList<>();
            SparkTrainer.train(spark, input, MdnOptions.defaults(), new SparkTrainOptions(
                    new TrainOptions(SCALING_EPOCHS, TrainOptions.DEFAULT_BATCH_SIZE, 7),
                    SparkTrainOptions.DEFAULT_AVERAGING_FREQUENCY, 0.0, 2), epochs::add);
            input.unpersist();
            // the median of the epochs after the first: one epoch's time alone varied by 30% between runs
            seconds.add(median(epochs.subList(1, epochs.size()).stream().map(EpochStats::seconds).toList()));
        }
        results.scaling.add(new Scaling("training epoch", sizes, seconds, exponent(sizes, seconds)));
    }

    private void plainWrite(long rows, int partitions, String name) {
        spark.range(0, rows, 1, partitions).select(col("id"), rand(1).as("x"), rand(2).as("y"))
                .write().parquet(path(name));
    }

    private String path(String name) {
        Path p = scratch.resolve(name + "-" + System.nanoTime());
        return p.toString();
    }

    private double time(Runnable r) {
        long start = System.nanoTime();
        r.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        deleteScratch();
        return seconds;
    }

    private void deleteScratch() {
        deleteBelow(scratch);
    }

    /** Deletes everything under {@code dir}, keeping {@code dir} itself. */
    static void deleteBelow(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows 0 … rows − 1 of {@code kind} with {@code seed}, generated on the executors, as the trainer's input. */
    private Dataset<Row> generated(SyntheticKind kind, int rows, long seed) {
        return generated(spark, kind, rows, seed);
    }

    /** Rows of a built-in kind, generated on the executors, as the trainer's input: array columns x and y. */
    static Dataset<Row> generated(SparkSession spark, SyntheticKind kind, int rows, long seed) {
        Dataset<Row> data = Generator.generate(spark, kind, rows, seed,
                Generator.defaultPartitions(rows, spark.sparkContext().defaultParallelism()));
        Column x = col(Generator.FEATURES);
        Column y = col(Generator.LABELS);
        return data.select((kind.inputDim() == 1 ? array(x) : x).as(Columns.X),
                (kind.outputDim() == 1 ? array(y) : y).as(Columns.Y));
    }

    /** The rows as the trainer's input: array columns x and y, in 4 partitions. */
    static Dataset<Row> asInput(SparkSession spark, XYData data) {
        List<Row> rows = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            rows.add(RowFactory.create(new double[] {data.x()[i]}, new double[] {data.y()[i]}));
        }
        StructType schema = new StructType()
                .add(Columns.X, DataTypes.createArrayType(DataTypes.DoubleType, false), false)
                .add(Columns.Y, DataTypes.createArrayType(DataTypes.DoubleType, false), false);
        return spark.createDataFrame(rows, schema).repartition(4);
    }

    /** Least-squares slope of log(seconds) against log(rows). */
    static double exponent(List<Long> rows, List<Double> seconds) {
        int n = rows.size();
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += Math.log(rows.get(i)) / n;
            my += Math.log(seconds.get(i)) / n;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            double dx = Math.log(rows.get(i)) - mx;
            sxy += dx * (Math.log(seconds.get(i)) - my);
            sxx += dx * dx;
        }
        return sxy / sxx;
    }

    /** Intercept and slope of the least-squares line through (x, y). */
    static double[] leastSquaresLine(double[] x, double[] y) {
        double mx = java.util.Arrays.stream(x).average().orElse(0);
        double my = java.util.Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        double slope = sxx == 0 ? 0 : sxy / sxx;
        return new double[] {my - slope * mx, slope};
    }

    static double median(double[] values) {
        return median(java.util.Arrays.stream(values).boxed().toList());
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
