package io.sparkmdn.ml;

import io.sparkmdn.input.ColumnSpec;
import io.sparkmdn.input.ColumnType;
import io.sparkmdn.input.InputDescription;
import io.sparkmdn.input.InputTable;
import io.sparkmdn.input.InvalidRows;
import io.sparkmdn.model.RunDescription;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.nn.NativeBinary;
import io.sparkmdn.nn.Updater;
import io.sparkmdn.spark.SparkTrainer;
import io.sparkmdn.spark.TrainingRun;
import io.sparkmdn.train.LearningRateSchedule;
import io.sparkmdn.train.ScaleOut;
import io.sparkmdn.train.SparkTrainOptions;
import io.sparkmdn.train.TrainOptions;
import io.sparkmdn.util.Checks;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Estimator} that fits a Mixture Density Network: p(y | x) as a Gaussian mixture whose weights
 * α, means μ and standard deviations σ a neural net computes from x. Fitting is the {@code train} job's
 * {@link SparkTrainer}: standardisation, a seeded train/test split, DL4J parameter averaging across the
 * executors, and the exact train and test NLL logged after every epoch.
 *
 * <p>Training stops as the job's does: after at most {@code epochs} epochs, or (with {@code earlyStopping}, the
 * default) once {@code patience} epochs in a row have not improved the test NLL of the {@code testFraction}
 * held-out rows by {@code minDelta}, keeping the best epoch's model (its training summary names the best epoch and
 * why training stopped). The learning rate follows {@code schedule}; {@code inputNoise} and {@code labelNoise}
 * jitter every minibatch.
 *
 * <p>With a {@code checkpointPath}, {@link #fit} saves a checkpoint in {@code checkpointPath/checkpoint/} after
 * every epoch (the model so far and the best one, as the {@code train} job does in its model directory). If that
 * path already holds a checkpoint, fit resumes it, as {@code train --resume} does: its history and epoch count go
 * on up to {@code epochs}, on the checkpoint's columns. Only {@code epochs} and {@code learningRate} may differ
 * from the checkpoint's run; fit refuses, before training, a Param that does (naming it and both values), data
 * whose row count or schema changed, and a run that already ended (at its maximum, or stopped early).
 *
 * <pre>{@code
 * Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
 *     new VectorAssembler().setInputCols(new String[] {"x"}).setOutputCol("features"),
 *     new MixtureDensityRegressor().setLabelCol("y").setMixtures(5).setEpochs(10)});
 * PipelineModel model = pipeline.fit(train);
 * model.transform(test);                              // + alpha, mu, sigma
 * model.write().overwrite().save("hdfs:///models/mdn");
 * }</pre>
 *
 * <p>The features column is an ML Vector, an array of numbers or a number; the label column a number, an
 * array of numbers or a Vector. Each Param has its doc, check and default in {@link MixtureDensityParams}; an
 * invalid value fails when it is set, with a message that names it.
 */
public final class MixtureDensityRegressor extends Estimator<MixtureDensityModel> implements MLWritable {

    private static final long serialVersionUID = 1L;

    static {
        NativeBinary.select(); // ND4J's build for this CPU, before ND4J loads in the caller's driver
    }
    /** The local property behind {@link SparkContext#setJobDescription}. */
    private static final String JOB_DESCRIPTION = "spark.job.description";
    /** The Params named otherwise than the run's settings ({@link RunDescription#FIXED}'s option keys). */
    private static final Map<String, String> PARAM_NAMES = Map.of("features", "featuresCol", "labels", "labelCol",
            "invalid-rows", "handleInvalid");

    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> handleInvalid;
    private final IntParam mixtures;
    private final IntArrayParam hiddenLayers;
    private final Param<String> activation;
    private final DoubleParam learningRate;
    private final Param<String> updater;
    private final DoubleParam sigmaFloor;
    private final Param<String> dataType;
    private final DoubleParam clipGradientNorm;
    private final LongParam seed;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final IntParam averagingFrequency;
    private final DoubleParam testFraction;
    private final IntParam workers;
    private final DoubleParam learningRateDecay;
    private final Param<String> schedule;
    private final BooleanParam earlyStopping;
    private final IntParam patience;
    private final DoubleParam minDelta;
    private final DoubleParam inputNoise;
    private final DoubleParam labelNoise;
    private final IntParam globalBatch;
    private final IntParam minBatchSize;
    private final IntParam minRowsPerWorker;
    private final DoubleParam blockMomentum;
    private final Param<String> checkpointPath;
    private final Param<String> predictionCol;

    /** A regressor with a random uid and every Param at its default. */
    public MixtureDensityRegressor() {
        this(Identifiable.randomUID("mdnRegressor"));
    }

    /** A regressor with the given uid and every Param at its default. */
    public MixtureDensityRegressor(String uid) {
        this.uid = uid;
        featuresCol = MixtureDensityParams.featuresCol(this);
        labelCol = MixtureDensityParams.labelCol(this);
        handleInvalid = MixtureDensityParams.handleInvalid(this);
        mixtures = MixtureDensityParams.mixtures(this);
        hiddenLayers = MixtureDensityParams.hiddenLayers(this);
        activation = MixtureDensityParams.activation(this);
        learningRate = MixtureDensityParams.learningRate(this);
        updater = MixtureDensityParams.updater(this);
        sigmaFloor = MixtureDensityParams.sigmaFloor(this);
        dataType = MixtureDensityParams.dataType(this);
        clipGradientNorm = MixtureDensityParams.clipGradientNorm(this);
        seed = MixtureDensityParams.seed(this);
        epochs = MixtureDensityParams.epochs(this);
        batchSize = MixtureDensityParams.batchSize(this);
        averagingFrequency = MixtureDensityParams.averagingFrequency(this);
        testFraction = MixtureDensityParams.testFraction(this);
        workers = MixtureDensityParams.workers(this);
        learningRateDecay = MixtureDensityParams.learningRateDecay(this);
        schedule = MixtureDensityParams.schedule(this);
        earlyStopping = MixtureDensityParams.earlyStopping(this);
        patience = MixtureDensityParams.patience(this);
        minDelta = MixtureDensityParams.minDelta(this);
        inputNoise = MixtureDensityParams.inputNoise(this);
        labelNoise = MixtureDensityParams.labelNoise(this);
        globalBatch = MixtureDensityParams.globalBatch(this);
        minBatchSize = MixtureDensityParams.minBatchSize(this);
        minRowsPerWorker = MixtureDensityParams.minRowsPerWorker(this);
        blockMomentum = MixtureDensityParams.blockMomentum(this);
        checkpointPath = MixtureDensityParams.checkpointPath(this);
        predictionCol = MixtureDensityParams.predictionCol(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    /**
     * Trains on {@code dataset}'s features and label columns, resuming the checkpoint in {@code checkpointPath}
     * if there is one, and returns the fitted model, whose parent is this regressor and whose training summary
     * holds the per-epoch NLLs, the best epoch and why training stopped.
     *
     * @throws IllegalArgumentException for a missing or non-numeric column, no rows, rows of different
     *                                  dimensions, (with {@code handleInvalid = error}) invalid rows, or a
     *                                  checkpoint this fit cannot resume
     */
    @Override
    public MixtureDensityModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        SparkContext sc = dataset.sparkSession().sparkContext();
        String previousDescription = sc.getLocalProperty(JOB_DESCRIPTION);
        try {
            sc.setJobDescription("MixtureDensityRegressor: check columns '" + getFeaturesCol() + "' and '"
                    + getLabelCol() + "'");
            TrainingRun.Result result = TrainingRun.of(dataset.sparkSession(), runDescription())
                    .reader((input, columns) -> InputTable.prepare(dataset.toDF(), "the input", input, columns))
                    .checkpointIn(getCheckpointPath())
                    .resume(TrainingRun.Resume.IF_PRESENT)
                    .words(this::paramName, "use another checkpointPath to train anew")
                    .settingText(MixtureDensityRegressor::display)
                    .execute();
            return copyValues(new MixtureDensityModel(uid, result.model()).setParent(this), ParamMap.empty());
        } finally {
            sc.setJobDescription(previousDescription);
        }
    }

    /** The Param that sets the run's setting {@code key} ({@code min-delta}: minDelta), or the setting's key. */
    private String paramName(String key) {
        if (PARAM_NAMES.containsKey(key)) {
            return PARAM_NAMES.get(key);
        }
        String[] words = key.split("-");
        StringBuilder name = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            name.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return hasParam(name.toString()) ? name.toString() : "the setting '" + key + "'";
    }

    /** A setting's value in {@code run} as a Param writes it: {@code 32,32}, {@code relu}; none for no value. */
    private static String display(RunDescription.Setting setting, RunDescription run) {
        String text = setting.text(run);
        return text.equals("none") && setting.key().equals("patience") ? "none (earlyStopping false)" : text;
    }

    /**
     * The run these Params describe: the same typed record the {@code train} job builds from its options, with
     * the columns known by name until {@link #fit} reads them.
     */
    public RunDescription runDescription() {
        InputDescription input = InputDescription.named(null, List.of(getFeaturesCol()), List.of(getLabelCol()),
                InvalidRows.parse(getHandleInvalid()));
        return new RunDescription(input, networkOptions(), new SparkTrainOptions(
                new TrainOptions(getEpochs(), getBatchSize(), getSeed()), getAveragingFrequency(), getTestFraction(),
                getWorkers(), getLearningRateDecay(), LearningRateSchedule.parse(getSchedule()),
                getEarlyStopping() ? getPatience() : null, getMinDelta(), getInputNoise(), getLabelNoise(),
                new ScaleOut(getGlobalBatch(), getMinBatchSize(), getMinRowsPerWorker(), getBlockMomentum())), null);
    }

    /** The network options the Params give (dimensions 1 until {@link #fit} reads the data). */
    MdnOptions networkOptions() {
        return new MdnOptions(1, 1, getMixtures(), MixtureDensityParams.layers(getHiddenLayers()),
                MdnOptions.parseActivation(getActivation()), getLearningRate(), Updater.parse(getUpdater()),
                getSigmaFloor(), getSeed(), MdnOptions.parseDataType(getDataType()), getClipGradientNorm());
    }

    /**
     * The schema {@link MixtureDensityModel#transform} will return, after checking that the features and label
     * columns exist with usable types and that {@code alpha}, {@code mu} and {@code sigma} are free.
     */
    @Override
    public StructType transformSchema(StructType schema) {
        MixtureDensityModel.resolve(schema, "features", List.of(ColumnSpec.named(getFeaturesCol())), null);
        List<ColumnSpec> label = MixtureDensityModel.resolve(schema, "labels",
                List.of(ColumnSpec.named(getLabelCol())), null);
        return MixtureDensityModel.paramsSchema(schema, List.of(ColumnSpec.named(getFeaturesCol())), null,
                getPredictionCol(), label.get(0).type() == ColumnType.NUMBER);
    }

    @Override
    public MixtureDensityRegressor copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** Saves the Params (no data: a regressor has none) as Spark ML metadata. */
    @Override
    public MLWriter write() {
        return new StageWriter(this, null);
    }

    /** Reads a regressor saved by {@link #write()}, checking that the path holds one. */
    public static MLReader<MixtureDensityRegressor> read() {
        return new MLReader<>() {
            @Override
            public MixtureDensityRegressor load(String path) {
                StageMetadata metadata = StageMetadata.load(path, MixtureDensityRegressor.class, sparkSession());
                MixtureDensityRegressor regressor = new MixtureDensityRegressor(metadata.uid());
                metadata.applyTo(regressor);
                return regressor;
            }
        };
    }

    /** The regressor saved at {@code path}. */
    public static MixtureDensityRegressor load(String path) {
        return read().load(path);
    }

    // --- Params: each is declared, with its doc, check and default, in MixtureDensityParams

    /** Column of the features x: an ML Vector, an array of numbers or a number. Default {@code features}. */
    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** Column of the labels y: a number, an array of numbers or an ML Vector. Default {@code label}. */
    public Param<String> labelCol() {
        return labelCol;
    }

    /** {@code error} (fail on invalid rows, naming the column and count) or {@code skip}. Default {@code error}. */
    public Param<String> handleInvalid() {
        return handleInvalid;
    }

    /** Number of Gaussian components K, 1…1000. Default 20. */
    public IntParam mixtures() {
        return mixtures;
    }

    /** Widths of the hidden layers, input to output; may be empty. Default [64, 64, 64]. */
    public IntArrayParam hiddenLayers() {
        return hiddenLayers;
    }

    /** Activation of the hidden layers (tanh, relu, sigmoid, …). Default {@code relu}. */
    public Param<String> activation() {
        return activation;
    }

    /** Step size of the updater. Default 0.01. */
    public DoubleParam learningRate() {
        return learningRate;
    }

    /** adam, nadam, amsgrad, rmsprop, nesterovs or sgd. Default {@code adam}. */
    public Param<String> updater() {
        return updater;
    }

    /** Lower bound on every σ, in standardised label units. Default 0.001. */
    public DoubleParam sigmaFloor() {
        return sigmaFloor;
    }

    /** Floating-point type of the network, {@code float} or {@code double}. Default {@code float}. */
    public Param<String> dataType() {
        return dataType;
    }

    /** Largest L2 norm of each layer's gradient; 0 = no clipping. Default 0. */
    public DoubleParam clipGradientNorm() {
        return clipGradientNorm;
    }

    /** Seed of the weights, the split, the shuffles and the averaging. Default 42. */
    public LongParam seed() {
        return seed;
    }

    /** The most passes over the training rows (early stopping usually ends the run sooner). Default 60. */
    public IntParam epochs() {
        return epochs;
    }

    /** Rows per minibatch on each worker, the most (see globalBatch). Default 512. */
    public IntParam batchSize() {
        return batchSize;
    }

    /** Minibatches each worker fits between two parameter averagings. Default 50. */
    public IntParam averagingFrequency() {
        return averagingFrequency;
    }

    /**
     * Fraction of rows held out for the test NLL, which early stopping and the plateau schedule watch (the
     * validation fraction), 0 ≤ f &lt; 1. Default 0.1.
     */
    public DoubleParam testFraction() {
        return testFraction;
    }

    /** Parallel training workers; 0 = Spark's default parallelism. Default 0. */
    public IntParam workers() {
        return workers;
    }

    /** With schedule {@code exponential}: factor applied to the learning rate after every epoch. Default 0.9. */
    public DoubleParam learningRateDecay() {
        return learningRateDecay;
    }

    /** Learning-rate schedule: {@code plateau}, {@code exponential} or {@code cosine}. Default {@code plateau}. */
    public Param<String> schedule() {
        return schedule;
    }

    /** Whether to stop after {@code patience} epochs without improvement, keeping the best epoch. Default true. */
    public BooleanParam earlyStopping() {
        return earlyStopping;
    }

    /** Epochs without an improvement of the test NLL by {@code minDelta} before early stopping. Default 10. */
    public IntParam patience() {
        return patience;
    }

    /** The smallest decrease of the test NLL, in nats, that counts as an improvement. Default 0.001. */
    public DoubleParam minDelta() {
        return minDelta;
    }

    /** σ of Gaussian noise on the standardised features of every minibatch; 0 = off. Default 0. */
    public DoubleParam inputNoise() {
        return inputNoise;
    }

    /** σ of Gaussian noise on the standardised labels of every minibatch; 0 = off. Default 0. */
    public DoubleParam labelNoise() {
        return labelNoise;
    }

    /** Rows per averaged step each worker's minibatch is scaled toward (0 = off). Default 1024. */
    public IntParam globalBatch() {
        return globalBatch;
    }

    /** With globalBatch: the smallest minibatch a worker is given. Default 128. */
    public IntParam minBatchSize() {
        return minBatchSize;
    }

    /** The fewest training rows a worker gets; fewer workers are used below it (0 = no floor). Default 2048. */
    public IntParam minRowsPerWorker() {
        return minRowsPerWorker;
    }

    /** Block momentum over averaging rounds (0 = plain averaging). Default 0. */
    public DoubleParam blockMomentum() {
        return blockMomentum;
    }

    /** Where fit keeps its per-epoch checkpoint and resumes from it; empty = none. Default empty. */
    public Param<String> checkpointPath() {
        return checkpointPath;
    }

    // --- getters and setters

    public String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    public MixtureDensityRegressor setFeaturesCol(String value) {
        return setParam(featuresCol, value);
    }

    public String getLabelCol() {
        return getOrDefault(labelCol);
    }

    public MixtureDensityRegressor setLabelCol(String value) {
        return setParam(labelCol, value);
    }

    public String getHandleInvalid() {
        return getOrDefault(handleInvalid);
    }

    public MixtureDensityRegressor setHandleInvalid(String value) {
        return setParam(handleInvalid, value);
    }

    public int getMixtures() {
        return (Integer) getOrDefault(mixtures);
    }

    public MixtureDensityRegressor setMixtures(int value) {
        return setParam(mixtures, value);
    }

    public int[] getHiddenLayers() {
        return getOrDefault(hiddenLayers).clone();
    }

    public MixtureDensityRegressor setHiddenLayers(int... widths) {
        return setParam(hiddenLayers, widths == null ? null : widths.clone());
    }

    public String getActivation() {
        return getOrDefault(activation);
    }

    public MixtureDensityRegressor setActivation(String value) {
        return setParam(activation, value);
    }

    public double getLearningRate() {
        return (Double) getOrDefault(learningRate);
    }

    public MixtureDensityRegressor setLearningRate(double value) {
        return setParam(learningRate, value);
    }

    public String getUpdater() {
        return getOrDefault(updater);
    }

    public MixtureDensityRegressor setUpdater(String value) {
        return setParam(updater, value);
    }

    public double getSigmaFloor() {
        return (Double) getOrDefault(sigmaFloor);
    }

    public MixtureDensityRegressor setSigmaFloor(double value) {
        return setParam(sigmaFloor, value);
    }

    public String getDataType() {
        return getOrDefault(dataType);
    }

    public MixtureDensityRegressor setDataType(String value) {
        return setParam(dataType, value);
    }

    public double getClipGradientNorm() {
        return (Double) getOrDefault(clipGradientNorm);
    }

    public MixtureDensityRegressor setClipGradientNorm(double value) {
        return setParam(clipGradientNorm, value);
    }

    public long getSeed() {
        return (Long) getOrDefault(seed);
    }

    public MixtureDensityRegressor setSeed(long value) {
        return setParam(seed, value);
    }

    public int getEpochs() {
        return (Integer) getOrDefault(epochs);
    }

    public MixtureDensityRegressor setEpochs(int value) {
        return setParam(epochs, value);
    }

    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    public MixtureDensityRegressor setBatchSize(int value) {
        return setParam(batchSize, value);
    }

    public int getAveragingFrequency() {
        return (Integer) getOrDefault(averagingFrequency);
    }

    public MixtureDensityRegressor setAveragingFrequency(int value) {
        return setParam(averagingFrequency, value);
    }

    public double getTestFraction() {
        return (Double) getOrDefault(testFraction);
    }

    public MixtureDensityRegressor setTestFraction(double value) {
        return setParam(testFraction, value);
    }

    public int getWorkers() {
        return (Integer) getOrDefault(workers);
    }

    public MixtureDensityRegressor setWorkers(int value) {
        return setParam(workers, value);
    }

    /** Column of the fitted model's prediction (the mean of p(y | x)). Default {@code prediction}. */
    public Param<String> predictionCol() {
        return predictionCol;
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    public MixtureDensityRegressor setPredictionCol(String value) {
        return setParam(predictionCol, value);
    }

    public double getLearningRateDecay() {
        return (Double) getOrDefault(learningRateDecay);
    }

    public MixtureDensityRegressor setLearningRateDecay(double value) {
        return setParam(learningRateDecay, value);
    }

    public String getSchedule() {
        return getOrDefault(schedule);
    }

    public MixtureDensityRegressor setSchedule(String value) {
        return setParam(schedule, value);
    }

    public boolean getEarlyStopping() {
        return (Boolean) getOrDefault(earlyStopping);
    }

    public MixtureDensityRegressor setEarlyStopping(boolean value) {
        return setParam(earlyStopping, value);
    }

    public int getPatience() {
        return (Integer) getOrDefault(patience);
    }

    public MixtureDensityRegressor setPatience(int value) {
        return setParam(patience, value);
    }

    public double getMinDelta() {
        return (Double) getOrDefault(minDelta);
    }

    public MixtureDensityRegressor setMinDelta(double value) {
        return setParam(minDelta, value);
    }

    public double getInputNoise() {
        return (Double) getOrDefault(inputNoise);
    }

    public MixtureDensityRegressor setInputNoise(double value) {
        return setParam(inputNoise, value);
    }

    public double getLabelNoise() {
        return (Double) getOrDefault(labelNoise);
    }

    public MixtureDensityRegressor setLabelNoise(double value) {
        return setParam(labelNoise, value);
    }

    public int getGlobalBatch() {
        return (Integer) getOrDefault(globalBatch);
    }

    public MixtureDensityRegressor setGlobalBatch(int value) {
        return setParam(globalBatch, value);
    }

    public int getMinBatchSize() {
        return (Integer) getOrDefault(minBatchSize);
    }

    public MixtureDensityRegressor setMinBatchSize(int value) {
        return setParam(minBatchSize, value);
    }

    public int getMinRowsPerWorker() {
        return (Integer) getOrDefault(minRowsPerWorker);
    }

    public MixtureDensityRegressor setMinRowsPerWorker(int value) {
        return setParam(minRowsPerWorker, value);
    }

    public double getBlockMomentum() {
        return (Double) getOrDefault(blockMomentum);
    }

    public MixtureDensityRegressor setBlockMomentum(double value) {
        return setParam(blockMomentum, value);
    }

    public String getCheckpointPath() {
        return getOrDefault(checkpointPath);
    }

    public MixtureDensityRegressor setCheckpointPath(String value) {
        return setParam(checkpointPath, value);
    }

    private <T> MixtureDensityRegressor setParam(Param<T> param, T value) {
        set(param, value);
        return this;
    }
}
