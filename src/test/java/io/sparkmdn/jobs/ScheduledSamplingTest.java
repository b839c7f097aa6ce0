package io.sparkmdn.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmdn.model.ModelDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a scheduler running {@code sample --run-id} daily relies on: rows draw independently, each run draws
 * anew yet repeats bitwise when rerun, the manifest says what produced the run, and no output ever lands on an
 * input.
 */
class ScheduledSamplingTest {

    private static final String MASTER = "local[2]";

    @TempDir
    static Path dir;

    private static String model;
    private static String entities;

    @BeforeAll
    static void modelAndEntities() {
        model = JobHarness.smallModel(dir.resolve("model"));
        entities = dir.resolve("entities").toString();
        JobHarness.withSpark(spark -> {
            // 40 entities, all at the same x: a per-entity simulation
            spark.range(40).select(col("id").as("entity"), lit(0.25).as("x")).coalesce(1).write().parquet(entities);
            return null;
        });
    }

    @Test
    void rowsWithEqualFeaturesDrawIndependentlyUnlessTheirKeysAreEqual() throws IOException {
        String byRow = out("by-row");
        ok(new SampleJob(), "--model", model, "--input", entities, "--keep-columns", "entity", "--samples", "20",
                "--seed", "3", "--out", byRow);
        Map<Long, List<Double>> draws = drawsByEntity(byRow);
        assertEquals(40, draws.size());
        assertEquals(40, draws.values().stream().distinct().count(), "every entity draws its own samples");
        assertEquals(0, manifest(byRow).get("duplicate_key_rows").asLong());
        assertEquals(List.of("entity", "x"), strings(manifest(byRow).get("key_columns")));

        String byX = out("by-x");
        ok(new SampleJob(), "--model", model, "--input", entities, "--keep-columns", "entity", "--samples", "20",
                "--seed", "3", "--key-columns", "x", "--out", byX);
        assertEquals(1, drawsByEntity(byX).values().stream().distinct().count(), "keyed by x alone: one draw");
        assertEquals(40, manifest(byX).get("duplicate_key_rows").asLong());
    }

    @Test
    void eachRunIdDrawsAnewAndARerunOfAnIdRepeatsItBitwise() throws IOException {
        String runs = out("runs");
        sampleRun(runs, "2026-12-01", "error");
        sampleRun(runs, "2026-12-02", "error");
        Map<Long, List<Double>> first = drawsByEntity(runs + "/run_id=2026-12-01");
        Map<Long, List<Double>> second = drawsByEntity(runs + "/run_id=2026-12-02");
        assertNotEquals(first, second, "two days, two independent simulations");
        JsonNode manifest = manifest(runs + "/run_id=2026-12-01");
        assertEquals(ScheduledRun.seedOf("2026-12-01"), manifest.get("seed").asLong());
        assertEquals("run id", manifest.get("seed_from").asText());

        sampleRun(runs, "2026-12-01", "overwrite");
        assertEquals(first, drawsByEntity(runs + "/run_id=2026-12-01"), "a rerun of the same id repeats it");
    }

    @Test
    void theManifestSaysWhatProducedTheRun() throws IOException {
        String runs = out("manifest");
        sampleRun(runs, "r1", "error");
        JsonNode m = manifest(runs + "/run_id=r1");
        assertEquals(ModelDirectory.fingerprint(model, new Configuration()), m.get("model_fingerprint").asText());
        assertEquals(64, m.get("model_fingerprint").asText().length(), "SHA-256 in hex");
        assertEquals(40, m.at("/input_fingerprint/rows").asLong());
        assertEquals("file:" + entities, m.at("/input_fingerprint/paths/0").asText());
        assertEquals(40 * 5, m.get("rows").asLong());
        assertEquals(0, m.get("dropped_rows").asLong());
        assertEquals("parquet", m.get("format").asText());
        assertTrue(m.get("version").asText().matches("\\d+\\.\\d+\\.\\d+.*"), m.get("version").asText());
        assertTrue(m.get("started_at").asText().compareTo(m.get("completed_at").asText()) <= 0);
    }

    @Test
    void csvSampleOutputIsWrittenAndReadsBack() throws IOException {
        String csv = out("samples.csv");
        ok(new SampleJob(), "--model", model, "--input", entities, "--samples", "4", "--out", csv);
        assertEquals(160, manifest(csv).get("rows").asLong());
        long rows = JobHarness.withSpark(spark -> spark.read().option("header", true).option("inferSchema", true).csv(csv)
                .where(col("y").isNotNull()).count());
        assertEquals(160, rows);
    }

    @Test
    void everyJobRefusesAnOutputOnItsInputAndLeavesTheInputIntact() throws IOException {
        String data = dir.resolve("data").toString();
        ok(new GenerateJob(), "--rows", "500", "--out", data);
        List<String> before = listing(Path.of(data));
        Path link = Files.createSymbolicLink(dir.resolve("data-link"), Path.of(data));
        String report = dir.resolve("report-in").toString();
        List<String[]> cases = List.of(
                new String[] {"params", "--model", model, "--input", data, "--out", data, "--mode", "overwrite"},
                new String[] {"params", "--model", model, "--input", data, "--out", link.toString(), "--mode", "overwrite"},
                new String[] {"params", "--model", model, "--grid", "0:1:3", "--out", model + "/params"},
                new String[] {"sample", "--model", model, "--input", data, "--out", data + "/samples"},
                new String[] {"sample", "--model", model, "--input", data, "--out", dir.toString(), "--run-id", "x"},
                new String[] {"evaluate", "--model", model, "--data", data, "--out", data + "/metrics.json"},
                new String[] {"train", "--data", data, "--model", data + "/model"},
                new String[] {"train", "--data", data + "/*.parquet", "--model", data, "--mode", "overwrite"},
                new String[] {"report", "--data", data, "--out", report + "/../data", "--mode", "overwrite"});
        for (String[] c : cases) {
            Object job = switch (c[0]) {
                case "params" -> new ParamsJob();
                case "sample" -> new SampleJob();
                case "evaluate" -> new EvaluateJob();
                case "train" -> new TrainJob();
                default -> new ReportJob();
            };
            String[] args = Stream.concat(Stream.of("--master", MASTER), Stream.of(c).skip(1)).toArray(String[]::new);
            JobHarness.Result r = JobHarness.run(job, args);
            String line = r.lastLine();
            assertEquals(2, r.status(), String.join(" ", c) + ": " + r.err());
            assertTrue(line.startsWith("error: Output ") && line.contains("write the output elsewhere")
                    && (line.contains(" the data ") || line.contains(" the input ") || line.contains(" the model ")),
                    line);
        }
        assertEquals(before, listing(Path.of(data)), "the input is intact");
        assertTrue(Files.exists(Path.of(model, ModelDirectory.METADATA_FILE)), "the model is intact");
    }

    private static void sampleRun(String out, String runId, String mode) {
        ok(new SampleJob(), "--model", model, "--input", entities, "--keep-columns", "entity", "--samples", "5",
                "--out", out, "--run-id", runId, "--mode", mode);
    }

    /** Each entity's draws, in sample order. */
    private static Map<Long, List<Double>> drawsByEntity(String path) {
        return JobHarness.withSpark(spark -> {
            Map<Long, List<Double>> out = new TreeMap<>();
            for (Row r : spark.read().parquet(path).orderBy("entity", "sample_id").collectAsList()) {
                out.computeIfAbsent(r.getLong(r.fieldIndex("entity")), k -> new java.util.ArrayList<>())
                        .add(r.getDouble(r.fieldIndex("y")));
            }
            return out;
        });
    }

    private static JsonNode manifest(String path) throws IOException {
        return new ObjectMapper().readTree(Path.of(path, ScheduledRun.MANIFEST).toFile());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> listing(Path p) throws IOException {
        try (Stream<Path> files = Files.walk(p)) {
            return files.map(f -> p.relativize(f) + ":" + f.toFile().length()).sorted().toList();
        }
    }


    private static String out(String name) {
        return dir.resolve("out").resolve(name).toString();
    }

    private static void ok(Object job, String... args) {
        JobHarness.ok(MASTER, job, args);
    }
}
