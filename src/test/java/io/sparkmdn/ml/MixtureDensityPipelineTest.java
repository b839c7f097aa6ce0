package io.sparkmdn.ml;

import io.sparkmdn.nn.MdnOptions;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.math.MixtureBatch;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.model.TrainingSummary;
import io.sparkmdn.spark.SparkTestBase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.Seq;

/** The acceptance test: a Pipeline (VectorAssembler → MixtureDensityRegressor) fitted, used, saved, loaded. */
class MixtureDensityPipelineTest extends SparkTestBase {

    private static Dataset<Row> data;
    private static MixtureDensityRegressor regressor;
    private static PipelineModel fitted;
    private static MixtureDensityModel model;

    @TempDir
    Path dir;

    @BeforeAll
    static void fitPipeline() {
        data = MlTestData.seedToy(spark, 3, 10_000, 2);
        regressor = new MixtureDensityRegressor().setLabelCol("y").setEpochs(2).setBatchSize(128)
                .setAveragingFrequency(5).setWorkers(2).setSeed(7);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
                new VectorAssembler().setInputCols(new String[] {"x"}).setOutputCol("features"), regressor});
        fitted = pipeline.fit(data);
        model = (MixtureDensityModel) fitted.stages()[1];
    }

    /** The first {@code n} rows of the data, x and y, as the test's inputs. */
    private static Dataset<Row> rows(int n, int partitions) {
        return data.where(col("id").lt(n)).repartition(partitions);
    }

    private static double[] column(List<Row> rows, String name) {
        return rows.stream().mapToDouble(r -> r.getDouble(r.fieldIndex(name))).toArray();
    }

    @Test
    void fitTrainsWithTheJobsTrainerAndRemembersItsParent() {
        TrainingSummary summary = model.mdnModel().training();
        System.out.printf("pipeline fit, 10k seed-toy rows, 2 epochs: test NLL %.4f%n", summary.testNll());
        assertEquals(2, summary.epochs());
        assertEquals(10_000, summary.trainRows() + summary.testRows());
        assertTrue(summary.trainer().startsWith("spark parameter averaging: 2 workers, batch 128, averaging every 5"),
                summary.trainer());
        assertTrue(summary.testNll() < -0.3, "learned something: test NLL " + summary.testNll());
        assertSame(regressor, model.parent());
        assertEquals(regressor.uid(), model.uid());
        assertEquals("y", model.getLabelCol());
        assertEquals(regressor.networkOptions(), model.mdnModel().options());
    }

    @Test
    void transformAddsEveryRowsMixtureAndKeepsTheInput() {
        Dataset<Row> input = rows(300, 3).withColumn("x.raw", col("x"));
        Dataset<Row> out = fitted.transform(input);
        assertEquals(List.of("id", "x", "y", "x.raw", "features", "alpha", "mu", "sigma", "prediction"),
                List.of(out.columns()));
        assertEquals(fitted.transformSchema(input.schema()), out.schema(), "transformSchema tells the truth");

        List<Row> result = out.orderBy("id").collectAsList();
        assertEquals(300, result.size());
        MixtureBatch expected = model.mdnModel().predict(column(result, "x"));
        for (int i = 0; i < result.size(); i += 37) {
            assertEquals(result.get(i).getDouble(1), result.get(i).getDouble(3), "a column with a dot kept");
            List<Double> alpha = result.get(i).getList(5);
            List<Seq<Double>> mu = result.get(i).getList(6);
            List<Seq<Double>> sigma = result.get(i).getList(7);
            assertEquals(MdnOptions.DEFAULT_MIXTURES, alpha.size());
            assertEquals(1.0, alpha.stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
            for (int k = 0; k < MdnOptions.DEFAULT_MIXTURES; k++) {
                assertEquals(expected.weight(i, k), alpha.get(k), 1e-12);
                assertEquals(expected.mean(i, k, 0), mu.get(k).apply(0), 1e-12);
                assertEquals(expected.sigma(i, k, 0), sigma.get(k).apply(0), 1e-12);
            }
        }
    }

    @Test
    void aSavedPipelineModelLoadsToIdenticalOutputs() throws IOException {
        String path = dir.resolve("pipeline").toString();
        fitted.write().save(path);
        PipelineModel loaded = PipelineModel.load(path);

        MixtureDensityModel stage = (MixtureDensityModel) loaded.stages()[1];
        assertEquals(model.uid(), stage.uid());
        assertEquals("y", stage.getLabelCol());
        assertEquals(model.mdnModel().training(), stage.mdnModel().training());
        Dataset<Row> input = rows(500, 2);
        List<Row> before = fitted.transform(input).orderBy("id").collectAsList();
        List<Row> after = loaded.transform(input).orderBy("id").collectAsList();
        assertEquals(before, after, "alpha, mu and sigma identical after save and load");

        String stagePath = dir.resolve("model").toString();
        model.save(stagePath);
        MdnModel asJobsSeeIt = ModelDirectory.load(stagePath + "/" + MixtureDensityModel.MODEL_DIRECTORY);
        assertEquals(model.mdnModel().options(), asJobsSeeIt.options(), "the weights are a jobs' model directory");
        assertEquals(after, new MixtureDensityModel(asJobsSeeIt).setLabelCol("y")
                .transform(new VectorAssembler().setInputCols(new String[] {"x"}).setOutputCol("features")
                        .transform(input)).orderBy("id").collectAsList());
    }

    @Test
    void calibrateGivesACalibratedCopyThatSavesAndLoadsWithItsCalibration() throws IOException {
        VectorAssembler assembler = new VectorAssembler().setInputCols(new String[] {"x"}).setOutputCol("features");
        Dataset<Row> calibration = assembler.transform(MlTestData.seedToy(spark, 11, 3000, 2));
        Dataset<Row> fresh = assembler.transform(MlTestData.seedToy(spark, 12, 4000, 2));
        MixtureDensityModel calibrated = model.calibrate(calibration, "dcp");
        assertNull(model.mdnModel().calibration(), "the model calibrated is left as it is");
        assertEquals(3000, calibrated.mdnModel().calibration().conformal().rows());
        Dataset<Row> scored = calibrated.score(fresh);
        assertTrue(List.of(scored.columns()).containsAll(List.of("lower", "raw_lower", "pit", "raw_pit")));
        double covered = scored.agg(org.apache.spark.sql.functions.avg(
                org.apache.spark.sql.functions.expr("CAST(in_interval AS DOUBLE)"))).first().getDouble(0);
        assertEquals(0.9, covered, 0.025, "the calibrated 90% interval on 4000 fresh rows");

        String path = dir.resolve("calibrated").toString();
        calibrated.save(path);
        MixtureDensityModel loaded = MixtureDensityModel.load(path);
        assertEquals(calibrated.mdnModel().calibration().conformal(), loaded.mdnModel().calibration().conformal());
        assertEquals(scored.orderBy("id").collectAsList(), loaded.score(fresh).orderBy("id").collectAsList());
    }

    @Test
    void samplesAreTheSameForAnyPartitioningAndDependOnTheSeed() {
        Dataset<Row> assembled = fitted.stages()[0].transform(rows(40, 1)).toDF();
        Dataset<Row> a = model.sample(assembled, 25, 11);
        Dataset<Row> b = model.sample(assembled.repartition(3), 25, 11);
        assertEquals(List.of("id", "x", "features", "sample_id", "y"), List.of(a.columns()),
                "the label column gives way to the samples");
        List<Row> ra = a.orderBy("id", "sample_id").collectAsList();
        assertEquals(40 * 25, ra.size());
        assertEquals(ra, b.orderBy("id", "sample_id").collectAsList());
        assertNotEquals(column(ra, "y")[0],
                column(model.sample(assembled, 25, 12).orderBy("id", "sample_id").collectAsList(), "y")[0]);

        List<Row> modes = model.sample(assembled, 2, 11, 0.0).orderBy("id", "sample_id").collectAsList();
        MixtureBatch mixtures = model.mdnModel().predict(new double[] {modes.get(0).getDouble(1)});
        int best = mixtures.mixture(0).mostProbableComponent();
        assertEquals(mixtures.mean(0, best, 0), modes.get(0).getDouble(4), 0, "temperature 0: the likeliest mean");
    }

    @Test
    void logLikelihoodIsTheModelsLogDensity() {
        Dataset<Row> assembled = fitted.stages()[0].transform(rows(2_000, 3)).toDF();
        List<Row> result = model.logLikelihood(assembled).orderBy("id").collectAsList();
        assertEquals(List.of("id", "x", "y", "features", "log_likelihood"), List.of(result.get(0).schema().fieldNames()));
        double[] expected = model.mdnModel().logDensities(column(result, "x"), column(result, "y"));
        double[] actual = column(result, "log_likelihood");
        assertEquals(2_000, actual.length);
        for (int i = 0; i < actual.length; i++) {
            assertEquals(expected[i], actual[i], 1e-12, "row " + i);
        }
    }

    @Test
    void aModelLoadRefusesARegressorsPath() throws IOException {
        String path = dir.resolve("regressor").toString();
        regressor.save(path);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MixtureDensityModel.load(path));
        assertEquals("Cannot load a MixtureDensityModel from " + path
                + ": it holds a io.sparkmdn.ml.MixtureDensityRegressor (load it with that class)", e.getMessage());
    }

    @Test
    void invalidFeaturesFailTheTaskNamingColumnAndValue() {
        Dataset<Row> bad = rows(20, 1).withColumn("features",
                when(col("id").equalTo(5), array(lit(Double.NaN))).otherwise(array(col("x"))));
        SparkException e = assertThrows(SparkException.class, () -> model.transform(bad).collectAsList());
        assertTrue(e.getMessage().contains("Invalid features in column 'features': [NaN] (the model needs 1 finite"
                + " value per row)"), e.getMessage());
        Dataset<Row> wide = rows(20, 1).withColumn("features", array(col("x"), col("x")));
        e = assertThrows(SparkException.class, () -> model.transform(wide).collectAsList());
        assertTrue(e.getMessage().contains("Invalid features in column 'features': ["), e.getMessage());
    }
}
