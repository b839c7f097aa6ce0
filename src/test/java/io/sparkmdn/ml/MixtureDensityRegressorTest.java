package io.sparkmdn.ml;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.input.ColumnSpec;
import io.sparkmdn.input.ColumnType;
import io.sparkmdn.input.InputDescription;
import io.sparkmdn.input.InputTable;
import io.sparkmdn.input.InvalidRows;
import io.sparkmdn.input.PreparedInput;
import io.sparkmdn.model.Checkpoints;
import io.sparkmdn.train.EpochStats;
import io.sparkmdn.model.TrainingSummary;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.nn.Updater;
import io.sparkmdn.spark.SparkTestBase;
import io.sparkmdn.train.LearningRateSchedule;
import io.sparkmdn.train.ScaleOut;
import io.sparkmdn.train.SparkTrainOptions;
import io.sparkmdn.train.TrainOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

class MixtureDensityRegressorTest extends SparkTestBase {

    @TempDir
    Path dir;

    private static String message(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void everyParamHasADocAndTheLibrarysDefault() {
        MixtureDensityRegressor r = new MixtureDensityRegressor();
        List<String> names = Arrays.stream(r.params()).map(Param::name).sorted().toList();
        assertEquals(List.of("activation", "averagingFrequency", "batchSize", "blockMomentum", "checkpointPath",
                "clipGradientNorm", "dataType", "earlyStopping", "epochs", "featuresCol", "globalBatch",
                "handleInvalid", "hiddenLayers", "inputNoise", "labelCol", "labelNoise", "learningRate",
                "learningRateDecay", "minBatchSize", "minDelta", "minRowsPerWorker", "mixtures", "patience",
                "predictionCol", "schedule", "seed", "sigmaFloor", "testFraction", "updater", "workers"), names);
        for (Param<?> p : r.params()) {
            assertTrue(r.hasDefault(p) && !r.isSet(p), p.name() + " has a default and is not set");
            assertTrue(p.doc().contains("Default"), p.name() + ": " + p.doc());
        }
        assertEquals(MdnOptions.defaults(), r.networkOptions(), "defaults are the train job's");
        assertEquals(SparkTrainOptions.defaults(), r.runDescription().training(), "training defaults too");
        assertEquals("", r.getCheckpointPath(), "no checkpoints");
        assertEquals("features", r.getFeaturesCol());
        assertEquals("label", r.getLabelCol());
        assertEquals(SparkTrainOptions.DEFAULT_MAX_EPOCHS, r.getEpochs());
        assertEquals(TrainOptions.DEFAULT_BATCH_SIZE, r.getBatchSize());
        assertEquals(SparkTrainOptions.DEFAULT_AVERAGING_FREQUENCY, r.getAveragingFrequency());
        assertEquals(0.1, r.getTestFraction());
        assertEquals(0, r.getWorkers());
        assertTrue(r.uid().startsWith("mdnRegressor_"), r.uid());
        assertTrue(r.explainParams().contains("mixtures: Number of Gaussian components K (1 to 1000). Default: 20"
                + " (default: 20)"), r.explainParams());
    }

    @Test
    void setParamsBecomeTheNetworkOptions() {
        MixtureDensityRegressor r = new MixtureDensityRegressor().setMixtures(3).setHiddenLayers(8)
                .setActivation("relu").setLearningRate(0.01).setUpdater("sgd").setSigmaFloor(0.05)
                .setDataType("double").setClipGradientNorm(5).setSeed(9);
        assertEquals(new MdnOptions(1, 1, 3, List.of(8), Activation.RELU, 0.01, Updater.SGD, 0.05, 9,
                DataType.DOUBLE, 5), r.networkOptions());
        assertEquals(List.of(), new MixtureDensityRegressor().setHiddenLayers().networkOptions().hiddenLayers());
        MixtureDensityRegressor copy = r.copy(new ParamMap().put(r.epochs().w(3)));
        assertEquals(r.uid(), copy.uid());
        assertEquals(3, copy.getEpochs(), "the extra Param");
        assertEquals(r.networkOptions(), copy.networkOptions(), "and the rest");
        assertEquals(SparkTrainOptions.DEFAULT_MAX_EPOCHS, r.getEpochs(), "the original unchanged");
        int[] widths = {4, 4};
        r.setHiddenLayers(widths);
        widths[0] = 99;
        assertArrayEquals(new int[] {4, 4}, r.getHiddenLayers(), "the regressor keeps its own copy");
    }

    @Test
    void setParamsBecomeTheTrainingSettings() {
        MixtureDensityRegressor r = new MixtureDensityRegressor().setEpochs(7).setBatchSize(32).setSeed(9)
                .setSchedule("Cosine").setPatience(2).setMinDelta(0.5).setInputNoise(0.1).setLabelNoise(0.2)
                .setGlobalBatch(4096).setMinBatchSize(64).setMinRowsPerWorker(100).setBlockMomentum(0.5);
        assertEquals(new SparkTrainOptions(new TrainOptions(7, 32, 9), SparkTrainOptions.DEFAULT_AVERAGING_FREQUENCY,
                SparkTrainOptions.DEFAULT_TEST_FRACTION, 0, SparkTrainOptions.DEFAULT_LEARNING_RATE_DECAY,
                LearningRateSchedule.COSINE, 2, 0.5, 0.1, 0.2, new ScaleOut(4096, 64, 100, 0.5)),
                r.runDescription().training());
        assertEquals(ScaleOut.DEFAULT, new MixtureDensityRegressor().runDescription().training().scaleOut());
        assertEquals(null, r.setEarlyStopping(false).runDescription().training().patience(),
                "without early stopping: all epochs, the last kept");
    }

    @Test
    void invalidValuesFailWhenSetAndNameTheValue() {
        MixtureDensityRegressor r = new MixtureDensityRegressor();
        assertEquals("Invalid number of mixtures: 0 (must be between 1 and 1000)", message(() -> r.setMixtures(0)));
        assertEquals("Invalid width of hidden layer 1: 0 (must be >= 1)", message(() -> r.setHiddenLayers(32, 0)));
        assertTrue(message(() -> r.setUpdater("adamw")).startsWith("Unknown updater: 'adamw'"));
        assertTrue(message(() -> r.setActivation("swish2")).startsWith("Unknown activation: 'swish2'"));
        assertEquals("Invalid learning rate: -1.0 (must be finite and > 0)", message(() -> r.setLearningRate(-1)));
        assertEquals("Invalid data-type: 'half' (must be float or double)", message(() -> r.setDataType("half")));
        assertEquals("Invalid gradient clipping norm: -1.0 (must be finite and >= 0; 0 = off)",
                message(() -> r.setClipGradientNorm(-1)));
        assertEquals("Invalid number of epochs: 0 (must be >= 1)", message(() -> r.setEpochs(0)));
        assertEquals("Invalid batch size: -5 (must be >= 1)", message(() -> r.setBatchSize(-5)));
        assertEquals("Invalid averaging frequency: 0 (must be >= 1)", message(() -> r.setAveragingFrequency(0)));
        assertEquals("Invalid test fraction: 1.0 (must be >= 0 and < 1)", message(() -> r.setTestFraction(1.0)));
        assertEquals("Invalid number of workers: -1 (must be >= 0)", message(() -> r.setWorkers(-1)));
        assertEquals("Invalid value for invalid rows: 'keep' (expected one of: error, skip)",
                message(() -> r.setHandleInvalid("keep")));
        assertEquals("Invalid learning-rate decay: 0.0 (must be > 0 and <= 1)",
                message(() -> r.setLearningRateDecay(0)));
        assertEquals("Invalid featuresCol: '' (must name a column)", message(() -> r.setFeaturesCol("")));
        assertEquals("Invalid patience: 0 (must be >= 1 epoch)", message(() -> r.setPatience(0)));
        assertEquals("Invalid min delta: -0.1 (must be >= 0 and finite)", message(() -> r.setMinDelta(-0.1)));
        assertEquals("Invalid input noise: -1.0 (must be >= 0 and finite)", message(() -> r.setInputNoise(-1)));
        assertEquals("Invalid label noise: -2.0 (must be >= 0 and finite)", message(() -> r.setLabelNoise(-2)));
        assertEquals("Unknown learning-rate schedule: 'step' (known: plateau, exponential, cosine)",
                message(() -> r.setSchedule("step")));
        assertEquals("Invalid number of mixtures: 1001 (must be between 1 and 1000)",
                message(() -> new ParamMap().put(r.mixtures().w(1001))), "a ParamMap is checked too");
        assertEquals(MdnOptions.DEFAULT_MIXTURES, r.getMixtures(), "a refused value leaves the Param as it was");
    }

    @Test
    void saveAndLoadKeepTheUidAndEveryParam() throws IOException {
        MixtureDensityRegressor r = new MixtureDensityRegressor().setLabelCol("y").setMixtures(7)
                .setHiddenLayers(16, 8).setLearningRate(0.002).setSeed(-3).setTestFraction(0)
                .setHandleInvalid("skip");
        String path = dir.resolve("regressor").toString();
        r.save(path);
        MixtureDensityRegressor loaded = MixtureDensityRegressor.load(path);

        assertEquals(r.uid(), loaded.uid());
        for (Param<?> p : r.params()) {
            Param<?> q = loaded.getParam(p.name());
            assertEquals(r.isSet(p), loaded.isSet(q), p.name() + " set");
            Object expected = r.getOrDefault(p);
            Object actual = loaded.getOrDefault(q);
            assertTrue(expected instanceof int[] e ? Arrays.equals(e, (int[]) actual) : expected.equals(actual),
                    p.name() + ": " + expected + " vs " + actual);
        }
        assertEquals(r.networkOptions(), loaded.networkOptions());
        assertTrue(Files.readString(dir.resolve("regressor/metadata/part-00000"))
                .contains("\"class\":\"io.sparkmdn.ml.MixtureDensityRegressor\""));

        assertThrows(IOException.class, () -> r.save(path), "an existing path is refused");
        r.setMixtures(2).write().overwrite().save(path);
        assertEquals(2, MixtureDensityRegressor.load(path).getMixtures());
    }

    @Test
    void loadingSomethingElseFailsNamingWhatIsThere() throws IOException {
        String assembler = dir.resolve("assembler").toString();
        new VectorAssembler().setInputCols(new String[] {"x"}).setOutputCol("features").save(assembler);
        assertEquals("Cannot load a MixtureDensityRegressor from " + assembler
                        + ": it holds a org.apache.spark.ml.feature.VectorAssembler (load it with that class)",
                message(() -> MixtureDensityRegressor.load(assembler)));
        assertTrue(message(() -> MixtureDensityModel.load(assembler)).startsWith(
                "Cannot load a MixtureDensityModel from " + assembler + ": it holds a org.apache.spark.ml.feature"));

        String missing = dir.resolve("nothing").toString();
        assertEquals("Cannot load a MixtureDensityRegressor from " + missing + ": the path does not exist",
                message(() -> MixtureDensityRegressor.load(missing)));
        Files.createDirectories(dir.resolve("empty"));
        assertTrue(message(() -> MixtureDensityModel.load(dir.resolve("empty").toString()))
                .endsWith("it has no metadata/ (not a saved Spark ML stage)"));
    }

    @Test
    void transformSchemaNamesTheBadColumn() {
        Dataset<Row> data = MlTestData.seedToy(spark, 1, 10, 1);
        MixtureDensityRegressor r = new MixtureDensityRegressor().setFeaturesCol("x").setLabelCol("y");
        assertEquals(List.of("id", "x", "y", "alpha", "mu", "sigma", "prediction"),
                List.of(r.transformSchema(data.schema()).fieldNames()));
        assertEquals("Column 'features' of the features [features] not found in the input; columns: id, x, y",
                message(() -> new MixtureDensityRegressor().fit(data)));
        Dataset<Row> text = data.withColumn("y", col("y").cast("string"));
        assertEquals("Column 'y' of the labels [y] has type string in the input; expected a number, an array of"
                + " numbers or an ML vector (in CSV, one non-numeric value makes the whole column a string)",
                message(() -> r.fit(text)));
        assertEquals("Input column 'alpha' clashes with an output column of the same name (outputs: [alpha, mu, sigma,"
                + " prediction])",
                message(() -> r.transformSchema(data.withColumn("alpha", lit(1)).schema())));
    }

    @Test
    void fitRefusesInvalidRowsNamingTheColumnAndTheCount() {
        Dataset<Row> data = MlTestData.seedToy(spark, 1, 200, 2)
                .withColumn("x", when(col("id").isin(3, 4), lit(Double.NaN)).otherwise(col("x")))
                .withColumn("y", when(col("id").isin(4, 7, 8), lit(null)).otherwise(col("y")));
        String m = message(() -> new MixtureDensityRegressor().setFeaturesCol("x").setLabelCol("y").fit(data));
        assertTrue(m.startsWith("4 of 200 rows in the input are invalid: column 'x' is NaN in 2 rows,"
                + " column 'y' is null in 3 rows (e.g. row "), m);
        assertTrue(m.endsWith("); fix them, or skip them (--invalid-rows skip; in Spark ML, handleInvalid 'skip')"),
                m);

        PreparedInput rows = InputTable.prepare(data, "the input", InputDescription.named(null, List.of("x"),
                List.of("y"), InvalidRows.SKIP), null);
        assertEquals(196, rows.rows());
        assertEquals(4, rows.droppedRows());
        assertEquals(196, rows.data().count());
    }

    @Test
    void vectorAndArrayColumnsGiveTheirDimensions() {
        Dataset<Row> data = MlTestData.seedToy(spark, 1, 50, 2).withColumn("x2", col("x").multiply(2))
                .withColumn("yy", array(col("y"), col("y").plus(1)));
        Dataset<Row> assembled = new VectorAssembler().setInputCols(new String[] {"x", "x2"})
                .setOutputCol("features").transform(data);
        PreparedInput rows = InputTable.prepare(assembled, "the input", InputDescription.named(null,
                List.of("features"), List.of("yy"), InvalidRows.ERROR), null);
        assertEquals(2, rows.inputDim());
        assertEquals(2, rows.outputDim());
        assertEquals(List.of(new ColumnSpec("features", ColumnType.VECTOR, 2)), rows.columns().features());
        Row first = rows.data().orderBy(col("__y").getItem(0)).first();
        List<Double> x = first.getList(first.fieldIndex("__x"));
        List<Double> y = first.getList(first.fieldIndex("__y"));
        assertEquals(2 * x.get(0), x.get(1), 1e-12, "the vector's values in order");
        assertEquals(y.get(0) + 1, y.get(1), 1e-12, "the array's values in order");
        String mixed = message(() -> InputTable.prepare(assembled.withColumn("yy",
                        when(col("id").equalTo(0), array(col("y"))).otherwise(col("yy"))), "the input",
                InputDescription.named(null, List.of("features"), List.of("yy"), InvalidRows.ERROR), null));
        assertTrue(mixed.startsWith("1 of 50 rows in the input are invalid: column 'yy' has a width other than 2 (the"
                + " most common; the column has width 2 in 49 rows, width 1 in 1 row) in 1 row (e.g. row "), mixed);
    }

    @Test
    void skippedRowsAreLeftOutOfTrainingAndCounted() {
        Dataset<Row> data = MlTestData.seedToy(spark, 2, 600, 2)
                .withColumn("y", when(col("id").lt(3), lit(Double.POSITIVE_INFINITY)).otherwise(col("y")));
        MixtureDensityModel model = new MixtureDensityRegressor().setFeaturesCol("x").setLabelCol("y")
                .setHandleInvalid("skip").setEpochs(1).setBatchSize(64).setHiddenLayers(4).setMixtures(2)
                .setWorkers(1).setTestFraction(0.2).fit(data);
        TrainingSummary summary = model.mdnModel().training();
        assertEquals(3, summary.droppedRows());
        assertEquals(597, summary.trainRows() + summary.testRows());
        assertEquals(1, summary.epochs());
        assertEquals(2, model.mdnModel().options().mixtures());
        assertEquals("x", model.getFeaturesCol(), "the model takes the regressor's columns");
        assertFalse(model.hasParam("mixtures"), "the model's own Params are its columns");
    }

    /** A tiny, fast regressor on seed-toy columns x and y. */
    private static MixtureDensityRegressor tiny() {
        return new MixtureDensityRegressor().setFeaturesCol("x").setLabelCol("y").setBatchSize(64)
                .setHiddenLayers(4).setMixtures(2).setWorkers(1).setTestFraction(0.2);
    }

    @Test
    void earlyStoppingEndsTheRunAndKeepsTheBestEpoch() {
        Dataset<Row> data = MlTestData.seedToy(spark, 4, 2000, 2);
        TrainingSummary summary = tiny().setEpochs(5).setPatience(1).setMinDelta(10).fit(data).mdnModel().training();
        assertEquals(2, summary.epochs(), "no epoch improves by 10 nats: epoch 2 ends the run");
        assertEquals(1, summary.bestEpoch());
        assertEquals(summary.history().get(0).testNll(), summary.testNll(), "the kept model is epoch 1's");
        assertTrue(summary.stopReason().startsWith("early stop after epoch 2"), summary.stopReason());
    }

    @Test
    void aCheckpointIsSavedEveryEpochAndResumedWithTheSameParams() {
        Dataset<Row> data = MlTestData.seedToy(spark, 5, 2000, 2);
        String path = dir.resolve("fit").toString();
        TrainingSummary first = tiny().setEpochs(2).setCheckpointPath(path).fit(data).mdnModel().training();
        assertEquals(2, Checkpoints.load(path, spark.sparkContext().hadoopConfiguration()).orElseThrow()
                .training().epochs(), "the checkpoint holds the last epoch");

        TrainingSummary resumed = tiny().setEpochs(3).setCheckpointPath(path).fit(data).mdnModel().training();
        assertEquals(List.of(1, 2, 3), resumed.history().stream().map(EpochStats::epoch).toList());
        assertEquals(first.history().stream().map(EpochStats::testNll).toList(),
                resumed.history().subList(0, 2).stream().map(EpochStats::testNll).toList(), "the history goes on");

        assertEquals("Cannot resume the checkpoint in " + path + ": mixtures is 3 but the checkpoint was trained "
                + "with 2 (only epochs and learningRate may change; use another checkpointPath to train anew)",
                message(() -> tiny().setMixtures(3).setEpochs(4).setCheckpointPath(path).fit(data)));
        assertTrue(message(() -> tiny().setEarlyStopping(false).setEpochs(4).setCheckpointPath(path).fit(data))
                .contains(": patience is none (earlyStopping false) but the checkpoint was trained with "
                        + SparkTrainOptions.DEFAULT_PATIENCE + " ("));
        assertTrue(message(() -> tiny().setEpochs(4).setCheckpointPath(path).fit(data.limit(1000))).contains(
                "the training data changed since it was saved (rows 2000 → 1000)"));
        assertTrue(message(() -> tiny().setEpochs(3).setCheckpointPath(path).fit(data)).startsWith(
                "Nothing to resume in the checkpoint in " + path + ": its run ended (reached the maximum of 3 "
                        + "epochs; best epoch"));
        assertEquals(3, Checkpoints.load(path, spark.sparkContext().hadoopConfiguration()).orElseThrow()
                .training().epochs(), "refused fits train nothing");
    }
}
