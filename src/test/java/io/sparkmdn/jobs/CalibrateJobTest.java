package io.sparkmdn.jobs;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmdn.math.Conformal;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelCalibration;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.spark.MixtureScores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code calibrate} on a deliberately miscalibrated model (one Gaussian for the seed toy's up to three branches,
 * one epoch): the calibrated copy's intervals cover their level on fresh rows where the model's own miss it, score
 * and evaluate say which answers are calibrated, and the original model is left as it was.
 */
class CalibrateJobTest {

    private static final String MASTER = "local[2]";

    @TempDir
    static Path dir;

    private static String train;
    private static String calibration;
    private static String test;
    private static String model;
    private static String fingerprint;

    @BeforeAll
    static void trainAMiscalibratedModel() {
        train = dir.resolve("train").toString();
        calibration = dir.resolve("calibration").toString();
        test = dir.resolve("test").toString();
        model = dir.resolve("model").toString();
        ok(new GenerateJob(), "--rows", "20000", "--seed", "1", "--out", train);
        ok(new GenerateJob(), "--rows", "4000", "--seed", "2", "--out", calibration);
        ok(new GenerateJob(), "--rows", "8000", "--seed", "3", "--out", test);
        ok(new TrainJob(), "--input", train, "--model", model, "--epochs", "1", "--mixtures", "1",
                "--hidden-layers", "8", "--batch-size", "128");
        fingerprint = ModelDirectory.fingerprint(model, new Configuration());
    }

    @Test
    void calibratedIntervalsCoverTheirLevelWhereTheModelsOwnMiss() throws IOException {
        String calibrated = out("dcp");
        ok(new CalibrateJob(), "--model", model, "--input", calibration, "--out", calibrated);
        assertEquals(fingerprint, ModelDirectory.fingerprint(model, new Configuration()), "the original is untouched");
        assertFalse(Files.exists(Path.of(model, ModelDirectory.CALIBRATION_FILE)));
        MdnModel loaded = ModelDirectory.load(calibrated);
        ModelCalibration c = loaded.calibration();
        assertEquals(Conformal.Method.DCP, c.conformal().method());
        assertEquals(4000, c.conformal().rows());
        assertEquals(ModelCalibration.TABLE, c.source());
        assertEquals(4000, c.data().rows());
        java.io.StringWriter printed = new java.io.StringWriter();
        assertEquals(0, new picocli.CommandLine(new ModelJob()).setOut(new java.io.PrintWriter(printed))
                .execute("--model", calibrated));
        assertTrue(java.util.regex.Pattern.compile("(?m)^ +method +dcp$").matcher(printed.toString()).find(),
                printed.toString());
        assertTrue(java.util.regex.Pattern.compile("(?m)^ +rows +4000$").matcher(printed.toString()).find(),
                printed.toString());

        String scores = out("dcp-scores");
        ok(new ScoreJob(), "--model", calibrated, "--input", test, "--interval", "0.9", "--out", scores);
        String metrics = out("dcp-metrics.json");
        ok(new EvaluateJob(), "--model", calibrated, "--input", test, "--interval", "0.9", "--out", metrics);
        JsonNode m = new ObjectMapper().readTree(Path.of(metrics).toFile());
        JobHarness.withSpark(spark -> {
            Dataset<Row> s = spark.read().parquet(scores);
            for (String answer : MixtureScores.CALIBRATED_ANSWERS) {
                assertEquals("dcp", s.schema().apply(answer).metadata().getString(MixtureScores.CALIBRATED), answer);
                assertTrue(List.of(s.columns()).contains(MixtureScores.RAW_PREFIX + answer), answer);
            }
            Row r = s.agg(avg(expr("CAST(in_interval AS DOUBLE)")), avg(expr("CAST(raw_in_interval AS DOUBLE)")),
                    avg(col("upper").minus(col("lower"))), avg(col("raw_upper").minus(col("raw_lower")))).first();
            double covered = r.getDouble(0);
            double rawCovered = r.getDouble(1);
            System.out.printf("K=1 after one epoch, 8000 fresh rows at 0.9: raw coverage %.4f (width %.3f), "
                    + "calibrated %.4f (width %.3f)%n", rawCovered, r.getDouble(3), covered, r.getDouble(2));
            // one draw of 4000 calibration and 8000 test rows: the coverage's spread is about 0.005
            assertTrue(covered >= 0.885 && covered <= 0.92, "calibrated coverage " + covered);
            assertTrue(Math.abs(rawCovered - 0.9) > 0.02, "the model was miscalibrated: " + rawCovered);
            assertEquals(covered, m.get("coverage").asDouble(), 1e-12, "evaluate and score agree");
            assertEquals(rawCovered, m.get("coverage_raw").asDouble(), 1e-12);
            assertEquals("dcp", m.get("calibrated").asText());
            assertEquals(0, s.where("quantiles[0] > quantiles[1] OR quantiles[1] > quantiles[2]").count());
            return null;
        });
        JsonNode manifest = new ObjectMapper().readTree(Path.of(scores, ScheduledRun.MANIFEST).toFile());
        assertEquals("dcp", manifest.get("calibration").get("method").asText());
    }

    @Test
    void cqrCalibratesItsLevelsOnlyAndHeldOutRowsNeedNoTable() {
        String cqr = out("cqr");
        ok(new CalibrateJob(), "--model", model, "--held-out", "--method", "cqr", "--levels", "0.8,0.9", "--out",
                cqr);
        ModelCalibration c = ModelDirectory.load(cqr).calibration();
        assertEquals(ModelCalibration.HELD_OUT, c.source());
        assertNull(c.data());
        long heldOut = c.conformal().rows();
        assertTrue(heldOut > 1500 && heldOut < 2500, "about a tenth of 20000 rows: " + heldOut);
        ok(new ScoreJob(), "--model", cqr, "--input", test, "--interval", "0.8", "--out", out("cqr-scores"));
        assertBad(new ScoreJob(), "The model's intervals were calibrated (cqr) at the levels [0.8, 0.9], not at 0.95",
                "--model", cqr, "--input", test, "--interval", "0.95", "--out", out("cqr-refused"));
    }

    @Test
    void refusesTheTrainingRowsTooFewRowsAndMissingLabelsWritingNothing() {
        assertBad(new CalibrateJob(), "The calibration rows are the model's training data", "--model", model,
                "--input", train, "--out", out("on-training-rows"));
        assertBad(new CalibrateJob(), "Too few calibration rows for level 0.95 at confidence 0.95: 10 (at least 59 are needed",
                "--model", model, "--query", "SELECT * FROM parquet.`" + calibration + "` LIMIT 10",
                "--out", out("too-few"));
        assertBad(new CalibrateJob(), "Column 'y'", "--model", model, "--query",
                "SELECT id, x FROM parquet.`" + calibration + "`", "--out", out("no-labels"));
        assertBad(new CalibrateJob(), "Give the calibration rows", "--model", model, "--out", out("no-rows"));
        ok(new CalibrateJob(), "--model", model, "--input", train, "--allow-training-rows", "--out",
                out("allowed"));
        assertNotNull(ModelDirectory.load(out("allowed")).calibration());
    }

    @Test
    void calibrationIsWatchedRunAfterRunAndASchedulerCanGateOnIt() throws IOException {
        String calibrated = out("watched-model");
        ok(new CalibrateJob(), "--model", model, "--input", calibration, "--out", calibrated);
        String table = out("metrics-table");
        String query = "SELECT *, CASE WHEN x < 0 THEN 'left' ELSE 'right' END AS side FROM parquet.`" + test + "`";
        ok(new EvaluateJob(), "--model", calibrated, "--query", query, "--group-by", "side", "--run-id", "d1",
                "--out", table);
        ok(new EvaluateJob(), "--model", model, "--query", query, "--group-by", "side", "--run-id", "d2",
                "--out", table);
        JobHarness.Result gated = JobHarness.run(new EvaluateJob(), "--master", MASTER, "--model", model, "--query",
                query, "--group-by", "side", "--run-id", "d3", "--out", table, "--fail-if",
                "coverage@0.9<0.88,pit_ks_p<1e-300");
        assertEquals(FailIf.EXIT_CODE, gated.status(), gated.err());
        assertTrue(gated.lastLine().startsWith("error: --fail-if coverage@0.9<0.88: "), gated.lastLine());
        assertTrue(gated.lastLine().contains("; --fail-if coverage@0.9<0.88: all rows (dimension 0, level 0.9): "
                + "coverage 0.8"), gated.lastLine());
        assertTrue(gated.lastLine().endsWith("(the metrics are written)"), gated.lastLine());
        ok(new EvaluateJob(), "--model", calibrated, "--query", query, "--group-by", "side", "--run-id", "d1",
                "--out", table, "--mode", "overwrite", "--levels", "0.5");
        JobHarness.withSpark(spark -> {
            Dataset<Row> metrics = spark.read().format("delta").load(table);
            assertEquals(List.of("d1", "d2", "d3"), metrics.select("run_id").distinct().orderBy("run_id")
                    .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
            // d1 was replaced with levels 0.5 and 0.9 (the --interval): 3 groups (left, right, all) × 2 levels
            assertEquals(6, metrics.where("run_id = 'd1'").count());
            assertEquals(9, metrics.where("run_id = 'd2'").count(), "3 groups × 3 levels");
            Row d1 = metrics.where("run_id = 'd1' AND all_rows AND level = 0.9").first();
            assertEquals("dcp", d1.getString(d1.fieldIndex("calibrated")));
            assertTrue(Math.abs(d1.getDouble(d1.fieldIndex("coverage")) - 0.9) < 0.02);
            assertTrue(d1.getDouble(d1.fieldIndex("coverage_raw")) < 0.88);
            Row d2 = metrics.where("run_id = 'd2' AND NOT all_rows AND group = 'left' AND level = 0.9").first();
            assertTrue(d2.isNullAt(d2.fieldIndex("coverage_raw")), "an uncalibrated model has no raw coverage");
            assertEquals(10, d2.getList(d2.fieldIndex("pit_deciles")).size());
            assertTrue(d2.getDouble(d2.fieldIndex("pit_ks_p")) < 0.05, "K = 1 after one epoch is miscalibrated");
            return null;
        });
        String report = out("runs-report");
        ok(new ReportJob(), "--metrics-table", table, "--out", report);
        assertTrue(Files.size(Path.of(report, "calibration-runs.png")) > 10_000, "the runs' figure is drawn");
        assertTrue(Files.readString(Path.of(report, "index.html")).contains("Calibration run after run"));
        assertBad(new EvaluateJob(), "Unknown metric 'coverag' in --fail-if 'coverag<0.9'; did you mean coverage?",
                "--model", model, "--input", test, "--run-id", "d4", "--fail-if", "coverag<0.9", "--out",
                out("never-table"));
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
