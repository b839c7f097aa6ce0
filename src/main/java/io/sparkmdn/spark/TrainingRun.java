package io.sparkmdn.spark;

import io.sparkmdn.input.InputDescription;
import io.sparkmdn.input.PreparedInput;
import io.sparkmdn.model.Checkpoints;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.RunDescription;
import io.sparkmdn.train.TrainingProgress;
import io.sparkmdn.util.Checks;
import io.sparkmdn.util.PhaseTimer;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run: the one way the {@code train} job and the ML estimator train (in the manner of Iceberg's
 * Spark actions: configure with validated setters, then {@link #execute()} returns a typed {@link Result}).
 *
 * <p>It loads the checkpoint to resume (where asked), refuses settings that may not change and data that
 * changed since, reads and validates the rows with the checkpoint's columns, trains with {@link SparkTrainer}
 * (split, standardisation, epochs, the schedule, early stopping, NaN checks), saves a checkpoint after every
 * epoch and returns the best epoch's model described by its run. Writing the model directory is the caller's:
 * the job writes one, the estimator returns a Spark ML model.
 *
 * <p>The front doors differ only in words and in one rule, set here: how a message names a setting
 * ({@code --batch-size} or {@code batchSize}), how to start over, and which settings the caller gave (a setting
 * not given takes the checkpoint's value; one given must equal it; the estimator gives every one).
 */
public final class TrainingRun {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

    /** What to do with a checkpoint in the checkpoint directory. */
    public enum Resume {
        /** Train anew; a checkpoint there is not read (the caller clears it). */
        NEVER,
        /** Continue the checkpoint; its absence is an error. */
        REQUIRED,
        /** Continue the checkpoint if there is one (and a checkpoint directory), train anew otherwise. */
        IF_PRESENT
    }

    /** What a run produced: the model (described by its run), and whether it continued a checkpoint. */
    public record Result(MdnModel model, RunDescription run, boolean resumed, long droppedRows) {
    }

    private final SparkSession spark;
    private final RunDescription requested;
    private BiFunction<InputDescription, InputDescription, PreparedInput> reader;
    private String checkpointPath;
    private Resume resume = Resume.NEVER;
    private Predicate<String> given = key -> true;
    private UnaryOperator<String> settingName = key -> "--" + key;
    private BiFunction<RunDescription.Setting, RunDescription, String> settingText = RunDescription.Setting::text;
    private String startOver = "train anew";
    private boolean resumeOnChangedData;
    private String changedDataOverride;
    private UnaryOperator<RunDescription> recorded = UnaryOperator.identity();
    private PhaseTimer phases = new PhaseTimer();

    private TrainingRun(SparkSession spark, RunDescription requested) {
        this.spark = spark;
        this.requested = requested;
    }

    /** A run of {@code requested} (its input, network and training settings) in {@code spark}. */
    public static TrainingRun of(SparkSession spark, RunDescription requested) {
        Checks.checkArgument(spark != null, "A training run needs a Spark session");
        Checks.checkArgument(requested != null && requested.training() != null,
                "A training run needs its training settings");
        return new TrainingRun(spark, requested);
    }

    /**
     * How the rows are read: from the run's input description and the checkpoint's columns (null when training
     * anew) to the validated rows.
     */
    public TrainingRun reader(BiFunction<InputDescription, InputDescription, PreparedInput> value) {
        Checks.checkArgument(value != null, "A training run needs a reader");
        this.reader = value;
        return this;
    }

    /** Where the run keeps its per-epoch checkpoint ({@code path/checkpoint/}); null or empty: none. */
    public TrainingRun checkpointIn(String path) {
        this.checkpointPath = path == null || path.isEmpty() ? null : path;
        return this;
    }

    /** Whether to continue the checkpoint there (default {@link Resume#NEVER}). */
    public TrainingRun resume(Resume value) {
        Checks.checkArgument(value != null, "resume must not be null");
        this.resume = value;
        return this;
    }

    /**
     * Which settings (by {@link RunDescription#FIXED} key) the caller gave: a resumed run takes the checkpoint's
     * value of a setting not given, and refuses one given with another value. Default: all given.
     */
    public TrainingRun given(Predicate<String> value) {
        Checks.checkArgument(value != null, "given must not be null");
        this.given = value;
        return this;
    }

    /**
     * How messages name a setting, from its key ({@code batch-size}), and what to do to start over instead of
     * resuming ("train without --resume").
     */
    public TrainingRun words(UnaryOperator<String> settingNames, String howToStartOver) {
        Checks.checkArgument(settingNames != null && howToStartOver != null, "words must not be null");
        this.settingName = settingNames;
        this.startOver = howToStartOver;
        return this;
    }

    /** How messages write a setting's value in a run; default {@link RunDescription.Setting#text}. */
    public TrainingRun settingText(BiFunction<RunDescription.Setting, RunDescription, String> value) {
        Checks.checkArgument(value != null, "settingText must not be null");
        this.settingText = value;
        return this;
    }

    /**
     * Continue even where the data changed since the checkpoint (a warning); default false: refuse, and the
     * refusal says how to allow it ({@code howToAllow}, e.g. the option that does; null where nothing does).
     */
    public TrainingRun resumeOnChangedData(boolean value, String howToAllow) {
        this.resumeOnChangedData = value;
        this.changedDataOverride = howToAllow;
        return this;
    }

    /** How the run is recorded in the model (the job qualifies its data path); default as read. */
    public TrainingRun recordedAs(UnaryOperator<RunDescription> value) {
        Checks.checkArgument(value != null, "recordedAs must not be null");
        this.recorded = value;
        return this;
    }

    /** Adds the run's phases (checks, reading, training's own) to {@code value}. */
    public TrainingRun phases(PhaseTimer value) {
        Checks.checkArgument(value != null, "phases must not be null");
        this.phases = value;
        return this;
    }

    /**
     * Trains.
     *
     * @throws IllegalArgumentException for a checkpoint that cannot be resumed (none where one is required, a
     *                                  setting that may not change, changed data, a run that ended), or bad input
     */
    public Result execute() {
        Checks.checkArgument(reader != null, "A training run needs a reader");
        Checks.checkArgument(resume != Resume.REQUIRED || checkpointPath != null,
                "Resuming needs a checkpoint directory");
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        MdnModel checkpoint = resume == Resume.NEVER || checkpointPath == null ? null
                : Checkpoints.load(checkpointPath, conf).orElse(null);
        if (checkpoint == null && resume == Resume.REQUIRED) {
            throw new IllegalArgumentException("Nothing to resume: " + checkpointPath + " has no "
                    + Checkpoints.DIRECTORY + "/ (" + startOver + ")");
        }
        RunDescription run = checkpoint == null ? requested : resumed(checkpoint.run());
        if (checkpoint != null) {
            TrainingProgress progress = TrainingProgress.of(checkpoint.training().history(),
                    SparkTrainer.effective(jsc, run.training(), checkpoint.training().trainRows()));
            if (progress.stops()) {
                throw new IllegalArgumentException("Nothing to resume in the checkpoint in " + checkpointPath
                        + ": its run ended (" + progress.stopReason() + "); a higher " + settingName.apply("epochs")
                        + " continues a run that reached its maximum, or " + startOver);
            }
        }
        phases.lap("check paths and settings");

        PreparedInput rows = reader.apply(run.input(), checkpoint == null ? null : checkpoint.columns());
        RunDescription described = recorded.apply(run.withData(rows.columns(), rows.fingerprint()));
        if (checkpoint != null) {
            checkSameData(checkpoint.run(), described);
        }
        MdnModel best = checkpoint == null ? null : Checkpoints.loadBest(checkpointPath, conf).orElse(null);
        phases.lap("read and validate input");

        long dropped = rows.droppedRows();
        SparkTrainer.EpochListener saving = checkpointPath == null ? (stats, soFar, bestSoFar) -> { }
                : (stats, soFar, bestSoFar) -> Checkpoints.save(soFar.describedBy(described, dropped),
                        bestSoFar.describedBy(described, dropped), checkpointPath, conf);
        MdnModel trained = SparkTrainer.train(spark, rows.data(), described.network(), described.training(),
                checkpoint, best, saving, phases);
        MdnModel model = trained.describedBy(described, dropped);
        return new Result(model.withTraining(model.training().withPhases(phases.seconds())), described,
                checkpoint != null, dropped);
    }

    /**
     * The checkpoint's run, continued up to the requested epochs, with the requested learning rate where given.
     * Any other setting given must equal the checkpoint's; every one that does not is named with both values.
     */
    private RunDescription resumed(RunDescription saved) {
        RunDescription mine = recorded.apply(requested);
        List<RunDescription.Setting> refused = saved.conflictsWith(mine).stream()
                .filter(c -> c.key().equals("data") || given.test(c.key()))
                .toList();
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("Cannot resume the checkpoint in " + checkpointPath + ": "
                    + refused.stream().map(c -> settingName.apply(c.key()) + " is " + settingText.apply(c, mine)
                            + " but the checkpoint was trained with " + settingText.apply(c, saved))
                            .collect(Collectors.joining("; "))
                    + " (only " + settingName.apply("epochs") + " and " + settingName.apply("learning-rate")
                    + " may change; " + startOver + ")");
        }
        RunDescription run = saved.withTraining(saved.training().withEpochs(requested.training().train().epochs()));
        return given.test("learning-rate")
                ? run.withNetwork(saved.network().withLearningRate(requested.network().learningRate())) : run;
    }

    /** Refuses to resume on data whose paths, size, rows or schema changed, unless told to. */
    private void checkSameData(RunDescription saved, RunDescription now) {
        if (saved.data() == null || now.data() == null) {
            return;
        }
        List<String> changes = now.data().changesSince(saved.data());
        if (changes.isEmpty()) {
            return;
        }
        String what = String.join(", ", changes);
        if (!resumeOnChangedData) {
            throw new IllegalArgumentException("Cannot resume the checkpoint in " + checkpointPath
                    + ": the training data changed since it was saved (" + what + "); " + startOver
                    + (changedDataOverride == null ? "" : ", or resume anyway with " + changedDataOverride));
        }
        LOG.warn("Resuming on data that changed since the checkpoint: {}", what);
    }
}
