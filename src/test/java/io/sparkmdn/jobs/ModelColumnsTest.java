package io.sparkmdn.jobs;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmdn.input.ColumnSpec;
import io.sparkmdn.input.InvalidRows;
import io.sparkmdn.ml.MixtureDensityRegressor;
import io.sparkmdn.train.EpochStats;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.model.RunDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model trained with {@code --features time,distance --labels delay} knows its columns: params, sample and
 * evaluate find them by name in tables of any column order, fail naming the model's expectation when one is
 * missing or of another type, and a resumed run refuses data that changed.
 */
class ModelColumnsTest {

    private static final String MASTER = "local[2]";

    @TempDir
    static Path dir;

    private static String data;
    private static String reordered;
    private static String model;

    @BeforeAll
    static void trainOnNamedColumns() {
        String generated = dir.resolve("generated").toString();
        data = dir.resolve("flights").toString();
        reordered = dir.resolve("flights-reordered").toString();
        model = dir.resolve("model").toString();
        ok(new GenerateJob(), "--rows", "3000", "--seed", "3", "--partitions", "2", "--out", generated);
        JobHarness.withSpark(spark -> {
            Dataset<Row> rows = spark.read().parquet(generated).select(col("id"), col("x").as("time"),
                    col("x").multiply(col("x")).plus(col("id").mod(7).multiply(0.01)).as("distance"),
                    col("y").as("delay"));
            rows.write().parquet(data);
            rows.select(col("delay"), lit("n/a").as("note"), col("distance"), col("id"), col("time"))
                    .write().parquet(reordered);
            return null;
        });
        ok(new TrainJob(), "--data", data, "--model", model, "--features", "time,distance", "--labels", "delay",
                "--epochs", "2", "--batch-size", "64", "--averaging-frequency", "5", "--mixtures", "3",
                "--hidden-layers", "8", "--invalid-rows", "skip");
    }

    @Test
    void theModelDirectoryRecordsItsColumnsSettingsAndData() {
        RunDescription run = ModelDirectory.load(model).run();
        assertEquals(List.of(ColumnSpec.ofDim("time", 1), ColumnSpec.ofDim("distance", 1)), run.input().features());
        assertEquals(List.of(ColumnSpec.ofDim("delay", 1)), run.input().labels());
        assertEquals(InvalidRows.SKIP, run.input().invalidRows());
        assertEquals("file:" + data, run.input().source().path());
        assertEquals(64, run.training().train().batchSize());
        assertEquals(5, run.training().averagingFrequency());
        assertEquals(2, run.network().inputDim());
        assertEquals(3000, run.data().rows());
        assertEquals("id BIGINT,time DOUBLE,distance DOUBLE,delay DOUBLE", run.data().schema());
    }

    @Test
    void paramsSampleAndEvaluateFindTheColumnsByNameInAnyOrder() throws IOException {
        for (String table : List.of(data, reordered)) {
            String tag = table.equals(data) ? "orig" : "reordered";
            ok(new ParamsJob(), "--model", model, "--input", table, "--keep-columns", "id", "--out", out("params-" + tag));
            ok(new SampleJob(), "--model", model, "--input", table, "--keep-columns", "id", "--samples", "3",
                    "--seed", "5", "--key-columns", "id", "--out", out("samples-" + tag));
            ok(new EvaluateJob(), "--model", model, "--data", table, "--baseline-rows", "500",
                    "--out", out("metrics-" + tag + ".json"));
        }
        JobHarness.withSpark(spark -> {
            for (String output : List.of("params", "samples")) {
                Dataset<Row> a = spark.read().parquet(out(output + "-orig"));
                Dataset<Row> b = spark.read().parquet(out(output + "-reordered"));
                assertEquals(3000 * (output.equals("samples") ? 3 : 1), a.count());
                assertEquals(0, a.exceptAll(b).count() + b.exceptAll(a).count(), output + " differ");
            }
            return null;
        });
        JsonNode a = new ObjectMapper().readTree(Path.of(out("metrics-orig.json")).toFile());
        JsonNode b = new ObjectMapper().readTree(Path.of(out("metrics-reordered.json")).toFile());
        assertEquals(3000, a.get("rows").asLong());
        assertEquals(a.get("nll").asDouble(), b.get("nll").asDouble(), 0);
        assertEquals(a.get("crps").asDouble(), b.get("crps").asDouble(), 0);
    }

    @Test
    void aMissingColumnOrOneOfAnotherTypeFailsNamingTheModelsExpectationAndWritesNothing() {
        String missing = table("no-distance", rows -> rows.drop("distance"));
        JobHarness.Result r = JobHarness.run(new ParamsJob(), "--master", MASTER, "--model", model, "--input",
                missing, "--out", out("params-missing"));
        assertEquals(2, r.status(), r.err());
        assertEquals("error: Column 'distance' of the model's features [time, distance] not found in " + missing
                + "; columns: id, time, delay", r.lastLine());
        assertFalse(Files.exists(Path.of(out("params-missing"))));

        String arrays = table("distance-array", rows -> rows.withColumn("distance", array(col("distance"))));
        r = JobHarness.run(new SampleJob(), "--master", MASTER, "--model", model, "--input", arrays,
                "--out", out("samples-array"));
        assertEquals(2, r.status(), r.err());
        assertEquals("error: Column 'distance' of the model's features [time, distance] is an array of numbers "
                + "(array<double>) in " + arrays + "; the model expects a number", r.lastLine());
        assertFalse(Files.exists(Path.of(out("samples-array"))));

        r = JobHarness.run(new EvaluateJob(), "--master", MASTER, "--model", model, "--data", data,
                "--labels", "id,delay", "--out", out("metrics-wide.json"));
        assertEquals(2, r.status(), r.err());
        assertEquals("error: Labels have 2 values per row (columns id, delay) but the model expects 1",
                r.lastLine());
        assertFalse(Files.exists(Path.of(out("metrics-wide.json"))));
    }

    @Test
    void overridingColumnsStillWorksOneForOne() {
        String renamed = table("renamed", rows -> rows.withColumnRenamed("time", "t"));
        ok(new ParamsJob(), "--model", model, "--input", renamed, "--features", "t,distance", "--keep-columns", "id",
                "--out", out("params-renamed"));
        JobHarness.withSpark(spark -> {
            Dataset<Row> a = spark.read().parquet(out("params-renamed"));
            assertEquals(3000, a.count());
            return null;
        });
    }

    @Test
    void resumeRefusesDataThatChangedNamingTheChange() throws IOException {
        String copy = table("resume-data", Function.identity());
        String resumable = dir.resolve("resumable").toString();
        ok(new TrainJob(), "--data", copy, "--model", resumable, "--features", "time,distance", "--labels", "delay",
                "--epochs", "1", "--batch-size", "64", "--mixtures", "2", "--hidden-layers", "4");
        JobHarness.withSpark(spark -> {
            spark.read().parquet(data).limit(100).write().mode("append").parquet(copy);
            return null;
        });
        JobHarness.Result r = JobHarness.run(new TrainJob(), "--master", MASTER, "--data", copy, "--model",
                resumable, "--resume", "--epochs", "2");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.lastLine().startsWith("error: Cannot resume the checkpoint in " + resumable + ": the training "
                + "data changed since it was saved (size "), r.lastLine());
        assertTrue(r.lastLine().contains(", rows 3000 → 3100); train without --resume to start anew, or resume "
                + "anyway with --resume-on-changed-data"), r.lastLine());
        assertEquals(1, ModelDirectory.load(resumable).training().epochs(), "the model is untouched");

        ok(new TrainJob(), "--data", copy, "--model", resumable, "--resume", "--epochs", "2",
                "--resume-on-changed-data");
        RunDescription resumed = ModelDirectory.load(resumable).run();
        assertEquals(List.of(1, 2), ModelDirectory.load(resumable).training().history().stream()
                .map(EpochStats::epoch).toList());
        assertEquals(List.of("time", "distance"), resumed.input().featureNames(), "the checkpoint's columns");
        assertEquals(3100, resumed.data().rows(), "the run records the data it went on with");
        assertEquals(2, Checkpointed.epochs(resumable));
    }

    @Test
    void theJobsAndTheMlApiRejectTheSameBadTableWithTheSameMessage() {
        String bad = table("bad", rows -> rows.withColumn("time",
                when(col("id").mod(500).equalTo(0), lit(Double.NaN)).otherwise(col("time"))));
        JobHarness.Result job = JobHarness.run(new TrainJob(), "--master", MASTER, "--data", bad, "--model",
                out("bad-model"), "--features", "time", "--labels", "delay");
        assertEquals(2, job.status(), job.err());
        JobHarness.Result missing = JobHarness.run(new TrainJob(), "--master", MASTER, "--data", bad, "--model",
                out("bad-model"), "--features", "tme", "--labels", "delay");
        assertEquals(2, missing.status(), missing.err());
        JobHarness.withSpark(spark -> {
            Dataset<Row> table = spark.read().parquet(bad);
            String ml = message(() -> new MixtureDensityRegressor().setFeaturesCol("time").setLabelCol("delay")
                    .setEpochs(1).fit(table));
            assertTrue(ml.startsWith("6 of 3000 rows in the input are invalid: column 'time' is NaN in 6 rows"), ml);
            assertEquals(job.lastLine(), "error: " + ml.replace("the input", bad));
            String mlMissing = message(() -> new MixtureDensityRegressor().setFeaturesCol("tme").setLabelCol("delay")
                    .fit(table));
            assertEquals(missing.lastLine(), "error: " + mlMissing.replace("the input", bad));
            return null;
        });
        assertFalse(Files.exists(Path.of(out("bad-model"))));
    }

    /** The number of epochs in a model directory's checkpoint. */
    private static final class Checkpointed {
        static int epochs(String modelPath) {
            return io.sparkmdn.model.Checkpoints.load(modelPath, new Configuration()).orElseThrow().training()
                    .epochs();
        }
    }

    private static String message(Runnable action) {
        try {
            action.run();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected an IllegalArgumentException");
    }

    /** A copy of the training table changed by {@code change}, written under {@code name}. */
    private static String table(String name, Function<Dataset<Row>, Dataset<Row>> change) {
        String path = dir.resolve(name).toString();
        JobHarness.withSpark(spark -> {
            change.apply(spark.read().parquet(data)).write().parquet(path);
            return null;
        });
        return path;
    }


    private static String out(String name) {
        return dir.resolve("out").resolve(name).toString();
    }

    private static void ok(Object job, String... args) {
        JobHarness.ok(MASTER, job, args);
    }
}
