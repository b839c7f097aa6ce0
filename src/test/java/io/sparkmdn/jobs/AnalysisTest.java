package io.sparkmdn.jobs;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmdn.ml.MixtureDensityModel;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.spark.MixtureScores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large-scale analysis through the jobs: per-row scores from {@code score}, calibration per group from
 * {@code evaluate}, SQL inputs for train, score and sample, and the ML model's same columns.
 */
class AnalysisTest {

    private static final String MASTER = "local[2]";

    @TempDir
    static Path dir;

    private static String train;
    private static String test;
    private static String model;

    @BeforeAll
    static void trainAModel() {
        train = dir.resolve("train").toString();
        test = dir.resolve("test").toString();
        model = dir.resolve("model").toString();
        ok(new GenerateJob(), "--rows", "20000", "--seed", "1", "--out", train);
        ok(new GenerateJob(), "--rows", "5000", "--seed", "2", "--out", test);
        ok(new TrainJob(), "--data", train, "--model", model, "--epochs", "4", "--batch-size", "128",
                "--averaging-frequency", "10", "--mixtures", "5", "--hidden-layers", "16,16");
    }

    @Test
    void scoreGivesEveryRowItsAnswersAndTheyAgreeWithEvaluate() throws IOException {
        String scores = out("scores");
        ok(new ScoreJob(), "--model", model, "--input", test, "--quantiles", "0.1,0.5,0.9", "--interval", "0.8",
                "--out", scores);
        ok(new EvaluateJob(), "--model", model, "--data", test, "--interval", "0.8", "--baseline-rows", "500",
                "--out", out("metrics.json"));
        JsonNode metrics = new ObjectMapper().readTree(Path.of(out("metrics.json")).toFile());
        JobHarness.withSpark(spark -> {
            Dataset<Row> s = spark.read().parquet(scores);
            assertEquals(List.of("id", "x", "y", "mean", "std", "mode", "quantiles", "lower", "upper",
                    "log_likelihood", "pit", "crps", "outlier_p", "in_interval"), List.of(s.columns()));
            assertEquals(5000, s.count());
            Row means = s.agg(avg(col("log_likelihood")), avg(col("crps")),
                    avg(expr("CAST(in_interval AS DOUBLE)"))).first();
            assertEquals(-metrics.get("nll").asDouble(), means.getDouble(0), 1e-9, "the mean log-likelihood is -NLL");
            assertEquals(metrics.get("crps").asDouble(), means.getDouble(1), 1e-9);
            assertEquals(metrics.get("coverage").asDouble(), means.getDouble(2), 1e-12);
            assertEquals(0, s.where("NOT (quantiles[0] <= quantiles[1] AND quantiles[1] <= quantiles[2])").count(),
                    "quantiles never cross");
            assertEquals(0, s.where("abs(outlier_p - 2 * least(pit, 1 - pit)) > 1e-15").count());
            assertEquals(0, s.where("lower > upper OR std <= 0").count());
            return null;
        });
        assertEquals(10, metrics.get("pit_deciles").size());
        assertEquals(0.8, metrics.get("interval").asDouble());
    }

    @Test
    void evaluateGroupsEveryMetricByAColumn() throws IOException {
        String grouped = dir.resolve("grouped").toString();
        JobHarness.withSpark(spark -> {
            spark.read().parquet(test).withColumn("half", expr("CASE WHEN x < 0 THEN 'left' ELSE 'right' END"))
                    .write().parquet(grouped);
            return null;
        });
        ok(new EvaluateJob(), "--model", model, "--data", grouped, "--group-by", "half", "--baseline-rows", "500",
                "--out", out("grouped.json"));
        JsonNode m = new ObjectMapper().readTree(Path.of(out("grouped.json")).toFile());
        assertEquals("half", m.get("group_by").asText());
        JsonNode groups = m.get("groups");
        assertEquals(2, groups.size());
        assertEquals("left", groups.get(0).get("half").asText());
        assertEquals(5000, groups.get(0).get("rows").asLong() + groups.get(1).get("rows").asLong());
        double weighted = (groups.get(0).get("rows").asLong() * groups.get(0).get("nll").asDouble()
                + groups.get(1).get("rows").asLong() * groups.get(1).get("nll").asDouble()) / 5000;
        assertEquals(m.get("nll").asDouble(), weighted, 1e-9, "the groups' NLLs make up the whole");
    }

    @Test
    void sqlInputsWorkForTrainScoreAndSample() throws IOException {
        String query = "SELECT id, x AS time, y AS delay FROM parquet.`" + train + "` WHERE id < 6000";
        String sqlModel = dir.resolve("sql-model").toString();
        ok(new TrainJob(), "--query", query, "--model", sqlModel, "--features", "time", "--labels", "delay",
                "--epochs", "1", "--hidden-layers", "4", "--mixtures", "2", "--batch-size", "64");
        assertEquals(query, ModelDirectory.load(sqlModel).run().input().source().query());
        assertEquals(6000, ModelDirectory.load(sqlModel).run().data().rows());
        String scoreQuery = "SELECT id, x AS time FROM parquet.`" + test + "`";
        ok(new ScoreJob(), "--model", sqlModel, "--query", scoreQuery, "--out", out("sql-scores"));
        ok(new SampleJob(), "--model", sqlModel, "--query", scoreQuery, "--samples", "2", "--out", out("sql-samples"));
        JobHarness.withSpark(spark -> {
            assertEquals(5000, spark.read().parquet(out("sql-scores")).count());
            assertFalse(List.of(spark.read().parquet(out("sql-scores")).columns()).contains("pit"),
                    "no labels in the query: no label scores");
            assertEquals(10000, spark.read().parquet(out("sql-samples")).count());
            return null;
        });
    }

    @Test
    void badAnalysisOptionsFailBeforeAnyWorkNamingTheValue() {
        assertBad(new ScoreJob(), "Invalid quantile level: 1.5 (must be > 0 and < 1)", "--model", model, "--input",
                test, "--quantiles", "0.5,1.5", "--out", out("bad1"));
        assertBad(new ScoreJob(), "Quantile levels must be strictly increasing, without repeats: 0.5 after 0.5",
                "--model", model, "--input", test, "--quantiles", "0.5,0.5", "--out", out("bad2"));
        assertBad(new ScoreJob(), "Invalid interval: 1.0 (must be > 0 and < 1)", "--model", model, "--input", test,
                "--interval", "1", "--out", out("bad3"));
        assertBad(new ScoreJob(), "Cannot run --query 'SELEC x FROM nowhere'", "--model", model, "--query",
                "SELEC x FROM nowhere", "--out", out("bad4"));
        assertBad(new ScoreJob(), "Column 'x' of the model's features [x] not found in query [SELECT id FROM "
                + "parquet.`" + test + "`]; columns: id", "--model", model, "--query",
                "SELECT id FROM parquet.`" + test + "`", "--out", out("bad5"));
        assertBad(new EvaluateJob(), "--group-by column 'nope' not found in " + test, "--model", model, "--data",
                test, "--group-by", "nope", "--out", out("bad6.json"));
        assertBad(new ScoreJob(), "Cannot read table nowhere", "--model", model, "--table", "nowhere",
                "--out", out("bad7"));
    }

    @Test
    void theMlModelGivesTheJobsColumnsAndAPredictionForRegressionEvaluator() {
        ok(new ScoreJob(), "--model", model, "--input", test, "--out", out("job-scores"));
        JobHarness.withSpark(spark -> {
            MixtureDensityModel ml = new MixtureDensityModel(ModelDirectory.load(model));
            Dataset<Row> data = spark.read().parquet(test);
            Dataset<Row> scored = ml.score(data);
            Dataset<Row> job = spark.read().parquet(out("job-scores"));
            List<String> answers = List.of("id", MixtureScores.MEAN, MixtureScores.STD, MixtureScores.MODE,
                    MixtureScores.QUANTILES, MixtureScores.LOWER, MixtureScores.UPPER, MixtureScores.LOG_LIKELIHOOD,
                    MixtureScores.PIT, MixtureScores.CRPS, MixtureScores.OUTLIER_P, MixtureScores.IN_INTERVAL);
            Dataset<Row> a = scored.select(answers.stream().map(c -> col(c)).toArray(org.apache.spark.sql.Column[]::new));
            Dataset<Row> b = job.select(answers.stream().map(c -> col(c)).toArray(org.apache.spark.sql.Column[]::new));
            assertEquals(0, a.exceptAll(b).count() + b.exceptAll(a).count(), "the same code, the same answers");
            double rmse = new RegressionEvaluator().setLabelCol("y").setPredictionCol("prediction")
                    .evaluate(ml.transform(data));
            double rmseOfMean = Math.sqrt(scored.selectExpr("avg(pow(y - mean, 2))").first().getDouble(0));
            assertEquals(rmseOfMean, rmse, 1e-9, "prediction is the mixture's mean");
            assertArrayEquals(new double[] {0.05, 0.5, 0.95}, ml.getQuantiles());
            return null;
        });
    }

    @Test
    void theSampleJobAndTheMlModelDrawTheSameForTheSameTableAndSeed() {
        ok(new SampleJob(), "--model", model, "--input", test, "--samples", "3", "--seed", "5",
                "--keep-columns", "id", "--out", out("job-samples"));
        JobHarness.withSpark(spark -> {
            MixtureDensityModel ml = new MixtureDensityModel(ModelDirectory.load(model));
            Dataset<Row> reordered = spark.read().parquet(test).select("y", "x", "id");
            Dataset<Row> a = ml.sample(reordered, 3, 5L, 1.0).select("id", "sample_id", "y");
            Dataset<Row> b = spark.read().parquet(out("job-samples")).select("id", "sample_id", "y");
            assertEquals(3 * spark.read().parquet(test).count(), a.count());
            assertEquals(0, a.exceptAll(b).count() + b.exceptAll(a).count(), "one key, the same draws");
            Dataset<Row> unlabelled = spark.read().parquet(test).drop("y");
            assertEquals(0, ml.sample(unlabelled, 3, 5L, 1.0).select("id", "sample_id", "y").exceptAll(a).count(),
                    "the labels do not key the draws");
            return null;
        });
    }

    @Test
    void twoDimensionalLabelsGiveAnswersPerDimensionAndAJointLikelihood() throws IOException {
        String circle = dir.resolve("circle").toString();
        String circleModel = dir.resolve("circle-model").toString();
        ok(new GenerateJob(), "--kind", "twin-circle", "--rows", "4000", "--seed", "3", "--out", circle);
        ok(new TrainJob(), "--data", circle, "--model", circleModel, "--epochs", "1", "--hidden-layers", "8",
                "--mixtures", "3", "--batch-size", "64");
        ok(new ScoreJob(), "--model", circleModel, "--input", circle, "--keep-columns", "id", "--out",
                out("circle-scores"));
        ok(new EvaluateJob(), "--model", circleModel, "--data", circle, "--baseline-rows", "500",
                "--out", out("circle.json"));
        JsonNode metrics = new ObjectMapper().readTree(Path.of(out("circle.json")).toFile());
        assertEquals(2, metrics.get("coverage").size(), "coverage per dimension");
        assertEquals(2, metrics.get("pit_deciles").size());
        JobHarness.withSpark(spark -> {
            Dataset<Row> s = spark.read().parquet(out("circle-scores"));
            assertEquals("array<array<double>>", s.schema().apply("quantiles").dataType().simpleString());
            assertEquals("array<double>", s.schema().apply("mean").dataType().simpleString());
            assertEquals("double", s.schema().apply("log_likelihood").dataType().simpleString());
            assertEquals("array<boolean>", s.schema().apply("in_interval").dataType().simpleString());
            assertEquals(0, s.where("size(mean) != 2 OR size(pit) != 2 OR size(quantiles[1]) != 3").count());
            double meanLl = s.agg(avg(col("log_likelihood"))).first().getDouble(0);
            assertEquals(-metrics.get("nll").asDouble(), meanLl, 1e-9, "the joint log-likelihood");
            return null;
        });
    }

    private static void assertBad(Object job, String message, String... args) {
        JobHarness.bad(MASTER, job, message, args);
    }

    private static String out(String name) {
        return dir.resolve("out").resolve(name).toString();
    }

    private static void ok(Object job, String... args) {
        JobHarness.ok(MASTER, job, args);
    }
}
