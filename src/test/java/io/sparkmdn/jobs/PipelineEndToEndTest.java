package io.sparkmdn.jobs;

import io.sparkmdn.nn.MdnOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.spark.SparkSessions;
import io.sparkmdn.spark.TaskRecorder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline as users run it, on local[2], each job in its own session: generate → train → params → sample
 * → evaluate. Tests run in order and build on each other's outputs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndTest {

    private static final String MASTER = "local[2]";

    @TempDir
    static Path dir;

    private static String train;
    private static String test;
    private static String model;

    @BeforeAll
    static void paths() {
        train = dir.resolve("train").toString();
        test = dir.resolve("test").toString();
        model = dir.resolve("model").toString();
        System.setProperty("spark.extraListeners", TaskRecorder.class.getName());
    }

    @AfterAll
    static void clear() {
        System.clearProperty("spark.extraListeners");
    }

    @Test
    @Order(1)
    void generateIsDeterministicWhateverThePartitioning() {
        ok(new GenerateJob(), "--rows", "20000", "--seed", "1", "--partitions", "4", "--out", train);
        ok(new GenerateJob(), "--rows", "4000", "--seed", "2", "--partitions", "3", "--out", test);
        String again = dir.resolve("test-1").toString();
        ok(new GenerateJob(), "--rows", "4000", "--seed", "2", "--partitions", "1", "--out", again);
        withSpark(spark -> {
            assertEquals(List.of("id", "x", "y"), List.of(spark.read().parquet(train).columns()));
            assertEquals(20000, spark.read().parquet(train).count());
            long differing = spark.read().parquet(test).exceptAll(spark.read().parquet(again)).count();
            assertEquals(0, differing);
        });
    }

    @Test
    @Order(2)
    void trainUsesParameterAveragingOnTwoWorkersAndWritesTheModel() throws IOException {
        TaskRecorder.FIT_TASKS.clear();
        ok(new TrainJob(), "--data", train, "--model", model, "--epochs", "6", "--batch-size", "128",
                "--averaging-frequency", "10", "--workers", "2");
        assertTrue(TaskRecorder.FIT_TASKS.size() >= 2, "fit tasks: " + TaskRecorder.FIT_TASKS);
        MdnModel m = ModelDirectory.load(model);
        assertEquals(6, m.training().history().size());
        assertEquals(20000, m.training().trainRows() + m.training().testRows());
        assertTrue(m.training().trainer().contains("2 workers"), m.training().trainer());
        assertTrue(m.training().testNll() < -1.2, "test NLL " + m.training().testNll());
        try (var files = Files.list(Path.of(model))) {
            assertEquals(List.of("checkpoint", "metadata.json", "network.zip"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    @Order(3)
    void paramsWritesOneMixturePerGridPoint() {
        String out = dir.resolve("params").toString();
        ok(new ParamsJob(), "--model", model, "--grid", "-1:1:101", "--out", out);
        withSpark(spark -> {
            var params = spark.read().parquet(out);
            assertEquals("struct<x:double,alpha:array<double>,mu:array<array<double>>,sigma:array<array<double>>>",
                    params.schema().simpleString());
            assertEquals(101, params.count());
            Row first = params.orderBy("x").first();
            assertEquals(-1.0, first.getDouble(0), 1e-12);
            assertEquals(MdnOptions.DEFAULT_MIXTURES, first.getList(1).size());
            double sum = first.<Double>getList(1).stream().mapToDouble(Double::doubleValue).sum();
            assertEquals(1.0, sum, 1e-9);
        });
    }

    @Test
    @Order(4)
    void samplesAreLongFormatReproducibleAndCoverEveryBranchAtAQuarter() {
        String a = dir.resolve("samples-a").toString();
        String b = dir.resolve("samples-b").toString();
        ok(new SampleJob(), "--model", model, "--input", test, "--samples", "20", "--seed", "3",
                "--keep-columns", "id,x", "--out", a);
        ok(new SampleJob(), "--model", model, "--input", dir.resolve("test-1").toString(), "--samples", "20",
                "--seed", "3", "--keep-columns", "id,x", "--out", b);
        String quarter = dir.resolve("samples-quarter").toString();
        ok(new SampleJob(), "--model", model, "--grid", "0.24:0.26:3", "--samples", "3000", "--seed", "5",
                "--out", quarter);
        withSpark(spark -> {
            var sa = spark.read().parquet(a);
            assertEquals(List.of("id", "x", "sample_id", "y"), List.of(sa.columns()));
            assertEquals(4000 * 20, sa.count());
            assertEquals(0, sa.exceptAll(spark.read().parquet(b)).count(), "same seed: same samples");

            List<Double> ys = spark.read().parquet(quarter).select("y").as(org.apache.spark.sql.Encoders.DOUBLE())
                    .collectAsList();
            assertEquals(9000, ys.size());
            // the seed's figure: at x = 0.25, y lies near 0, near 0.45 and near 1
            double low = fraction(ys, y -> y < 0.2);
            double middle = fraction(ys, y -> y > 0.3 && y < 0.6);
            double high = fraction(ys, y -> y > 0.8);
            double between = fraction(ys, y -> (y > 0.15 && y < 0.3) || (y > 0.65 && y < 0.85));
            assertTrue(low > 0.1 && middle > 0.1 && high > 0.1,
                    String.format("modes: low %.2f, middle %.2f, high %.2f", low, middle, high));
            assertTrue(between < 0.1, String.format("mass between the modes: %.2f", between));
        });
    }

    @Test
    @Order(5)
    void evaluateBeatsBothBaselinesAndReportsTheBayesLimit() throws IOException {
        Path metrics = dir.resolve("metrics.json");
        ok(new EvaluateJob(), "--model", model, "--data", test, "--out", metrics.toString(),
                "--baseline-rows", "4000");
        JsonNode json = new ObjectMapper().readTree(metrics.toFile());
        for (String key : List.of("rows", "nll", "gaussian_nll", "mse_net_nll", "pit_ks", "crps",
                "bayes_limit_nll")) {
            assertTrue(json.has(key), key + " missing from " + json);
        }
        assertEquals(4000, json.get("rows").asLong());
        double nll = json.get("nll").asDouble();
        assertTrue(nll < json.get("gaussian_nll").asDouble() - 0.5, json.toString());
        assertTrue(nll < json.get("mse_net_nll").asDouble() - 0.5, json.toString());
        assertEquals(-1.82, json.get("bayes_limit_nll").asDouble(), 0.05);
        assertTrue(nll > json.get("bayes_limit_nll").asDouble() - 0.05, "no model beats the truth: " + json);
        assertTrue(json.get("pit_ks").asDouble() < 0.1, json.toString());
        assertTrue(json.get("crps").asDouble() > 0 && json.get("crps").asDouble() < 0.3, json.toString());
    }

    @Test
    @Order(6)
    void badInputIsRefusedWithAMessageAndNoOutput() throws IOException {
        Path csv = Files.writeString(dir.resolve("bad.csv"), "x,y\n0.1,0.5\nNaN,0.2\n0.3,0.4\n");
        String out = dir.resolve("never").toString();

        JobHarness.Result nan = JobHarness.run(new TrainJob(), "--master", MASTER, "--data", csv.toString(),
                "--model", out);
        assertEquals(2, nan.status(), nan.err());
        assertTrue(nan.lastLine().contains("1 of 3 rows") && nan.lastLine().contains("'x'")
                && nan.lastLine().contains("NaN"), nan.lastLine());

        JobHarness.Result missing = JobHarness.run(new ParamsJob(), "--master", MASTER, "--model", model,
                "--input", test, "--features", "nope", "--out", out);
        assertEquals(2, missing.status(), missing.err());
        assertTrue(missing.lastLine().contains("Column 'nope' of the features [nope] not found"), missing.lastLine());

        JobHarness.Result exists = JobHarness.run(new EvaluateJob(), "--master", MASTER, "--model", model,
                "--data", test, "--out", train);
        assertEquals(2, exists.status(), exists.err());
        assertTrue(exists.lastLine().contains("Output path already exists: " + train), exists.lastLine());

        JobHarness.Result notModel = JobHarness.run(new SampleJob(), "--master", MASTER, "--model", train,
                "--grid", "0:1:3", "--out", out);
        assertEquals(2, notModel.status(), notModel.err());
        assertTrue(notModel.lastLine().contains("Not an MDN model directory: " + train), notModel.lastLine());

        assertFalse(Files.exists(Path.of(out)));
    }

    private static double fraction(List<Double> ys, java.util.function.DoublePredicate p) {
        return ys.stream().filter(p::test).count() / (double) ys.size();
    }

    private static void ok(Object job, String... args) {
        JobHarness.ok(MASTER, job, args);
    }

    private static void withSpark(java.util.function.Consumer<SparkSession> body) {
        SparkSession spark = SparkSessions.create("pipeline-test", MASTER);
        try {
            body.accept(spark);
        } finally {
            spark.stop();
        }
    }
}
