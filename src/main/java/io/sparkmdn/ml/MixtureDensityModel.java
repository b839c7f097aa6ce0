package io.sparkmdn.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.sparkmdn.input.ColumnSpec;
import io.sparkmdn.input.InputDescription;
import io.sparkmdn.input.InputTable;
import io.sparkmdn.math.Conformal;
import io.sparkmdn.math.Scoring;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelCalibration;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.nn.NativeBinary;
import io.sparkmdn.spark.Columns;
import io.sparkmdn.spark.ConformalCalibrator;
import io.sparkmdn.spark.MixtureInference;
import io.sparkmdn.spark.MixtureScores;
import io.sparkmdn.util.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted Mixture Density Network as a Spark ML {@link Model}: {@link #transform} adds each row's mixture
 * p(y | x) as {@code alpha} (K weights), {@code mu} and {@code sigma} (K arrays of d_y), in the label's units;
 * {@link #sample} draws labels from it and {@link #logLikelihood} scores labels under it. All three run in
 * batches on the executors with the model broadcast once, through the same code as the {@code params} and
 * {@code sample} jobs ({@link MixtureInference}), and keep every input column.
 *
 * <p>Saved as Spark ML saves a model, so {@code PipelineModel.save}/{@code load} work with it:
 * <pre>
 *   PATH/metadata/part-00000   class, uid, Params (JSON)
 *   PATH/mdn/                  the network, normalisation and training summary: a model directory
 *                              ({@link ModelDirectory}) the params, sample and evaluate jobs read as is
 * </pre>
 */
public final class MixtureDensityModel extends Model<MixtureDensityModel> implements MLWritable {

    private static final long serialVersionUID = 1L;

    static {
        NativeBinary.select(); // ND4J's build for this CPU, before ND4J loads in the caller's driver
    }
    /** The subdirectory of a saved model that holds its {@link ModelDirectory}. */
    public static final String MODEL_DIRECTORY = "mdn";
    /** The column keying each row's draws in {@link #sample}. */
    private static final String KEY = "__key";

    private final String uid;
    private final MdnModel mdn;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final DoubleArrayParam quantiles;
    private final DoubleParam interval;

    /** Wraps a trained {@link MdnModel} (from the train job's model directory, say) with a random uid. */
    public MixtureDensityModel(MdnModel mdn) {
        this(Identifiable.randomUID("mdnModel"), mdn);
    }

    /** Wraps a trained {@link MdnModel} with the given uid and default Params. */
    public MixtureDensityModel(String uid, MdnModel mdn) {
        Checks.checkArgument(mdn != null, "The MDN model must not be null");
        this.uid = uid;
        this.mdn = mdn;
        featuresCol = MixtureDensityParams.featuresCol(this);
        labelCol = MixtureDensityParams.labelCol(this);
        predictionCol = MixtureDensityParams.predictionCol(this);
        quantiles = MixtureDensityParams.quantiles(this);
        interval = MixtureDensityParams.interval(this);
        // the model's own columns are the defaults, as they are for the jobs
        InputDescription columns = mdn.columns();
        if (columns.features().size() == 1) {
            setDefault(featuresCol, columns.features().get(0).name());
        }
        if (columns.labels().size() == 1) {
            setDefault(labelCol, columns.labels().get(0).name());
        }
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The wrapped model: options, normalisation, training summary, and plain-Java prediction. */
    public MdnModel mdnModel() {
        return mdn;
    }

    /**
     * {@code dataset} with {@code alpha} (array&lt;double&gt;, K), {@code mu} and {@code sigma}
     * (array&lt;array&lt;double&gt;&gt;, K arrays of d_y) added. Lazy: a row whose features are null, NaN,
     * infinite or not d_x values fails its task with a message naming the column and the value.
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        Dataset<Row> input = dataset.toDF();
        Dataset<Row> params = keepingNames(withFeatures(input), List.of(input.columns()),
                (in, keep) -> MixtureInference.params(in, keep, mdn));
        return params.withColumn(getPredictionCol(), mixtureMean(mdn.options().outputDim()));
    }

    /**
     * {@code dataset} with the {@code predictionCol} (the mean) and the score columns of the {@code score} job
     * ({@link MixtureScores}): mean, std, mode, quantiles at the {@code quantiles} levels, the central
     * {@code interval}'s lower and upper bounds, and, when the label columns are present, log_likelihood, pit,
     * crps, outlier_p and in_interval. The same code as the job computes them, on the executors.
     */
    public Dataset<Row> score(Dataset<?> dataset) {
        StructType schema = dataset.schema();
        resolve(schema, "features", featureColumns(), mdn.columns().features());
        Dataset<Row> input = dataset.toDF();
        boolean labelled = labelColumns().stream().allMatch(c -> Arrays.stream(schema.fieldNames())
                .anyMatch(n -> n.equalsIgnoreCase(c.name())));
        Dataset<Row> rows = withFeatures(input);
        if (labelled) {
            List<ColumnSpec> labels = resolve(schema, "labels", labelColumns(), mdn.columns().labels());
            rows = rows.withColumn(Columns.Y, InputTable.checkedValues(labels, mdn.options().outputDim(), "labels"));
        }
        List<String> keep = List.of(input.columns());
        List<String> outputs = new ArrayList<>(MixtureScores.ALWAYS);
        outputs.add(getPredictionCol());
        checkInputColumns(schema, outputs, keep);
        Scoring scoring = new Scoring(getQuantiles(), getInterval());
        Dataset<Row> scored = keepingNames(rows, keep, (in, kept) -> MixtureScores.score(in, kept, mdn, scoring));
        return scored.withColumn(getPredictionCol(), col(MixtureScores.MEAN));
    }

    /** Σ_k α_k μ_k (per dimension) from the {@code alpha} and {@code mu} columns, in Spark SQL. */
    private static org.apache.spark.sql.Column mixtureMean(int d) {
        String one = "aggregate(zip_with(alpha, mu, (a, m) -> a * m[%s]), 0D, (acc, v) -> acc + v)";
        if (d == 1) {
            return expr(String.format(one, 0));
        }
        return expr("transform(sequence(0, " + (d - 1) + "), l -> " + String.format(one, "l") + ")");
    }

    /** {@link #sample(Dataset, int, long, double)} at temperature 1: draws from the fitted mixtures. */
    public Dataset<Row> sample(Dataset<?> dataset, int samples, long seed) {
        return sample(dataset, samples, seed, 1.0);
    }

    /**
     * {@code samples} draws of y per input row, in long format: the input's columns except the label column,
     * then {@code sample_id} (0 … samples−1) and {@code y} (double for d_y = 1, else array&lt;double&gt;). A row's
     * draws depend only on {@code seed} and the values of those columns, taken by name as the {@code sample} job
     * takes them ({@link MixtureInference#defaultKeyColumns}), so rows that differ in any column draw
     * independently, the output is the same for any partitioning and column order, and the job draws the same.
     *
     * @param temperature 1 samples the fitted mixture; T divides the weights' logits and multiplies σ; 0 gives
     *                    the most probable component's mean
     */
    public Dataset<Row> sample(Dataset<?> dataset, int samples, long seed, double temperature) {
        StructType schema = dataset.schema();
        resolve(schema, "features", featureColumns(), mdn.columns().features());
        Dataset<Row> input = dataset.toDF();
        List<String> keep = new ArrayList<>(List.of(input.columns()));
        labelColumns().forEach(c -> keep.remove(c.name()));
        checkInputColumns(schema, List.of(MixtureInference.SAMPLE_ID, MixtureInference.SAMPLE), keep);
        Dataset<Row> keyed = withFeatures(input).withColumn(KEY, MixtureInference.rowKey(MixtureInference
                .defaultKeyColumns(List.of(input.columns()), labelColumns().stream().map(ColumnSpec::name).toList())));
        return keepingNames(keyed, keep,
                (in, kept) -> MixtureInference.sample(in, kept, mdn, samples, seed, temperature, col(KEY)));
    }

    /**
     * {@code dataset} with {@code log_likelihood} added: log p(y | x) of each row's label under its fitted
     * mixture, in nats and the label's units (the mean of its negation is the NLL the training logs).
     */
    public Dataset<Row> logLikelihood(Dataset<?> dataset) {
        StructType schema = dataset.schema();
        resolve(schema, "features", featureColumns(), mdn.columns().features());
        List<ColumnSpec> labels = resolve(schema, "labels", labelColumns(), mdn.columns().labels());
        Dataset<Row> input = dataset.toDF();
        List<String> keep = List.of(input.columns());
        checkInputColumns(schema, List.of(MixtureInference.LOG_LIKELIHOOD), keep);
        Dataset<Row> xy = withFeatures(input).withColumn(Columns.Y,
                InputTable.checkedValues(labels, mdn.options().outputDim(), "labels"));
        return keepingNames(xy, keep, (in, kept) -> MixtureInference.logLikelihood(in, kept, mdn));
    }

    /**
     * A copy of this model calibrated by split-conformal prediction on {@code labelled} rows it did not train on
     * (the {@code calibrate} job's calibration: {@code method} "dcp" or "cqr", CQR's interval {@code levels}); its
     * {@link #score} gives calibrated quantiles, intervals and PIT, with the raw ones beside them, and it saves and
     * loads with its calibration. This model is left as it is. Under exchangeability of the calibration rows and
     * the rows scored later, the calibrated interval at level L holds the label with probability at least L, for
     * each label dimension on its own.
     */
    public MixtureDensityModel calibrate(Dataset<?> labelled, String method, double... levels) {
        return calibrate(labelled, method, Conformal.DEFAULT_CONFIDENCE, levels);
    }

    /** {@link #calibrate(Dataset, String, double...)} with its guarantees at {@code confidence} (0: on average). */
    public MixtureDensityModel calibrate(Dataset<?> labelled, String method, double confidence, double... levels) {
        StructType schema = labelled.schema();
        resolve(schema, "features", featureColumns(), mdn.columns().features());
        List<ColumnSpec> labels = resolve(schema, "labels", labelColumns(), mdn.columns().labels());
        Dataset<Row> xy = withFeatures(labelled.toDF()).withColumn(Columns.Y,
                InputTable.checkedValues(labels, mdn.options().outputDim(), "labels"));
        Conformal conformal = ConformalCalibrator.fit(xy, mdn, Conformal.Method.parse(method), confidence,
                levels.length == 0 ? new double[] {Scoring.DEFAULT_INTERVAL} : levels);
        ModelCalibration made = new ModelCalibration(conformal, ModelCalibration.TABLE, "a DataFrame", null,
                java.time.Instant.now().toString());
        return copyValues(new MixtureDensityModel(uid, mdn.withCalibration(made)), ParamMap.empty());
    }

    /** The input schema with {@code alpha}, {@code mu} and {@code sigma} added, after checking the features. */
    @Override
    public StructType transformSchema(StructType schema) {
        return paramsSchema(schema, featureColumns(), mdn.columns().features(), getPredictionCol(),
                mdn.options().outputDim() == 1);
    }

    /**
     * The feature columns this model reads: its own (by name, with their types and widths), or the
     * {@code featuresCol} set in their place.
     */
    List<ColumnSpec> featureColumns() {
        return chosen(featuresCol, mdn.columns().features());
    }

    /** The label columns this model reads: its own, or the {@code labelCol} set in their place. */
    List<ColumnSpec> labelColumns() {
        return chosen(labelCol, mdn.columns().labels());
    }

    private List<ColumnSpec> chosen(Param<String> param, List<ColumnSpec> own) {
        if (!isSet(param)) {
            return own;
        }
        String name = $(param);
        return List.of(own.size() == 1 ? own.get(0).withName(name) : ColumnSpec.named(name));
    }

    /** {@link InputTable#resolve} for a DataFrame, with Spark's case sensitivity. */
    static List<ColumnSpec> resolve(StructType schema, String role, List<ColumnSpec> requested,
                                    List<ColumnSpec> model) {
        return InputTable.resolve(schema, SQLConf.get().caseSensitiveAnalysis(), "the input", role, requested, model);
    }

    /** {@code schema} plus the columns of {@link MixtureInference#params}, after checking the input. */
    static StructType paramsSchema(StructType schema, List<ColumnSpec> features, List<ColumnSpec> model,
                                   String predictionCol, boolean scalarPrediction) {
        resolve(schema, "features", features, model);
        List<String> outputs = List.of(MixtureInference.ALPHA, MixtureInference.MU, MixtureInference.SIGMA,
                predictionCol);
        checkInputColumns(schema, outputs, List.of(schema.fieldNames()));
        DataType vector = DataTypes.createArrayType(DataTypes.DoubleType, false);
        return schema
                .add(MixtureInference.ALPHA, vector, false)
                .add(MixtureInference.MU, DataTypes.createArrayType(vector, false), false)
                .add(MixtureInference.SIGMA, DataTypes.createArrayType(vector, false), false)
                .add(predictionCol, scalarPrediction ? DataTypes.DoubleType : vector, true);
    }

    /** Fails if a kept column would collide with an output or with the library's own feature and label columns. */
    private static void checkInputColumns(StructType schema, List<String> outputs, List<String> keep) {
        for (String internal : List.of(Columns.X, Columns.Y)) {
            Checks.checkArgument(!Arrays.asList(schema.fieldNames()).contains(internal),
                    "Input column '%s' clashes with a column the model adds internally", internal);
        }
        for (String c : keep) {
            Checks.checkArgument(!outputs.contains(c),
                    "Input column '%s' clashes with an output column of the same name (outputs: %s)", c, outputs);
        }
    }

    /**
     * {@code inference} of {@code input} with the kept columns under plain positional names, which its output
     * then gets back: {@link MixtureInference} names kept columns unquoted, so a column named {@code a.b} would
     * resolve as field {@code b} of a column {@code a}.
     */
    private static Dataset<Row> keepingNames(Dataset<Row> input, List<String> keep,
                                             BiFunction<Dataset<Row>, List<String>, Dataset<Row>> inference) {
        String[] names = input.columns();
        List<String> plainKeep = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (keep.contains(names[i])) {
                names[i] = "__keep" + i;
                plainKeep.add(names[i]);
            }
        }
        Dataset<Row> output = inference.apply(input.toDF(names), plainKeep);
        String[] outputNames = output.columns();
        for (int i = 0; i < keep.size(); i++) {
            outputNames[i] = keep.get(i);
        }
        return output.toDF(outputNames);
    }

    /** {@code input} with the features as the library's {@link Columns#X}, checked row by row. */
    private Dataset<Row> withFeatures(Dataset<Row> input) {
        List<ColumnSpec> features = resolve(input.schema(), "features", featureColumns(), mdn.columns().features());
        return input.withColumn(Columns.X, InputTable.checkedValues(features, mdn.options().inputDim(), "features"));
    }

    @Override
    public MixtureDensityModel copy(ParamMap extra) {
        MixtureDensityModel copy = copyValues(new MixtureDensityModel(uid, mdn), extra);
        return parent() == null ? copy : copy.setParent(parent());
    }

    /** Saves the Params as Spark ML metadata and the network under {@value #MODEL_DIRECTORY}/. */
    @Override
    public MLWriter write() {
        return new StageWriter(this, (path, spark) -> ModelDirectory.save(mdn,
                new Path(path, MODEL_DIRECTORY).toString(), false, spark.sparkContext().hadoopConfiguration()));
    }

    /** Reads a model saved by {@link #write()}, checking that the path holds one. */
    public static MLReader<MixtureDensityModel> read() {
        return new MLReader<>() {
            @Override
            public MixtureDensityModel load(String path) {
                StageMetadata metadata = StageMetadata.load(path, MixtureDensityModel.class, sparkSession());
                MdnModel mdn = ModelDirectory.load(new Path(path, MODEL_DIRECTORY).toString(),
                        sparkSession().sparkContext().hadoopConfiguration());
                MixtureDensityModel model = new MixtureDensityModel(metadata.uid(), mdn);
                metadata.applyTo(model);
                return model;
            }
        };
    }

    /** The model saved at {@code path}. */
    public static MixtureDensityModel load(String path) {
        return read().load(path);
    }

    // --- Params: declared, with their doc, check and default, in MixtureDensityParams

    /** Column of the features x: an ML Vector, an array of numbers or a number. Default {@code features}. */
    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** Column of the labels y, read by {@link #logLikelihood} and left out by {@link #sample}. Default {@code label}. */
    public Param<String> labelCol() {
        return labelCol;
    }

    /** Column of the prediction (the mean of p(y | x)). Default {@code prediction}. */
    public Param<String> predictionCol() {
        return predictionCol;
    }

    /** Quantile levels of {@link #score}'s quantiles. Default 0.05, 0.5, 0.95. */
    public DoubleArrayParam quantiles() {
        return quantiles;
    }

    /** Central probability of {@link #score}'s interval. Default 0.9. */
    public DoubleParam interval() {
        return interval;
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    public MixtureDensityModel setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public double[] getQuantiles() {
        return getOrDefault(quantiles).clone();
    }

    public MixtureDensityModel setQuantiles(double... levels) {
        set(quantiles, levels == null ? null : levels.clone());
        return this;
    }

    public double getInterval() {
        return (Double) getOrDefault(interval);
    }

    public MixtureDensityModel setInterval(double value) {
        set(interval, value);
        return this;
    }

    public String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    public MixtureDensityModel setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    public String getLabelCol() {
        return getOrDefault(labelCol);
    }

    public MixtureDensityModel setLabelCol(String value) {
        set(labelCol, value);
        return this;
    }
}
