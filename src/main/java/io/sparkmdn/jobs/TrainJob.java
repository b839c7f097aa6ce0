package io.sparkmdn.jobs;

import io.sparkmdn.io.AtomicOutput;
import io.sparkmdn.model.Checkpoints;
import io.sparkmdn.model.Checkpoints.Checkpoint;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.spark.InputTable;
import io.sparkmdn.spark.PreparedInput;
import io.sparkmdn.spark.SparkTrainOptions;
import io.sparkmdn.spark.SparkTrainer;
import io.sparkmdn.train.TrainOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Trains an MDN on a table with Spark parameter averaging and writes the model directory. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a Mixture Density Network with parameter averaging across Spark executors.")
public final class TrainJob implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

    @Mixin SparkOptions spark;
    @Mixin InputOptions input;

    @Option(names = "--data", required = true, description = "Training table (Parquet or CSV).")
    String data;
    @Option(names = "--model", required = true, description = "Model directory to write.")
    String model;
    @Option(names = "--labels", split = ",", defaultValue = "y", paramLabel = "COLS",
            description = "Label columns; default: ${DEFAULT-VALUE}.")
    List<String> labels;
    @Option(names = "--overwrite", description = "Replace an existing model directory.")
    boolean overwrite;
    @Option(names = "--resume", description = "Continue from the model directory's checkpoint (the last completed "
            + "epoch) up to --epochs; the data, columns and training settings are those of the checkpoint.")
    boolean resume;

    @Option(names = "--epochs", defaultValue = "" + TrainOptions.DEFAULT_EPOCHS,
            description = "Passes over the training rows; default: ${DEFAULT-VALUE}.")
    int epochs;
    @Option(names = "--batch-size", defaultValue = "" + TrainOptions.DEFAULT_BATCH_SIZE,
            description = "Rows per minibatch on each worker; default: ${DEFAULT-VALUE}.")
    int batchSize;
    @Option(names = "--averaging-frequency", defaultValue = "" + SparkTrainOptions.DEFAULT_AVERAGING_FREQUENCY,
            description = "Minibatches per worker between parameter averagings; default: ${DEFAULT-VALUE}.")
    int averagingFrequency;
    @Option(names = "--test-fraction", defaultValue = "" + SparkTrainOptions.DEFAULT_TEST_FRACTION,
            description = "Fraction of rows held out for the test NLL; default: ${DEFAULT-VALUE}.")
    double testFraction;
    @Option(names = "--learning-rate-decay", defaultValue = "1.0",
            description = "Factor applied to the learning rate after every epoch; default: ${DEFAULT-VALUE} (none).")
    double learningRateDecay;
    @Option(names = "--workers", defaultValue = "0",
            description = "Parallel workers; 0 = Spark's default parallelism; default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--mixtures", description = "Gaussian components K; default " + MdnOptions.DEFAULT_MIXTURES + ".")
    String mixtures;
    @Option(names = "--hidden-layers", description = "Hidden layer widths, comma-separated; default 32,32.")
    String hiddenLayers;
    @Option(names = "--activation", description = "Hidden activation (tanh, relu, sigmoid…); default tanh.")
    String activation;
    @Option(names = "--learning-rate", description = "Updater step size; default 0.005.")
    String learningRate;
    @Option(names = "--updater", description = "adam, nadam, amsgrad, rmsprop, nesterovs or sgd; default adam.")
    String updater;
    @Option(names = "--sigma-floor", description = "Lower bound on σ in standardised label units; default 0.001.")
    String sigmaFloor;
    @Option(names = "--data-type", description = "float or double; default float.")
    String dataType;
    @Option(names = "--seed", description = "Seed of weights, split and shuffles; default 42.")
    String seed;
    @Option(names = "--clip-gradient-norm", description = "Scale down each layer's gradient to this L2 norm; "
            + "default 0 (off).")
    String clipGradientNorm;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        SparkSession session = spark.session("spark-mdn train " + data);
        try {
            Configuration conf = session.sparkContext().hadoopConfiguration();
            Checkpoint checkpoint = resume ? checkpoint(conf) : null;
            if (checkpoint == null) {
                AtomicOutput.checkWritable(model, overwrite, conf);
                Checkpoints.delete(model, conf);
            }
            Map<String, String> run = checkpoint == null ? settings() : resumedSettings(checkpoint.settings());
            MdnOptions options = checkpoint == null ? networkOptions() : resumedNetwork(checkpoint.model());
            SparkTrainOptions training = new SparkTrainOptions(
                    new TrainOptions(epochs, Integer.parseInt(run.get("batch-size")), options.seed()),
                    Integer.parseInt(run.get("averaging-frequency")), Double.parseDouble(run.get("test-fraction")),
                    Integer.parseInt(run.get("workers")),
                    Double.parseDouble(run.getOrDefault("learning-rate-decay", "1.0")));
            PreparedInput prepared = InputTable.read(session, input.spec(run.get("data"),
                    List.of(run.get("features").split(",")), List.of(run.get("labels").split(","))),
                    OptionalInt.empty(), OptionalInt.empty());
            MdnModel trained = SparkTrainer.train(session, prepared.data(), options, training,
                    checkpoint == null ? null : checkpoint.model(), (stats, soFar) -> Checkpoints.save(
                            soFar.withTraining(soFar.training().withDroppedRows(prepared.droppedRows())), run,
                            model, conf));
            trained = trained.withTraining(trained.training().withDroppedRows(prepared.droppedRows()));
            ModelDirectory.save(trained, model, true, conf);
            LOG.info("model written to {} (test NLL {}, {} samples/s)", model,
                    trained.training().testNll(), String.format("%.0f", trained.training().samplesPerSecond()));
            return 0;
        } finally {
            session.stop();
        }
    }

    /** The settings a resumed run must share with the run it continues. */
    private Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("data", data);
        m.put("features", String.join(",", input.features));
        m.put("labels", String.join(",", labels));
        m.put("batch-size", Integer.toString(batchSize));
        m.put("averaging-frequency", Integer.toString(averagingFrequency));
        m.put("test-fraction", Double.toString(testFraction));
        m.put("workers", Integer.toString(workers));
        m.put("learning-rate-decay", Double.toString(learningRateDecay));
        return m;
    }

    private Checkpoint checkpoint(Configuration conf) {
        Checkpoint c = Checkpoints.load(model, conf).orElseThrow(() -> new IllegalArgumentException(
                "Nothing to resume: " + model + " has no " + Checkpoints.DIRECTORY + "/ (train without --resume)"));
        int done = c.model().training().epochs();
        if (done >= epochs) {
            throw new IllegalArgumentException("The checkpoint in " + model + " has " + done
                    + " epochs already; ask for more with --epochs");
        }
        return c;
    }

    /** The checkpoint's settings; one given on this command line must agree with it. */
    private Map<String, String> resumedSettings(Map<String, String> saved) {
        Map<String, String> mine = settings();
        for (Map.Entry<String, String> e : saved.entrySet()) {
            String option = "--" + e.getKey();
            boolean given = e.getKey().equals("data") || spec.commandLine().getParseResult().hasMatchedOption(option);
            if (given && !e.getValue().equals(mine.get(e.getKey()))) {
                throw new IllegalArgumentException("Cannot resume with " + option + " " + mine.get(e.getKey())
                        + ": the checkpoint was trained with " + e.getValue());
            }
        }
        return saved;
    }

    /** The checkpoint's network, with a learning rate given on this command line; other changes are refused. */
    private MdnOptions resumedNetwork(MdnModel saved) {
        Map<String, String> mine = networkOptions().toMap();
        Map<String, String> theirs = saved.options().toMap();
        for (String key : List.of("mixtures", "hidden-layers", "activation", "updater", "sigma-floor", "data-type",
                "seed", "clip-gradient-norm")) {
            if (spec.commandLine().getParseResult().hasMatchedOption("--" + key)
                    && !mine.get(key).equals(theirs.get(key))) {
                throw new IllegalArgumentException("Cannot resume with --" + key + " " + mine.get(key)
                        + ": the checkpoint's network has " + theirs.get(key) + " (only --learning-rate may change)");
            }
        }
        return spec.commandLine().getParseResult().hasMatchedOption("--learning-rate")
                ? saved.options().withLearningRate(Double.parseDouble(learningRate)) : saved.options();
    }

    /** Network options: those given (command line or config file) over the record's defaults. */
    private MdnOptions networkOptions() {
        Map<String, String> given = new LinkedHashMap<>();
        putIfGiven(given, "mixtures", mixtures);
        putIfGiven(given, "hidden-layers", hiddenLayers);
        putIfGiven(given, "activation", activation);
        putIfGiven(given, "learning-rate", learningRate);
        putIfGiven(given, "updater", updater);
        putIfGiven(given, "sigma-floor", sigmaFloor);
        putIfGiven(given, "data-type", dataType);
        putIfGiven(given, "seed", seed);
        putIfGiven(given, "clip-gradient-norm", clipGradientNorm);
        return MdnOptions.fromMap(given);
    }

    private static void putIfGiven(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    public static void main(String[] args) {
        System.exit(JobRunner.run(new TrainJob(), args));
    }
}
