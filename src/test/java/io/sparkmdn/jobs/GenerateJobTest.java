package io.sparkmdn.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.data.DatasetInfo;
import io.sparkmdn.data.SeedToy;
import io.sparkmdn.spark.Generator;
import io.sparkmdn.spark.SparkSessions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generate job end to end; each run starts and stops its own session, as the job does. */
class GenerateJobTest {

    @TempDir
    Path dir;

    @Test
    void writesReadableParquetWithItsDescriptionAndRefusesToOverwriteUnlessAsked() {
        String out = dir.resolve("seed").toString();
        assertEquals(0, run("--master", "local[2]", "--rows", "2000", "--seed", "7", "--partitions", "3",
                "--out", out).status);

        SparkSession spark = SparkSessions.create("test", "local[2]");
        try {
            List<Row> rows = spark.read().parquet(out).orderBy("id").collectAsList();
            assertEquals(2000, rows.size());
            assertEquals(SeedToy.row(7, 1999)[0], rows.get(1999).getDouble(1), 0);
        } finally {
            spark.stop();
        }
        assertEquals(new DatasetInfo("seed", 7, 2000, 1, 1, "x", "y", "parquet"),
                Generator.readInfo(out, new Configuration()).orElseThrow());

        Result refused = run("--master", "local[2]", "--rows", "10", "--out", out);
        assertEquals(2, refused.status);
        assertEquals("error: Output path already exists: " + out + " (use --mode overwrite to replace it, or "
                + "--mode ignore to leave it and skip the job)", refused.err.strip());
        assertEquals(0, run("--master", "local[2]", "--rows", "10", "--out", out, "--mode", "ignore").status);
        assertEquals(2000, Generator.readInfo(out, new Configuration()).orElseThrow().rows(), "ignore left it");

        assertEquals(0, run("--master", "local[2]", "--kind", "twin-circle", "--rows", "10", "--out", out,
                "--mode", "overwrite").status);
        DatasetInfo replaced = Generator.readInfo(out, new Configuration()).orElseThrow();
        assertEquals("twin-circle", replaced.kind());
        assertEquals(10, replaced.rows());
        assertEquals(42, replaced.seed());

        assertEquals(0, run("--master", "local[2]", "--rows", "20", "--out", out, "--overwrite").status,
                "the deprecated --overwrite still replaces");
        assertEquals(20, Generator.readInfo(out, new Configuration()).orElseThrow().rows());
    }

    @Test
    void badOptionsFailWithOneLineNamingTheValueAndWriteNothing() {
        String out = dir.resolve("never").toString();
        assertEquals(new Result(2, "error: Unknown dataset kind: 'foo' (known: seed, twin-circle, skewed)"),
                run("--kind", "foo", "--out", out).stripped());
        assertEquals(new Result(2, "error: Invalid number of rows: 0 (must be >= 1)"),
                run("--rows", "0", "--out", out).stripped());
        assertEquals(new Result(2, "error: Unknown format: 'xml' (known: parquet, csv, delta)"),
                run("--out-format", "xml", "--out", out).stripped());
        assertEquals(new Result(2, "error: CSV holds only scalar columns but dataset kind 'twin-circle' has "
                + "d_x=1, d_y=2: use parquet"), run("--kind", "twin-circle", "--out", out + ".csv").stripped());
        assertFalse(Files.exists(Path.of(out)));
        assertFalse(Files.exists(Path.of(out + ".csv")));
    }

    @Test
    void helpListsTheOptions() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = JobRunner.run(new GenerateJob(), new String[] {"--help"});
        } finally {
            System.setOut(saved);
        }
        String help = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, status);
        for (String option : List.of("--kind", "--rows", "--seed", "--out", "--partitions", "--out-format",
                "--mode", "--master")) {
            assertTrue(help.contains(option), option + " missing from:\n" + help);
        }
    }

    private record Result(int status, String err) {
        Result stripped() {
            return new Result(status, err.strip());
        }
    }

    private static Result run(String... args) {
        JobHarness.Result r = JobHarness.run(new GenerateJob(), args);
        return new Result(r.status(), r.err());
    }
}
