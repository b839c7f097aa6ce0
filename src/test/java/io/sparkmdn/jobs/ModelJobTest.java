package io.sparkmdn.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmdn.data.SeedToy;
import io.sparkmdn.input.ColumnSpec;
import io.sparkmdn.input.ColumnType;
import io.sparkmdn.input.InputDescription;
import io.sparkmdn.input.InputFingerprint;
import io.sparkmdn.input.InputSource;
import io.sparkmdn.input.InvalidRows;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.model.RunDescription;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.local.LocalTrainer;
import io.sparkmdn.train.SparkTrainOptions;
import io.sparkmdn.train.TrainOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The model job prints a model directory's metadata as a table or as JSON, and names a missing directory. */
class ModelJobTest {

    @TempDir
    Path dir;

    /** The status and standard output of the job run in this JVM. */
    private record Printed(int status, String out) {
    }

    private static Printed model(String... args) {
        StringWriter out = new StringWriter();
        int status = new CommandLine(new ModelJob()).setOut(new PrintWriter(out)).execute(args);
        return new Printed(status, out.toString());
    }

    /** A copy of the version-1 fixture (2 epochs, K=3, 2x8 tanh, columns not recorded). */
    private String v1Model() throws IOException, URISyntaxException {
        Path fixture = Path.of(ModelJobTest.class.getResource("/models/v1-seed").toURI());
        Path copy = Files.createDirectories(dir.resolve("v1-seed"));
        for (String file : List.of(ModelDirectory.METADATA_FILE, ModelDirectory.NETWORK_FILE)) {
            Files.copy(fixture.resolve(file), copy.resolve(file));
        }
        return copy.toString();
    }

    @Test
    void aVersion1ModelShowsTheDefaultColumnsAndItsHistory() throws Exception {
        String path = v1Model();
        Printed p = model("--model", path);
        assertEquals(0, p.status(), p.out());
        String out = p.out();
        assertTrue(out.startsWith("model " + path + " (format version 1, created 2026-12-01T03:42:31"), out);
        assertTrue(out.contains("not recorded (format version 1): columns default to x and y"), out);
        assertTrue(Pattern.compile("(?m)^ +feature +x +number +1$").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^ +label +y +number +1$").matcher(out).find(), out);
        assertTrue(out.contains("mixtures") && out.contains("8, 8") && out.contains("tanh"), out);
        assertTrue(out.contains("2676 train, 324 test, 0 dropped"), out);
        assertTrue(out.contains("-0.1602 train, -0.1574 test"), out);
        assertTrue(out.contains("none: the model's own answers"), out);
        assertTrue(Pattern.compile("(?m)^ +1 +0\\.0032 +-0\\.0061 +0\\.77 +3481$").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^ +2 +-0\\.1602 +-0\\.1574 +0\\.43 +6203$").matcher(out).find(), out);
    }

    @Test
    void jsonPrintsTheMetadata() throws Exception {
        Printed p = model("--model", v1Model(), "--json");
        assertEquals(0, p.status(), p.out());
        JsonNode json = new ObjectMapper().readTree(p.out());
        assertEquals(ModelDirectory.FORMAT, json.path("format").asText());
        assertEquals(1, json.path("formatVersion").asInt());
        assertEquals(2, json.path("training").path("epochs").asInt());
        assertEquals(2, json.path("training").path("history").size());
        assertEquals(3, json.path("options").path("mixtures").asInt());
    }

    @Test
    void aVersion2ModelShowsItsRun() {
        MdnModel trained = LocalTrainer.fit(MdnOptions.defaults(), new TrainOptions(1, 128, 1),
                SeedToy.generate(1, 0, 500), null);
        InputDescription input = new InputDescription(InputSource.of("/data/flights"),
                List.of(new ColumnSpec("time", ColumnType.NUMBER, 1)),
                List.of(new ColumnSpec("delay", ColumnType.NUMBER, 1)), InvalidRows.SKIP);
        RunDescription run = new RunDescription(input, trained.options(), SparkTrainOptions.defaults(),
                new InputFingerprint(List.of("file:/data/flights"), 1234, 500, "time DOUBLE, delay DOUBLE"));
        String path = dir.resolve("v2").toString();
        ModelDirectory.save(trained.withRun(run), path, false);

        Printed p = model("--model", path);
        assertEquals(0, p.status(), p.out());
        String out = p.out();
        assertTrue(out.contains("(format version 2, created "), out);
        assertTrue(Pattern.compile("(?m)^ +source +/data/flights$").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^ +invalid rows +skip$").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^ +feature +time +number +1$").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^ +label +delay +number +1$").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^ +paths +file:/data/flights$").matcher(out).find(), out);
        assertTrue(out.contains("time DOUBLE, delay DOUBLE") && out.contains("1234"), out);
        assertTrue(Pattern.compile("(?m)^ +averaging frequency +" + SparkTrainOptions.DEFAULT_AVERAGING_FREQUENCY + "$").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^ +1 +-?\\d+\\.\\d{4} +— +").matcher(out).find(), "no test rows: " + out);
    }

    @Test
    void aMissingDirectoryIsNamed() {
        String missing = dir.resolve("nowhere").toString();
        JobHarness.Result r = JobHarness.run(new ModelJob(), "--model", missing);
        assertEquals(2, r.status(), r.err());
        assertEquals("error: Model directory does not exist: " + missing, r.lastLine());
    }
}
