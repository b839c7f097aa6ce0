package io.sparkmdn.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmdn.spark.SparkSessions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every job that reads a model works for models of the activations beyond tanh, relu and sigmoid. */
class ActivationsTest {

    private static final String MASTER = "local[2]";

    @TempDir
    static Path dir;

    private static String data;

    @BeforeAll
    static void data() {
        data = dir.resolve("data").toString();
        JobHarness.ok(MASTER, new GenerateJob(), "--rows", "4000", "--seed", "5", "--partitions", "2", "--out", data);
    }

    @ParameterizedTest
    @ValueSource(strings = {"elu", "leakyrelu", "swish", "gelu"})
    void trainEvaluateParamsAndSampleWork(String activation) throws IOException {
        String model = dir.resolve("model-" + activation).toString();
        Path metrics = dir.resolve("metrics-" + activation + ".json");
        String params = dir.resolve("params-" + activation).toString();
        String samples = dir.resolve("samples-" + activation).toString();
        JobHarness.ok(MASTER, new TrainJob(), "--data", data, "--model", model, "--epochs", "1",
                "--hidden-layers", "8", "--mixtures", "2", "--batch-size", "64", "--activation", activation);
        JobHarness.ok(MASTER, new EvaluateJob(), "--model", model, "--data", data, "--out", metrics.toString(),
                "--baseline-rows", "500");
        JobHarness.ok(MASTER, new ParamsJob(), "--model", model, "--grid", "0:1:5", "--out", params);
        JobHarness.ok(MASTER, new SampleJob(), "--model", model, "--grid", "0:1:5", "--samples", "3",
                "--out", samples);

        JsonNode json = new ObjectMapper().readTree(metrics.toFile());
        assertEquals(4000, json.get("rows").asLong());
        for (String key : List.of("nll", "gaussian_nll", "mse_net_nll", "pit_ks", "crps")) {
            assertTrue(Double.isFinite(json.get(key).asDouble()), activation + ": " + key + " in " + json);
        }
        SparkSession spark = SparkSessions.create("activations-test", MASTER);
        try {
            List<Row> mixtures = spark.read().parquet(params).collectAsList();
            assertEquals(5, mixtures.size());
            for (Row r : mixtures) {
                double total = r.<Double>getList(1).stream().mapToDouble(Double::doubleValue).sum();
                assertEquals(1.0, total, 1e-9, activation + ": mixture weights at x = " + r.getDouble(0));
            }
            List<Double> ys = spark.read().parquet(samples).select("y")
                    .as(org.apache.spark.sql.Encoders.DOUBLE()).collectAsList();
            assertEquals(5 * 3, ys.size());
            assertTrue(ys.stream().allMatch(Double::isFinite), activation + ": samples " + ys);
        } finally {
            spark.stop();
        }
    }
}
