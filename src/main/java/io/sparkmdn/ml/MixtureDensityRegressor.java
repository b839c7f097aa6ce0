package io.sparkmdn.ml;

import io.sparkmdn.input.ColumnSpec;
import io.sparkmdn.input.ColumnType;
import io.sparkmdn.input.InputDescription;
import io.sparkmdn.input.InputTable;
import io.sparkmdn.input.InvalidRows;
import io.sparkmdn.input.PreparedInput;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.RunDescription;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.nn.Updater;
import io.sparkmdn.spark.SparkTrainer;
import io.sparkmdn.train.SparkTrainOptions;
import io.sparkmdn.train.TrainOptions;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.Estimator;
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
    /** The local property behind {@link SparkContext#setJobDescription}. */
    private static final String JOB_DESCRIPTION = "spark.job.description";

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
        predictionCol = MixtureDensityParams.predictionCol(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    /**
     * Trains on {@code dataset}'s features and label columns and returns the fitted model, whose parent is
     * this regressor and whose training summary holds the per-epoch NLLs.
     *
     * @throws IllegalArgumentException for a missing or non-numeric column, no rows, rows of different
     *                                  dimensions, or (with {@code handleInvalid = error}) invalid rows
     */
    @Override
    public MixtureDensityModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        RunDescription run = runDescription();
        SparkContext sc = dataset.sparkSession().sparkContext();
        String previousDescription = sc.getLocalProperty(JOB_DESCRIPTION);
        try {
            sc.setJobDescription("MixtureDensityRegressor: check columns '" + getFeaturesCol() + "' and '"
                    + getLabelCol() + "'");
            PreparedInput rows = InputTable.prepare(dataset.toDF(), "the input", run.input(), null);
            RunDescription described = run.withData(rows.columns(), rows.fingerprint());
            MdnModel trained = SparkTrainer.train(dataset.sparkSession(), rows.data(), described.network(),
                    described.training(), stats -> { });
            trained = trained.withRun(described)
                    .withTraining(trained.training().withDroppedRows(rows.droppedRows()));
            return copyValues(new MixtureDensityModel(uid, trained).setParent(this), ParamMap.empty());
        } finally {
            sc.setJobDescription(previousDescription);
        }
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
                getWorkers(), getLearningRateDecay()), null);
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

    /** Number of Gaussian components K, 1…1000. Default 5. */
    public IntParam mixtures() {
        return mixtures;
    }

    /** Widths of the hidden layers, input to output; may be empty. Default [32, 32]. */
    public IntArrayParam hiddenLayers() {
        return hiddenLayers;
    }

    /** Activation of the hidden layers (tanh, relu, sigmoid, …). Default {@code tanh}. */
    public Param<String> activation() {
        return activation;
    }

    /** Step size of the updater. Default 0.005. */
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

    /** Passes over the training rows. Default 10. */
    public IntParam epochs() {
        return epochs;
    }

    /** Rows per minibatch on each worker. Default 256. */
    public IntParam batchSize() {
        return batchSize;
    }

    /** Minibatches each worker fits between two parameter averagings. Default 20. */
    public IntParam averagingFrequency() {
        return averagingFrequency;
    }

    /** Fraction of rows held out for the test NLL, 0 ≤ f &lt; 1. Default 0.1. */
    public DoubleParam testFraction() {
        return testFraction;
    }

    /** Parallel training workers; 0 = Spark's default parallelism. Default 0. */
    public IntParam workers() {
        return workers;
    }

    /** Factor applied to the learning rate after every epoch; 1 = none. Default 1. */
    public DoubleParam learningRateDecay() {
        return learningRateDecay;
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

    private <T> MixtureDensityRegressor setParam(Param<T> param, T value) {
        set(param, value);
        return this;
    }
}
