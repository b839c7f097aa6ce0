package io.sparkmdn.jobs;

import io.sparkmdn.input.InputSource;
import io.sparkmdn.input.InputTable;
import io.sparkmdn.io.AtomicOutput;
import io.sparkmdn.model.Checkpoints;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.model.RunDescription;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.nn.Updater;
import io.sparkmdn.spark.TrainingRun;
import io.sparkmdn.train.LearningRateSchedule;
import io.sparkmdn.train.ScaleOut;
import io.sparkmdn.train.SparkTrainOptions;
import io.sparkmdn.train.TrainOptions;
import io.sparkmdn.util.PhaseTimer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
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

    @ArgGroup(exclusive = true, multiplicity = "1")
    DataSource data;
    @Option(names = "--model", required = true, description = "Model directory to write.")
    String model;
    @Option(names = "--labels", split = ",", defaultValue = "y", paramLabel = "COLS",
            description = "Label columns; default: ${DEFAULT-VALUE}.")
    List<String> labels;
    @Mixin WriteModeOption mode;
    @Option(names = "--resume", description = "Continue from the model directory's checkpoint (the last completed "
            + "epoch) up to --epochs; the data, columns and training settings are those of the checkpoint.")
    boolean resume;
    @Option(names = "--resume-on-changed-data", description = "With --resume: continue even if the training data's "
            + "paths, size, row count or schema changed since the checkpoint (refused otherwise).")
    boolean resumeOnChangedData;

    @Option(names = "--epochs", defaultValue = "" + SparkTrainOptions.DEFAULT_MAX_EPOCHS,
            description = "The most passes over the training rows (early stopping usually ends the run sooner); "
                    + "default: ${DEFAULT-VALUE}.")
    int epochs;
    @Option(names = "--patience", defaultValue = "" + SparkTrainOptions.DEFAULT_PATIENCE,
            description = "Stop after this many epochs without an improvement of the test NLL by --min-delta, "
                    + "keeping the best epoch's model; default: ${DEFAULT-VALUE}.")
    int patience;
    @Option(names = "--no-early-stopping", description = "Run all --epochs and keep the last epoch's model.")
    boolean noEarlyStopping;
    @Option(names = "--min-delta", defaultValue = "" + SparkTrainOptions.DEFAULT_MIN_DELTA,
            description = "The smallest decrease of the test NLL (nats) that counts as an improvement; "
                    + "default: ${DEFAULT-VALUE}.")
    double minDelta;
    @Option(names = "--schedule", defaultValue = SparkTrainOptions.DEFAULT_SCHEDULE_TEXT,
            description = "Learning-rate schedule: plateau (halve after 2 epochs without improvement), exponential "
                    + "(times --learning-rate-decay every epoch) or cosine (to 1%% at --epochs); "
                    + "default: ${DEFAULT-VALUE}.")
    String schedule;
    @Option(names = "--input-noise", defaultValue = "0",
            description = "σ of Gaussian noise added to the standardised features of every minibatch; "
                    + "default: ${DEFAULT-VALUE} (off).")
    double inputNoise;
    @Option(names = "--label-noise", defaultValue = "0",
            description = "σ of Gaussian noise added to the standardised labels of every minibatch; "
                    + "default: ${DEFAULT-VALUE} (off).")
    double labelNoise;
    @Option(names = "--batch-size", defaultValue = "" + TrainOptions.DEFAULT_BATCH_SIZE,
            description = "Rows per minibatch on each worker, the most (more workers get fewer: see --global-batch); "
                    + "default: ${DEFAULT-VALUE}.")
    int batchSize;
    @Option(names = "--averaging-frequency", defaultValue = "" + SparkTrainOptions.DEFAULT_AVERAGING_FREQUENCY,
            description = "Minibatches per worker between parameter averagings; default: ${DEFAULT-VALUE}.")
    int averagingFrequency;
    @Option(names = "--test-fraction", defaultValue = "" + SparkTrainOptions.DEFAULT_TEST_FRACTION,
            description = "Fraction of rows held out for the test NLL; default: ${DEFAULT-VALUE}.")
    double testFraction;
    @Option(names = "--learning-rate-decay", defaultValue = "" + SparkTrainOptions.DEFAULT_LEARNING_RATE_DECAY,
            description = "With --schedule exponential: factor applied to the learning rate after every epoch; "
                    + "1 keeps it constant; default: ${DEFAULT-VALUE}.")
    double learningRateDecay;
    @Option(names = "--workers", defaultValue = "" + SparkTrainOptions.DEFAULT_WORKERS,
            description = "Parallel workers; 0 = Spark's default parallelism; default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--global-batch", defaultValue = "" + ScaleOut.DEFAULT_GLOBAL_BATCH,
            description = "Rows per averaged step that each worker's minibatch is scaled toward: global batch ÷ "
                    + "workers rows, between --min-batch-size and --batch-size; where the smallest still gives more, "
                    + "the learning rate is multiplied by the square root of the excess. 0 = off (every worker fits "
                    + "--batch-size rows at --learning-rate); default: ${DEFAULT-VALUE}.")
    int globalBatch;
    @Option(names = "--min-batch-size", defaultValue = "" + ScaleOut.DEFAULT_MIN_BATCH_SIZE,
            description = "With --global-batch: the smallest minibatch a worker is given; default: ${DEFAULT-VALUE}.")
    int minBatchSize;
    @Option(names = "--min-rows-per-worker", defaultValue = "" + ScaleOut.DEFAULT_MIN_ROWS_PER_WORKER,
            description = "The fewest training rows a worker gets: fewer workers are used (and the log and the "
                    + "model say so) when the data has fewer per worker; 0 = no floor; default: ${DEFAULT-VALUE}.")
    int minRowsPerWorker;
    @Option(names = "--block-momentum", defaultValue = "" + ScaleOut.DEFAULT_BLOCK_MOMENTUM,
            description = "Block momentum over averaging rounds (BMUF, Nesterov form; 0 = plain averaging); "
                    + "default: ${DEFAULT-VALUE}.")
    double blockMomentum;

    @Option(names = "--mixtures", defaultValue = "" + MdnOptions.DEFAULT_MIXTURES,
            description = "Gaussian components K; default: ${DEFAULT-VALUE}.")
    int mixtures;
    @Option(names = "--hidden-layers", defaultValue = MdnOptions.DEFAULT_HIDDEN_LAYERS_TEXT, paramLabel = "WIDTHS",
            description = "Hidden layer widths, comma-separated (empty for none); default: ${DEFAULT-VALUE}.")
    String hiddenLayers;
    @Option(names = "--activation", defaultValue = MdnOptions.DEFAULT_ACTIVATION_TEXT,
            description = "Hidden activation (tanh, relu, sigmoid…); default: ${DEFAULT-VALUE}.")
    String activation;
    @Option(names = "--learning-rate", defaultValue = "" + MdnOptions.DEFAULT_LEARNING_RATE,
            description = "Updater step size; default: ${DEFAULT-VALUE}.")
    double learningRate;
    @Option(names = "--updater", defaultValue = "adam",
            description = "adam, nadam, amsgrad, rmsprop, nesterovs or sgd; default: ${DEFAULT-VALUE}.")
    String updater;
    @Option(names = "--sigma-floor", defaultValue = "" + MdnOptions.DEFAULT_SIGMA_FLOOR,
            description = "Lower bound on σ in standardised label units; default: ${DEFAULT-VALUE}.")
    double sigmaFloor;
    @Option(names = "--data-type", defaultValue = "float", description = "float or double; default: ${DEFAULT-VALUE}.")
    String dataType;
    @Option(names = "--seed", defaultValue = "" + MdnOptions.DEFAULT_SEED,
            description = "Seed of weights, split and shuffles; default: ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--clip-gradient-norm", defaultValue = "0",
            description = "Scale down each layer's gradient to this L2 norm; 0 = off; default: ${DEFAULT-VALUE}.")
    double clipGradientNorm;

    @Spec CommandSpec spec;

    /** Whether this job is its JVM's main (spark-submit, jobs/train.sh), so the JVM's start is its own. */
    private boolean ownJvm;

    @Override
    public Integer call() {
        // a JVM of its own counts its start as the first phase; a job run inside a longer-lived JVM (tests) does not
        PhaseTimer phases = ownJvm ? PhaseTimer.sinceJvmStart() : new PhaseTimer();
        SparkSession session = spark.session("spark-mdn train " + data.describe());
        phases.lap("Spark session");
        try {
            Configuration conf = session.sparkContext().hadoopConfiguration();
            AtomicOutput.checkApart(model, conf, AtomicOutput.inputs("input", data.path));
            if (!resume) {
                if (!AtomicOutput.prepare(model, mode.get(), conf, Map.of())) {
                    return 0;
                }
                Checkpoints.delete(model, conf);
            }
            TrainingRun.Result result = TrainingRun.of(session, requested())
                    .reader((input, columns) -> InputTable.read(session, input, columns))
                    .checkpointIn(model)
                    .resume(resume ? TrainingRun.Resume.REQUIRED : TrainingRun.Resume.NEVER)
                    .given(this::given)
                    .words(key -> "--" + (key.equals("data") ? "input" : key),
                            "train without --resume to start anew")
                    .resumeOnChangedData(resumeOnChangedData, "--resume-on-changed-data")
                    .recordedAs(run -> withQualifiedData(run, conf))
                    .phases(phases)
                    .execute();
            MdnModel trained = result.model();
            ModelDirectory.save(trained, model, true, conf);
            phases.lap("save model");
            LOG.info("model written to {} (epoch {} of {}, test NLL {}, {} samples/s; {})", model,
                    trained.training().bestEpoch() == null ? trained.training().epochs()
                            : trained.training().bestEpoch(), trained.training().epochs(),
                    trained.training().testNll(), String.format("%.0f", trained.training().samplesPerSecond()),
                    trained.training().stopReason());
            return 0;
        } finally {
            session.stop();
            phases.lap("Spark stop");
            LOG.info("train job phases: {}", phases);
        }
    }


    /** The run this command line asks for: the data, its columns, the network and the training settings. */
    RunDescription requested() {
        MdnOptions network = new MdnOptions(1, 1, mixtures, MdnOptions.parseLayers(hiddenLayers),
                MdnOptions.parseActivation(activation), learningRate, Updater.parse(updater), sigmaFloor, seed,
                MdnOptions.parseDataType(dataType), clipGradientNorm);
        if (!noEarlyStopping) {
            SparkTrainOptions.checkPatience(patience);
        }
        SparkTrainOptions training = new SparkTrainOptions(new TrainOptions(epochs, batchSize, seed),
                averagingFrequency, testFraction, workers, learningRateDecay, LearningRateSchedule.parse(schedule),
                noEarlyStopping ? null : patience, minDelta, inputNoise, labelNoise,
                new ScaleOut(globalBatch, minBatchSize, minRowsPerWorker, blockMomentum));
        return new RunDescription(input.forTraining(data.source(input), labels), network, training, null);
    }

    /** {@code run} with its data path fully qualified, as a run records it. */
    private static RunDescription withQualifiedData(RunDescription run, Configuration conf) {
        InputSource source = run.input().source();
        return source.path() == null ? run
                : run.withInput(run.input().withSource(source.withPath(qualified(source.path(), conf))));
    }

    private boolean given(String key) {
        return spec.commandLine().getParseResult().hasMatchedOption("--" + key);
    }

    /** {@code path} fully qualified ({@code file:/…}, {@code hdfs://nn/…}), so a run records where its data was. */
    private static String qualified(String path, Configuration conf) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(conf).makeQualified(p).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot resolve input path " + path + ": " + e.getMessage(), e);
        }
    }

    public static void main(String[] args) {
        TrainJob job = new TrainJob();
        job.ownJvm = true;
        System.exit(JobRunner.run(job, args));
    }
}
