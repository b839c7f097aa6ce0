package io.sparkmdn.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.spark.DeltaOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scheduled runs and one-off outputs written as Delta Lake tables: one commit each, runs never touching others. */
class DeltaOutputTest {

    private static final String MASTER = "local[2]";
    private static final String WAREHOUSE = "spark.sql.warehouse.dir";
    private static String previousWarehouse;

    @TempDir
    static Path dir;

    private static String model;
    private static String entities;

    @BeforeAll
    static void modelAndEntities() {
        // catalog tables go to a warehouse of the test's own
        previousWarehouse = System.getProperty(WAREHOUSE);
        System.setProperty(WAREHOUSE, dir.resolve("warehouse").toUri().toString());
        model = JobHarness.smallModel(dir.resolve("model"));
        entities = dir.resolve("entities").toString();
        JobHarness.withSpark(spark -> {
            spark.range(30).select(col("id").as("entity"), col("id").divide(30.0).as("x")).write().parquet(entities);
            return null;
        });
    }

    @Test
    void eachRunIsOneCommitAndAReplaceTouchesOnlyItsOwnRun() throws IOException {
        String table = dir.resolve("samples-delta").toString();
        run(table, "2026-12-01", "error", "7");
        run(table, "2026-12-02", "error", "7");
        List<Row> firstBefore = rows(table, "2026-12-01");
        List<Row> secondBefore = rows(table, "2026-12-02");
        assertEquals(30 * 4, firstBefore.size());
        assertEquals(30 * 4, secondBefore.size());

        run(table, "2026-12-01", "overwrite", "9");
        List<Row> firstAfter = rows(table, "2026-12-01");
        assertEquals(30 * 4, firstAfter.size(), "the run's rows were replaced, not added to");
        assertNotEquals(firstBefore, firstAfter, "seed 9 draws other samples");
        assertEquals(secondBefore, rows(table, "2026-12-02"), "the other run is untouched");
        assertEquals(List.of("2026-12-01", "2026-12-02"), runIds(table));

        JsonNode manifest = new ObjectMapper().readTree(
                Path.of(table, OutputOptions.MANIFESTS, "run_id=2026-12-01.json").toFile());
        assertEquals(9, manifest.get("seed").asLong());
        assertEquals(120, manifest.get("rows").asLong());
        assertEquals("delta", manifest.get("format").asText());
        JobHarness.withSpark(spark -> {
            List<Row> history = DeltaTable.forPath(spark, table).history().orderBy("version")
                    .select("version", "operation", "userMetadata").collectAsList();
            assertEquals(3, history.size(), "one commit per run: " + history);
            assertTrue(history.get(2).getString(2).contains("\"run_id\":\"2026-12-01\""), history.get(2).getString(2));
            return null;
        });
    }

    @Test
    void modesErrorAndIgnoreLeaveTheTableAsItWas() {
        String table = dir.resolve("samples-skip").toString();
        run(table, "a", "error", "1");
        long version = version(table);
        JobHarness.Result again = JobHarness.run(new SampleJob(), "--master", MASTER, "--model", model, "--input",
                entities, "--samples", "4", "--out", table, "--out-format", "delta", "--run-id", "a");
        assertEquals(2, again.status(), again.err());
        assertTrue(again.lastLine().contains("Run already exists: " + table + " run_id=a"), again.lastLine());
        run(table, "a", "ignore", "2");
        assertEquals(version, version(table), "no commit");
        // the words before --mode still work
        ok(new SampleJob(), "--model", model, "--input", entities, "--samples", "4", "--seed", "3", "--out", table,
                "--out-format", "delta", "--run-id", "a", "--if-exists", "skip");
        assertEquals(version, version(table), "--if-exists skip is --mode ignore");
    }

    @Test
    void paramsAndGenerateWriteDeltaTablesThatTheJobsReadBack() {
        String params = dir.resolve("params-delta").toString();
        ok(new ParamsJob(), "--model", model, "--grid", "0:1:11", "--out", params, "--out-format", "delta");
        ok(new ParamsJob(), "--model", model, "--grid", "0:1:21", "--out", params, "--out-format", "delta",
                "--mode", "overwrite");
        String data = dir.resolve("generated-delta").toString();
        ok(new GenerateJob(), "--rows", "3000", "--seed", "4", "--out", data, "--out-format", "delta");
        String trained = dir.resolve("model-from-delta").toString();
        ok(new TrainJob(), "--data", data, "--model", trained, "--epochs", "1", "--hidden-layers", "4",
                "--mixtures", "2", "--batch-size", "64");
        JobHarness.withSpark(spark -> {
            assertEquals(21, spark.read().format("delta").load(params).count(), "the overwrite replaced the table");
            assertEquals(2, DeltaTable.forPath(spark, params).history().count());
            return null;
        });
        assertEquals(3000, ModelDirectory.load(trained).run().data().rows(), "train read the Delta table");
    }

    @Test
    void aCatalogTableTakesRunsTheSameWay() {
        JobHarness.withSpark(spark -> {
            spark.sql("CREATE DATABASE IF NOT EXISTS analytics");
            DeltaOutput.Target target = new DeltaOutput.Target(null, "analytics.samples");
            Dataset<Row> one = spark.range(5).select(col("id"), lit(1.0).as("y"));
            Dataset<Row> two = spark.range(3).select(col("id"), lit(2.0).as("y"));
            assertEquals(5, DeltaOutput.write(one, target, "r1", false, "{}"));
            assertEquals(3, DeltaOutput.write(two, target, "r2", false, "{}"));
            assertEquals(3, DeltaOutput.write(two, target, "r1", true, "{}"));
            assertTrue(DeltaOutput.hasRun(spark, target, "r2"));
            assertEquals(6, spark.table("analytics.samples").count());
            assertEquals(6.0, spark.table("analytics.samples").where("run_id = 'r1'")
                    .agg(org.apache.spark.sql.functions.sum("y")).first().getDouble(0), 0);
            return null;
        });
    }

    @AfterAll
    static void restoreWarehouse() {
        if (previousWarehouse == null) {
            System.clearProperty(WAREHOUSE);
        } else {
            System.setProperty(WAREHOUSE, previousWarehouse);
        }
    }

    private static void run(String table, String runId, String mode, String seed) {
        ok(new SampleJob(), "--model", model, "--input", entities, "--keep-columns", "entity", "--samples", "4",
                "--seed", seed, "--out", table, "--out-format", "delta", "--run-id", runId, "--mode", mode);
    }

    private static List<Row> rows(String table, String runId) {
        return JobHarness.withSpark(spark -> spark.read().format("delta").load(table).where(col("run_id").equalTo(runId))
                .orderBy("entity", "sample_id").select("entity", "sample_id", "y").collectAsList());
    }

    private static List<String> runIds(String table) {
        return JobHarness.withSpark(spark -> spark.read().format("delta").load(table).select("run_id").distinct()
                .orderBy("run_id").as(Encoders.STRING()).collectAsList());
    }

    private static long version(String table) {
        return JobHarness.withSpark(spark -> DeltaTable.forPath(spark, table).history(1).select("version").first().getLong(0));
    }


    private static void ok(Object job, String... args) {
        JobHarness.ok(MASTER, job, args);
    }
}
