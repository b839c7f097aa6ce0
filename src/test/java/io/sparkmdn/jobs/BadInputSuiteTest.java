package io.sparkmdn.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.data.SeedToy;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.spark.SparkSessions;
import io.sparkmdn.local.LocalTrainer;
import io.sparkmdn.train.TrainOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input, through every job that reads it: the job exits with status 2 and one line naming
 * the problem, and no output appears. Paths in the table are relative to a folder of fixtures.
 */
class BadInputSuiteTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void fixtures() throws IOException {
        SparkSession spark = SparkSessions.create("bad-input-fixtures", "local[1]");
        try {
            StructType xy = new StructType().add("x", DataTypes.DoubleType).add("y", DataTypes.DoubleType);
            write(spark, "nulls.parquet", xy, new Object[] {0.1, 0.5}, new Object[] {null, 0.2});
            write(spark, "nan.parquet", xy, new Object[] {0.1, 0.5}, new Object[] {Double.NaN, 0.2});
            write(spark, "posinf.parquet", xy, new Object[] {Double.POSITIVE_INFINITY, 0.5}, new Object[] {0.3, 0.2});
            write(spark, "neginf.parquet", xy, new Object[] {0.1, Double.NEGATIVE_INFINITY});
            write(spark, "empty.parquet", xy);
            write(spark, "strings.parquet", new StructType().add("x", DataTypes.DoubleType)
                    .add("y", DataTypes.StringType), new Object[] {0.1, "high"});
            write(spark, "mixed.parquet", new StructType()
                            .add("x", DataTypes.createArrayType(DataTypes.DoubleType)).add("y", DataTypes.DoubleType),
                    new Object[] {new double[] {0.1, 0.2}, 0.5}, new Object[] {new double[] {0.3}, 0.2});
        } finally {
            spark.stop();
        }
        Files.writeString(dir.resolve("header.csv"), "x,y\n");
        Files.writeString(dir.resolve("file.txt"), "not a directory");

        var model = LocalTrainer.fit(MdnOptions.defaults(), new TrainOptions(1, 128, 1),
                SeedToy.generate(1, 0, 1000), null);
        ModelDirectory.save(model, dir.resolve("model").toString(), false);
        ModelDirectory.save(model, dir.resolve("corrupt-model").toString(), false);
        Files.writeString(dir.resolve("corrupt-model/network.zip"), "garbage");
        ModelDirectory.save(model, dir.resolve("partial-model").toString(), false);
        Files.delete(dir.resolve("partial-model/network.zip"));
        ModelDirectory.save(model, dir.resolve("v2-model").toString(), false);
        Path meta = dir.resolve("v2-model/metadata.json");
        Files.writeString(meta, Files.readString(meta).replace("\"formatVersion\" : 2", "\"formatVersion\" : 3"));
        write(SparkSessions.create("good-fixture", "local[1]"), "good.parquet", new StructType()
                .add("x", DataTypes.DoubleType).add("y", DataTypes.DoubleType), new Object[] {0.1, 0.5});
    }

    private static void write(SparkSession spark, String name, StructType schema, Object[]... rows) {
        spark.createDataFrame(Arrays.stream(rows).map(RowFactory::create).toList(), schema)
                .coalesce(1).write().parquet(dir.resolve(name).toString());
        if (name.equals("good.parquet")) {
            spark.stop();
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // case, job, arguments ({out} is the output that must not appear), expected message
                bad("missing column", new TrainJob(), "--data good.parquet --model {out} --features nope",
                        "Column 'nope' of the features [nope] not found in"),
                bad("misnamed column", new EvaluateJob(), "--model model --data good.parquet --out {out} --labels Y1",
                        "Column 'Y1' of the labels [Y1] not found in"),
                bad("wrong type", new EvaluateJob(), "--model model --data strings.parquet --out {out}",
                        "Column 'y' of the model's labels [y] has type string in",
                        "expected a number, an array of numbers or an ML vector"),
                bad("null", new ParamsJob(), "--model model --input nulls.parquet --out {out}",
                        "1 of 2 rows in", "column 'x' is null in 1 row"),
                bad("NaN", new SampleJob(), "--model model --input nan.parquet --out {out}",
                        "column 'x' is NaN in 1 row", "--invalid-rows skip"),
                bad("+Inf", new TrainJob(), "--data posinf.parquet --model {out}",
                        "column 'x' is Infinity in 1 row"),
                bad("-Inf", new EvaluateJob(), "--model model --data neginf.parquet --out {out}",
                        "column 'y' is -Infinity in 1 row"),
                bad("empty file", new ParamsJob(), "--model model --input empty.parquet --out {out}",
                        "has no rows"),
                bad("header-only CSV", new TrainJob(), "--data header.csv --model {out}", "has no rows"),
                bad("arrays of mixed length", new TrainJob(), "--data mixed.parquet --model {out}",
                        "column 'x' has a width other than 1 (the most common; the column has width 1 in 1 row,"
                                + " width 2 in 1 row) in 1 row"),
                bad("corrupt model", new ParamsJob(), "--model corrupt-model --grid 0:1:5 --out {out}",
                        "Damaged model file", "corrupt-model/network.zip: ",
                        "(copy the model directory again, or train it anew)"),
                bad("partial model", new SampleJob(), "--model partial-model --grid 0:1:5 --out {out}",
                        "Incomplete model directory", "(no network.zip)"),
                bad("not a model", new SampleJob(), "--model good.parquet --grid 0:1:5 --out {out}",
                        "Not an MDN model directory"),
                bad("other format version", new EvaluateJob(), "--model v2-model --data good.parquet --out {out}",
                        "Unsupported model format version 3", "(this build reads versions 1 to 2)"),
                bad("model's column type", new ParamsJob(), "--model model --input mixed.parquet --out {out}",
                        "Column 'x' of the model's features [x] is an array of numbers (array<double>) in",
                        "the model expects a number"),
                bad("output is a file", new ParamsJob(), "--model model --grid 0:1:5 --out file.txt",
                        "Output path already exists:", "file.txt (use --mode overwrite to replace it, or --mode ignore"),
                bad("unwritable output", new SampleJob(), "--model model --grid 0:1:5 --out file.txt/samples",
                        "Cannot write", "file.txt is a file, not a directory"),
                bad("patience 0", new TrainJob(), "--data good.parquet --model {out} --patience 0",
                        "Invalid patience: 0 (must be >= 1 epoch)"),
                bad("negative min delta", new TrainJob(), "--data good.parquet --model {out} --min-delta -0.5",
                        "Invalid min delta: -0.5 (must be >= 0 and finite)"),
                bad("negative noise", new TrainJob(), "--data good.parquet --model {out} --input-noise -1",
                        "Invalid input noise: -1.0 (must be >= 0 and finite)"),
                bad("unknown schedule", new TrainJob(), "--data good.parquet --model {out} --schedule warp",
                        "Unknown learning-rate schedule: 'warp' (known: plateau, exponential, cosine)"),
                bad("bad option value", new SampleJob(), "--model model --grid 0:1 --out {out}",
                        "Invalid --grid '0:1' (expected LO:HI:N"));
    }

    private static Arguments bad(String name, Object job, String args, String... expected) {
        return Arguments.of(name, job, args, List.of(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWithAMessageAndNoOutput(String name, Object job, String args, List<String> expected)
            throws IOException {
        Path out = dir.resolve("out-" + name.replaceAll("[^a-z0-9]+", "-"));
        List<String> argv = Stream.concat(Stream.of("--master", "local[1]"), Arrays.stream(args.split(" "))
                .map(a -> a.equals("{out}") ? out.toString()
                        : a.startsWith("--") || a.matches("[0-9:.,-]+") || a.matches("[A-Za-z0-9]+") && !Files.exists(
                                dir.resolve(a)) ? a : dir.resolve(a).toString())).toList();
        List<String> before = listing();
        JobHarness.Result r = JobHarness.run(job, argv.toArray(new String[0]));

        System.out.println("bad input | " + name + " | " + job.getClass().getSimpleName() + " | " + r.lastLine());
        assertEquals(2, r.status(), name + ": " + r.err());
        for (String fragment : expected) {
            assertTrue(r.lastLine().contains(fragment), name + ": expected '" + fragment + "' in: " + r.lastLine());
        }
        assertFalse(Files.exists(out), name + ": output appeared");
        assertEquals(before, listing(), name + ": nothing may be added beside the fixtures");
    }

    private static List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
