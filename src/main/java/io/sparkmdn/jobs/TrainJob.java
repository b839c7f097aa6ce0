package io.sparkmdn.jobs;

import io.sparkmdn.io.AtomicOutput;
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
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    @Override
    public Integer call() {
        MdnOptions options = networkOptions();
        SparkTrainOptions settings = new SparkTrainOptions(
                new TrainOptions(epochs, batchSize, options.seed()), averagingFrequency, testFraction, workers);
        SparkSession session = spark.session("spark-mdn train " + data);
        try {
            AtomicOutput.checkWritable(model, overwrite, session.sparkContext().hadoopConfiguration());
            PreparedInput prepared = InputTable.read(session, input.spec(data, labels),
                    OptionalInt.empty(), OptionalInt.empty());
            MdnModel trained = SparkTrainer.train(session, prepared.data(), options, settings, stats -> { });
            trained = trained.withTraining(trained.training().withDroppedRows(prepared.droppedRows()));
            ModelDirectory.save(trained, model, overwrite, session.sparkContext().hadoopConfiguration());
            LOG.info("model written to {} (test NLL {}, {} samples/s)", model,
                    trained.training().testNll(), String.format("%.0f", trained.training().samplesPerSecond()));
            return 0;
        } finally {
            session.stop();
        }
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
