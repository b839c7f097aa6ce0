package io.sparkmdn.ml;

import io.sparkmdn.input.InvalidRows;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.nn.Updater;
import io.sparkmdn.train.LearningRateSchedule;
import io.sparkmdn.train.BlockMomentum;
import io.sparkmdn.train.ScaleOut;
import io.sparkmdn.train.SparkTrainOptions;
import io.sparkmdn.train.TrainOptions;
import io.sparkmdn.util.Checks;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import io.sparkmdn.math.Scoring;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import scala.Function1;
import scala.runtime.AbstractFunction1;

/**
 * Every {@link Param} of the Spark ML API, each declared once: its name, doc, check and default. A Param
 * belongs to one stage (its uid), so each stage calls these factories in its constructor; each factory also
 * sets the default on that stage.
 *
 * <p>Each Param stands for one field of the {@link io.sparkmdn.model.RunDescription} the regressor builds
 * ({@link MdnOptions}, {@link TrainOptions}, {@link SparkTrainOptions}, {@link InvalidRows}): its default is that
 * record's default and its check is that field's own check, so the Spark ML API and the {@code train} job accept
 * the same values and reject the rest with the same message: {@code Invalid number of mixtures: 0 (must be between 1 and
 * 1000)}. A check throws that message instead of returning false, since Spark's own would say only "given
 * invalid value".
 */
final class MixtureDensityParams {

    private MixtureDensityParams() {
    }

    // --- columns

    static Param<String> featuresCol(Params owner) {
        return withDefault(owner, new Param<>(owner, "featuresCol",
                "Column of the features x: an ML Vector (e.g. VectorAssembler's output), an array of numbers or "
                        + "a number. Default: features", columnName("featuresCol")), "features");
    }

    static Param<String> labelCol(Params owner) {
        return withDefault(owner, new Param<>(owner, "labelCol",
                "Column of the labels y: a number, an array of numbers or an ML Vector. Default: label",
                columnName("labelCol")), "label");
    }

    static Param<String> predictionCol(Params owner) {
        return withDefault(owner, new Param<>(owner, "predictionCol",
                "Column of the prediction: the mean of p(y | x) (a number for 1-D y, else an array), so Spark's "
                        + "RegressionEvaluator can read it. Default: prediction", columnName("predictionCol")),
                "prediction");
    }

    // --- scoring (Scoring)

    static DoubleArrayParam quantiles(Params owner) {
        return withDefault(owner, new DoubleArrayParam(owner, "quantiles",
                "Quantile levels of score's quantiles column, strictly increasing, each in (0, 1). Default: "
                        + "0.05, 0.5, 0.95",
                checkedBy((double[] levels) -> new Scoring(levels, Scoring.DEFAULT_INTERVAL))),
                Scoring.DEFAULT_LEVELS.clone());
    }

    static DoubleParam interval(Params owner) {
        return withDefault(owner, new DoubleParam(owner, "interval",
                "Central probability of score's prediction interval [lower, upper], in (0, 1). Default: "
                        + Scoring.DEFAULT_INTERVAL,
                checkedBy((Object v) -> new Scoring(Scoring.DEFAULT_LEVELS, (Double) v))), Scoring.DEFAULT_INTERVAL);
    }

    static Param<String> handleInvalid(Params owner) {
        return withDefault(owner, new Param<>(owner, "handleInvalid",
                "What fit does with rows whose features or label are null, NaN or infinite: 'error' fails "
                        + "naming the column and the count, 'skip' drops them (the count is logged and kept in "
                        + "the model's training summary). Default: error", checkedBy(InvalidRows::parse)),
                InvalidRows.ERROR.id());
    }

    // --- the network (MdnOptions)

    static IntParam mixtures(Params owner) {
        return withDefault(owner, new IntParam(owner, "mixtures",
                "Number of Gaussian components K (1 to 1000). Default: " + MdnOptions.DEFAULT_MIXTURES,
                checkedBy((Object v) -> MdnOptions.checkMixtures((Integer) v))), MdnOptions.DEFAULT_MIXTURES);
    }

    static IntArrayParam hiddenLayers(Params owner) {
        return withDefault(owner, new IntArrayParam(owner, "hiddenLayers",
                "Widths of the hidden layers, input to output (each >= 1; may be empty). Default: "
                        + MdnOptions.DEFAULT_HIDDEN_LAYERS,
                checkedBy((int[] widths) -> MdnOptions.checkHiddenLayers(layers(widths)))),
                MdnOptions.DEFAULT_HIDDEN_LAYERS.stream().mapToInt(Integer::intValue).toArray());
    }

    static Param<String> activation(Params owner) {
        return withDefault(owner, new Param<>(owner, "activation",
                "Activation of the hidden layers, a DL4J name: tanh, relu, sigmoid, … Default: "
                        + lower(MdnOptions.DEFAULT_ACTIVATION), checkedBy(MdnOptions::parseActivation)),
                lower(MdnOptions.DEFAULT_ACTIVATION));
    }

    static DoubleParam learningRate(Params owner) {
        return withDefault(owner, new DoubleParam(owner, "learningRate",
                "Step size of the updater (finite, > 0). Default: " + MdnOptions.DEFAULT_LEARNING_RATE,
                checkedBy((Object v) -> MdnOptions.checkLearningRate((Double) v))), MdnOptions.DEFAULT_LEARNING_RATE);
    }

    static Param<String> updater(Params owner) {
        return withDefault(owner, new Param<>(owner, "updater",
                "Gradient updater: adam, nadam, amsgrad, rmsprop, nesterovs or sgd. Default: "
                        + lower(MdnOptions.DEFAULT_UPDATER), checkedBy(Updater::parse)),
                lower(MdnOptions.DEFAULT_UPDATER));
    }

    static DoubleParam sigmaFloor(Params owner) {
        return withDefault(owner, new DoubleParam(owner, "sigmaFloor",
                "Lower bound on every sigma, in standardised label units (finite, >= 0). Default: "
                        + MdnOptions.DEFAULT_SIGMA_FLOOR, checkedBy((Object v) -> MdnOptions.checkSigmaFloor((Double) v))),
                MdnOptions.DEFAULT_SIGMA_FLOOR);
    }

    static Param<String> dataType(Params owner) {
        return withDefault(owner, new Param<>(owner, "dataType",
                "Floating-point type of the network's weights and activations: float or double. Default: "
                        + lower(MdnOptions.DEFAULT_DATA_TYPE), checkedBy(MdnOptions::parseDataType)),
                lower(MdnOptions.DEFAULT_DATA_TYPE));
    }

    static DoubleParam clipGradientNorm(Params owner) {
        return withDefault(owner, new DoubleParam(owner, "clipGradientNorm",
                "Largest L2 norm of each layer's gradient; larger ones are scaled down to it (finite, >= 0; "
                        + "0 = no clipping). Default: 0", checkedBy((Object v) -> MdnOptions.checkClipGradientNorm((Double) v))),
                0.0);
    }

    static LongParam seed(Params owner) {
        return withDefault(owner, new LongParam(owner, "seed",
                "Seed of the weights, the train/test split, the shuffles and the averaging. Default: "
                        + MdnOptions.DEFAULT_SEED, checkedBy(value -> { })), MdnOptions.DEFAULT_SEED);
    }

    // --- training (TrainOptions, SparkTrainOptions)

    static IntParam epochs(Params owner) {
        return withDefault(owner, new IntParam(owner, "epochs",
                "The most passes over the training rows; with earlyStopping the run usually ends sooner (>= 1). "
                        + "Default: " + SparkTrainOptions.DEFAULT_MAX_EPOCHS,
                checkedBy((Object v) -> TrainOptions.checkEpochs((Integer) v))),
                SparkTrainOptions.DEFAULT_MAX_EPOCHS);
    }

    static IntParam batchSize(Params owner) {
        return withDefault(owner, new IntParam(owner, "batchSize",
                "Rows per minibatch on each worker, the most: more workers get fewer (see globalBatch) (>= 1). Default: " + TrainOptions.DEFAULT_BATCH_SIZE,
                checkedBy((Object v) -> TrainOptions.checkBatchSize((Integer) v))),
                TrainOptions.DEFAULT_BATCH_SIZE);
    }

    static IntParam averagingFrequency(Params owner) {
        return withDefault(owner, new IntParam(owner, "averagingFrequency",
                "Minibatches each worker fits between two parameter averagings (>= 1). Default: "
                        + SparkTrainOptions.DEFAULT_AVERAGING_FREQUENCY,
                checkedBy((Object v) -> SparkTrainOptions.checkAveragingFrequency((Integer) v))),
                SparkTrainOptions.DEFAULT_AVERAGING_FREQUENCY);
    }

    static DoubleParam testFraction(Params owner) {
        return withDefault(owner, new DoubleParam(owner, "testFraction",
                "Fraction of rows held out for the test NLL logged after every epoch, which early stopping and the "
                        + "plateau schedule watch (with 0 they watch the training NLL) (>= 0 and < 1). Default: "
                        + SparkTrainOptions.DEFAULT_TEST_FRACTION,
                checkedBy((Object v) -> SparkTrainOptions.checkTestFraction((Double) v))),
                SparkTrainOptions.DEFAULT_TEST_FRACTION);
    }

    static IntParam workers(Params owner) {
        return withDefault(owner, new IntParam(owner, "workers",
                "Parallel training workers; 0 = Spark's default parallelism (>= 0). Default: 0",
                checkedBy((Object v) -> SparkTrainOptions.checkWorkers((Integer) v))),
                SparkTrainOptions.DEFAULT_WORKERS);
    }

    static DoubleParam learningRateDecay(Params owner) {
        return withDefault(owner, new DoubleParam(owner, "learningRateDecay",
                "With schedule 'exponential': factor applied to the learning rate after every epoch (> 0 and <= 1; "
                        + "1 = none). Default: "
                        + SparkTrainOptions.DEFAULT_LEARNING_RATE_DECAY,
                checkedBy((Object v) -> SparkTrainOptions.checkLearningRateDecay((Double) v))),
                SparkTrainOptions.DEFAULT_LEARNING_RATE_DECAY);
    }

    static Param<String> schedule(Params owner) {
        return withDefault(owner, new Param<>(owner, "schedule",
                "Learning-rate schedule: plateau (halve after " + LearningRateSchedule.PLATEAU_WAIT + " epochs "
                        + "without improvement), exponential (times learningRateDecay every epoch) or cosine (to "
                        + Math.round(LearningRateSchedule.COSINE_FLOOR * 100) + "% at epochs). Default: "
                        + SparkTrainOptions.DEFAULT_SCHEDULE.label(), checkedBy(LearningRateSchedule::parse)),
                SparkTrainOptions.DEFAULT_SCHEDULE.label());
    }

    static BooleanParam earlyStopping(Params owner) {
        return withDefault(owner, new BooleanParam(owner, "earlyStopping",
                "Whether to stop after patience epochs without an improvement of the test NLL by minDelta and keep "
                        + "the best epoch's model; false runs all epochs and keeps the last. Default: true"), true);
    }

    static IntParam patience(Params owner) {
        return withDefault(owner, new IntParam(owner, "patience",
                "With earlyStopping: epochs in a row without an improvement of the test NLL by minDelta after which "
                        + "training stops (>= 1). Default: " + SparkTrainOptions.DEFAULT_PATIENCE,
                checkedBy((Object v) -> SparkTrainOptions.checkPatience((Integer) v))),
                SparkTrainOptions.DEFAULT_PATIENCE);
    }

    static DoubleParam minDelta(Params owner) {
        return withDefault(owner, new DoubleParam(owner, "minDelta",
                "The smallest decrease of the test NLL, in nats, that counts as an improvement (finite, >= 0). "
                        + "Default: " + SparkTrainOptions.DEFAULT_MIN_DELTA,
                checkedBy((Object v) -> SparkTrainOptions.checkMinDelta((Double) v))),
                SparkTrainOptions.DEFAULT_MIN_DELTA);
    }

    static DoubleParam inputNoise(Params owner) {
        return withDefault(owner, new DoubleParam(owner, "inputNoise",
                "Sigma of Gaussian noise added to the standardised features of every minibatch (finite, >= 0; "
                        + "0 = off). Default: 0",
                checkedBy((Object v) -> SparkTrainOptions.checkNoise("input", (Double) v))), 0.0);
    }

    static DoubleParam labelNoise(Params owner) {
        return withDefault(owner, new DoubleParam(owner, "labelNoise",
                "Sigma of Gaussian noise added to the standardised labels of every minibatch (finite, >= 0; "
                        + "0 = off). Default: 0",
                checkedBy((Object v) -> SparkTrainOptions.checkNoise("label", (Double) v))), 0.0);
    }

    static IntParam globalBatch(Params owner) {
        return withDefault(owner, new IntParam(owner, "globalBatch",
                "Rows per averaged step that each worker's minibatch is scaled toward: globalBatch / workers rows, "
                        + "between minBatchSize and batchSize, the learning rate times the square root of any excess "
                        + "(>= 0; 0 = off: every worker fits batchSize rows at the learning rate). Default: "
                        + ScaleOut.DEFAULT_GLOBAL_BATCH,
                checkedBy((Object v) -> ScaleOut.checkGlobalBatch((Integer) v))), ScaleOut.DEFAULT_GLOBAL_BATCH);
    }

    static IntParam minBatchSize(Params owner) {
        return withDefault(owner, new IntParam(owner, "minBatchSize",
                "With globalBatch: the smallest minibatch a worker is given (>= 1). Default: "
                        + ScaleOut.DEFAULT_MIN_BATCH_SIZE,
                checkedBy((Object v) -> ScaleOut.checkMinBatchSize((Integer) v))), ScaleOut.DEFAULT_MIN_BATCH_SIZE);
    }

    static IntParam minRowsPerWorker(Params owner) {
        return withDefault(owner, new IntParam(owner, "minRowsPerWorker",
                "The fewest training rows a worker gets: fewer workers are used when the data has fewer per worker "
                        + "(>= 0; 0 = no floor). Default: " + ScaleOut.DEFAULT_MIN_ROWS_PER_WORKER,
                checkedBy((Object v) -> ScaleOut.checkMinRowsPerWorker((Integer) v))),
                ScaleOut.DEFAULT_MIN_ROWS_PER_WORKER);
    }

    static DoubleParam blockMomentum(Params owner) {
        return withDefault(owner, new DoubleParam(owner, "blockMomentum",
                "Block momentum over averaging rounds (BMUF, Nesterov form) (>= 0 and < 1; 0 = plain averaging). "
                        + "Default: " + ScaleOut.DEFAULT_BLOCK_MOMENTUM,
                checkedBy((Object v) -> BlockMomentum.checkMomentum((Double) v))), ScaleOut.DEFAULT_BLOCK_MOMENTUM);
    }

    static Param<String> checkpointPath(Params owner) {
        return withDefault(owner, new Param<>(owner, "checkpointPath",
                "Directory whose checkpoint/ (the train job's layout) fit saves after every epoch and resumes "
                        + "from when it holds one; empty = no checkpoints. Default: '' (none)",
                checkedBy((String path) -> Checks.checkArgument(path != null,
                        "Invalid checkpointPath: null (use '' for none)"))), "");
    }

    // --- helpers

    private static <T, P extends Param<T>> P withDefault(Params owner, P param, T value) {
        owner.setDefault(param, value);
        return param;
    }

    private static Function1<String, Object> columnName(String param) {
        return checkedBy(name -> Checks.checkArgument(name != null && !name.isBlank(),
                "Invalid %s: '%s' (must name a column)", param, name));
    }

    /** The widths of an {@code int[]} Param as a list. */
    static List<Integer> layers(int[] widths) {
        Checks.checkArgument(widths != null, "Hidden layers must not be null (use an empty array for none)");
        return Arrays.stream(widths).boxed().toList();
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** A serialisable {@link Consumer}, so that checks travel with their Params. */
    @FunctionalInterface
    interface Check<T> extends Consumer<T>, Serializable {
    }

    /** A Param validator that accepts what {@code check} accepts and lets its exception through otherwise. */
    static <T> Function1<T, Object> checkedBy(Check<T> check) {
        return new CheckingValidator<>(check);
    }

    private static final class CheckingValidator<T> extends AbstractFunction1<T, Object> implements Serializable {

        private static final long serialVersionUID = 1L;
        private final Check<T> check;

        CheckingValidator(Check<T> check) {
            this.check = check;
        }

        @Override
        public Object apply(T value) {
            check.accept(value);
            return Boolean.TRUE;
        }
    }
}
