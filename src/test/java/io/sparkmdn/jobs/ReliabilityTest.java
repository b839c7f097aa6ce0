package io.sparkmdn.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmdn.model.Checkpoints;
import io.sparkmdn.train.EpochStats;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.spark.SparkSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.io.FileUtils;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Divergence and resume, scheduled sampling runs, and reproducibility, through the jobs on local[2]. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReliabilityTest {

    private static final String MASTER = "local[2]";
    /** How far two local runs with the same seed may end apart (nats/point). */
    private static final double REPRODUCIBILITY_TOLERANCE = 0.05;

    @TempDir
    static Path dir;

    private static String data;
    private static String model;

    @BeforeAll
    static void data() {
        data = dir.resolve("data").toString();
        model = dir.resolve("model").toString();
        ok(new GenerateJob(), "--rows", "20000", "--seed", "4", "--partitions", "2", "--out", data);
    }

    @Test
    @Order(1)
    void divergenceStopsTrainingAndKeepsTheLastGoodCheckpointWhichResumes() {
        ok(new TrainJob(), "--data", data, "--model", model, "--epochs", "1", "--batch-size", "64",
                "--averaging-frequency", "5", "--clip-gradient-norm", "10");
        Configuration conf = new Configuration();
        assertEquals(1, Checkpoints.load(model, conf).orElseThrow().training().epochs());

        JobHarness.Result diverged = JobHarness.run(new TrainJob(), "--master", MASTER, "--data", data,
                "--model", model, "--resume", "--epochs", "4", "--learning-rate", "1e30");
        assertEquals(2, diverged.status(), diverged.err());
        assertTrue(diverged.lastLine().contains("Training diverged in epoch 2")
                && diverged.lastLine().contains("The checkpoint of epoch 1 is kept"), diverged.lastLine());
        MdnModel kept = Checkpoints.load(model, conf).orElseThrow();
        assertEquals(1, kept.training().epochs(), "the last good checkpoint survives");
        assertEquals(1, ModelDirectory.load(model).training().epochs(), "the complete model is untouched");
        assertEquals(10.0, kept.options().clipGradientNorm());

        ok(new TrainJob(), "--data", data, "--model", model, "--resume", "--epochs", "4");
        MdnModel resumed = ModelDirectory.load(model);
        assertEquals(List.of(1, 2, 3, 4), resumed.training().history().stream().map(EpochStats::epoch).toList());
        assertEquals(10.0, resumed.options().clipGradientNorm());
        // training went on from the checkpoint: some later epoch beats it (any single epoch at a constant rate
        // and 64-row batches may step back a little)
        double bestAfter = resumed.training().history().stream().skip(1).mapToDouble(EpochStats::testNll).min()
                .orElseThrow();
        assertTrue(bestAfter < kept.training().testNll(), "training went on: " + resumed.training().history());

        JobHarness.Result done = JobHarness.run(new TrainJob(), "--master", MASTER, "--data", data,
                "--model", model, "--resume", "--epochs", "4");
        assertEquals(2, done.status());
        assertTrue(done.lastLine().contains("Nothing to resume in the checkpoint in " + model + ": its run ended "
                + "(reached the maximum of 4 epochs") && done.lastLine().contains("a higher --epochs continues"),
                done.lastLine());
        JobHarness.Result changed = JobHarness.run(new TrainJob(), "--master", MASTER, "--data", data,
                "--model", model, "--resume", "--epochs", "5", "--batch-size", "128");
        assertEquals(2, changed.status());
        assertTrue(changed.lastLine().contains("Cannot resume the checkpoint in " + model + ": --batch-size is 128 "
                + "but the checkpoint was trained with 64 (only --epochs and --learning-rate may change; train "
                + "without --resume to start anew)"), changed.lastLine());
    }

    @Test
    @Order(2)
    void earlyStoppingKeepsTheBestEpochAndAResumedRunContinuesItsPatience() throws IOException {
        String stopped = dir.resolve("model-stopped").toString();
        // no improvement can reach 10 nats: the run stops after epoch 1 + patience and keeps epoch 1
        ok(new TrainJob(), "--data", data, "--model", stopped, "--epochs", "20", "--batch-size", "64",
                "--averaging-frequency", "5", "--patience", "2", "--min-delta", "10");
        MdnModel kept = ModelDirectory.load(stopped);
        assertEquals(3, kept.training().epochs());
        assertEquals(1, kept.training().bestEpoch());
        assertTrue(kept.training().stopReason().startsWith("early stop after epoch 3"),
                kept.training().stopReason());
        EpochStats first = kept.training().history().get(0);
        assertEquals(first.testNll(), kept.training().testNll());
        MdnModel last = Checkpoints.load(stopped, new Configuration()).orElseThrow();
        assertFalse(java.util.Arrays.equals(last.network().params().toDoubleVector(),
                kept.network().params().toDoubleVector()), "the last epoch's weights are not the ones kept");
        assertEquals(kept.network().params(), Checkpoints.loadBest(stopped, new Configuration()).orElseThrow()
                .network().params(), "the checkpoint's best model is the one kept");
        JobHarness.Result again = JobHarness.run(new TrainJob(), "--master", MASTER, "--data", data,
                "--model", stopped, "--resume", "--epochs", "30");
        assertEquals(2, again.status());
        assertTrue(again.lastLine().contains("Nothing to resume in the checkpoint in " + stopped
                + ": its run ended (early stop after epoch 3"),
                again.lastLine());

        // interrupted after epoch 2 of a run with patience 2: the resumed run counts epoch 2 and stops at 3,
        // exactly as the uninterrupted one did
        String resumed = dir.resolve("model-resumed").toString();
        ok(new TrainJob(), "--data", data, "--model", resumed, "--epochs", "2", "--batch-size", "64",
                "--averaging-frequency", "5", "--patience", "2", "--min-delta", "10");
        ok(new TrainJob(), "--data", data, "--model", resumed, "--resume", "--epochs", "20");
        MdnModel continued = ModelDirectory.load(resumed);
        assertEquals(3, continued.training().epochs());
        assertEquals(1, continued.training().bestEpoch());
        assertEquals(continued.training().history().get(0).testNll(), continued.training().testNll());
    }

    @Test
    @Order(3)
    void trainingInLocalModeIsReproducibleWithAFixedSeedAndResumingChangesLittle() {
        String a = dir.resolve("model-a").toString();
        String b = dir.resolve("model-b").toString();
        for (String m : List.of(a, b)) {
            ok(new TrainJob(), "--data", data, "--model", m, "--epochs", "4", "--batch-size", "64",
                    "--averaging-frequency", "5", "--clip-gradient-norm", "10");
        }
        double first = ModelDirectory.load(a).training().testNll();
        double second = ModelDirectory.load(b).training().testNll();
        double resumed = ModelDirectory.load(model).training().testNll();
        System.out.printf("local[2], same seed: test NLL %.6f and %.6f; stopped after epoch 1 and resumed: %.6f%n",
                first, second, resumed);
        // not bitwise: Spark sums the workers' parameters in the order they arrive, and float rounding then
        // differs between runs; after 4 epochs of 16k rows the runs stay within 0.05 nats of each other
        assertEquals(first, second, REPRODUCIBILITY_TOLERANCE);
        assertEquals(first, resumed, REPRODUCIBILITY_TOLERANCE);
    }

    @Test
    @Order(4)
    void scheduledRunsAreAtomicIndependentAndFollowTheMode() throws IOException {
        String out = dir.resolve("scheduled").toString();
        sample(out, "2026-11-24", "error", "7");
        sample(out, "2026-11-25", "error", "7");
        JsonNode manifest = manifest(out, "2026-11-24");
        assertEquals(11 * 20, manifest.get("rows").asLong());
        assertEquals(model, manifest.get("model").asText());
        assertEquals("grid 0:1:11", manifest.get("input").asText());
        assertEquals(7, manifest.get("seed").asLong());

        JobHarness.Result again = JobHarness.run(new SampleJob(), "--master", MASTER, "--model", model, "--grid",
                "0:1:11", "--samples", "20", "--out", out, "--run-id", "2026-11-24");
        assertEquals(2, again.status());
        assertTrue(again.lastLine().contains("Run already exists: " + out + "/run_id=2026-11-24 (use --mode overwrite"),
                again.lastLine());
        sample(out, "2026-11-24", "ignore", "8");
        assertEquals(manifest, manifest(out, "2026-11-24"), "ignore leaves the run as it was");
        sample(out, "2026-11-24", "overwrite", "9");
        assertEquals(9, manifest(out, "2026-11-24").get("seed").asLong());

        // what an interrupted run leaves behind: a hidden temporary directory with data files but no rename
        Path leftover = Path.of(out, ".run_id=2026-11-26.tmp-interrupted");
        FileUtils.copyDirectory(Path.of(out, "run_id=2026-11-25").toFile(), leftover.toFile());
        Files.delete(leftover.resolve(ScheduledRun.MANIFEST));

        String repeat = dir.resolve("scheduled-repeat").toString();
        sample(repeat, "2026-11-25", "error", "7");
        SparkSession spark = SparkSessions.create("scheduled-check", MASTER);
        try {
            Dataset<Row> all = spark.read().parquet(out);
            List<String> runs = all.select("run_id").distinct().orderBy("run_id")
                    .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
            assertEquals(List.of("2026-11-24", "2026-11-25"), runs, "readers see complete runs only");
            assertEquals(2 * 11 * 20, all.count());
            Dataset<Row> replaced = all.where("run_id = '2026-11-24'").drop("run_id");
            Dataset<Row> kept = all.where("run_id = '2026-11-25'").drop("run_id");
            assertNotEquals(0, replaced.exceptAll(kept).count(), "seed 9 is not seed 7");
            assertEquals(0, spark.read().parquet(repeat).drop("run_id").exceptAll(kept).count(),
                    "the same seed and model give the same samples");
        } finally {
            spark.stop();
        }
        assertFalse(Files.exists(Path.of(out, "run_id=2026-11-26")));
    }

    private static void sample(String out, String runId, String mode, String seed) {
        ok(new SampleJob(), "--model", model, "--grid", "0:1:11", "--samples", "20", "--seed", seed, "--out", out,
                "--run-id", runId, "--mode", mode);
    }

    private static JsonNode manifest(String out, String runId) throws IOException {
        return new ObjectMapper().readTree(Path.of(out, "run_id=" + runId, ScheduledRun.MANIFEST).toFile());
    }

    private static void ok(Object job, String... args) {
        JobHarness.ok(MASTER, job, args);
    }
}
