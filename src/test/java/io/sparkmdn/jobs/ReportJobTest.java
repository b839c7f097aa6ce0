package io.sparkmdn.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmdn.data.SeedToy;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.spark.Evaluator;
import io.sparkmdn.local.LocalTrainer;
import io.sparkmdn.train.TrainOptions;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report job on a small run's outputs (generate, a saved model, params, sample, and metrics in evaluate's
 * format), read back from their paths on local[2].
 */
class ReportJobTest {

    private static final String MASTER = "local[2]";

    @TempDir
    static Path dir;

    private static String data;
    private static String model;
    private static String params;
    private static String samples;
    private static String metrics;

    @BeforeAll
    static void smallRun() {
        data = dir.resolve("data").toString();
        model = dir.resolve("model").toString();
        params = dir.resolve("params").toString();
        samples = dir.resolve("samples").toString();
        metrics = dir.resolve("metrics.json").toString();
        ok(new GenerateJob(), "--rows", "3000", "--seed", "1", "--partitions", "2", "--out", data);
        MdnModel trained = LocalTrainer.fit(MdnOptions.defaults(), new TrainOptions(3, 128, 1),
                SeedToy.generate(1, 0, 3000), SeedToy.generate(2, 0, 500));
        ModelDirectory.save(trained, model, false);
        ok(new ParamsJob(), "--model", model, "--grid", "-1:1.4:61", "--out", params);
        ok(new SampleJob(), "--model", model, "--grid", "-1:1.4:61", "--samples", "20", "--out", samples);
        writeMetrics(metrics);
    }

    /** Metrics as the evaluate job writes them (its report record's JSON), without the cost of evaluating. */
    private static void writeMetrics(String path) {
        double[] pit = new double[Evaluator.PIT_BINS];
        Arrays.fill(pit, 1.0 / pit.length);
        Evaluator.Report report = new Evaluator.Report(3000, -0.8, 0.17, -0.35, 500, 0.04, pit, 0.09, -1.82);
        try {
            new ObjectMapper().writeValue(Path.of(path).toFile(), report.toJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyInputGivesEveryFigureAndAPageReferencingThemAll() throws IOException {
        Path out = dir.resolve("report");
        ok(new ReportJob(), "--data", data, "--model", model, "--params", params, "--samples", samples,
                "--metrics", metrics, "--max-points", "400", "--out", out.toString());
        assertEquals(List.of("components.png", "data.png", "density.png", "index.html", "learning-curves.png",
                "least-squares.png", "mdn-samples.png", "pit.png"), listing(out));
        assertImage(out.resolve("data.png"), 800, 500);
        assertImage(out.resolve("density.png"), 1200, 500);
        assertImage(out.resolve("components.png"), 800, 780);
        String html = Files.readString(out.resolve("index.html"));
        assertEquals(listing(out).stream().filter(f -> f.endsWith(".png")).toList(),
                imageSources(html).stream().sorted().toList());
        assertTrue(html.contains("400 read; generated as &#39;seed&#39;"), "data sampled, truth known");
        assertTrue(html.contains("61 distinct x read"), "params read");
        assertTrue(html.contains("1,220 draws, 1,220 read"), "samples read");
        assertFalse(html.contains("Left out"), "nothing skipped");
    }

    @Test
    void aModelAloneGivesItsFiguresAndListsWhatWasSkipped() throws IOException {
        Path out = dir.resolve("model-only");
        ok(new ReportJob(), "--model", model, "--out", out.toString());
        assertEquals(List.of("components.png", "density.png", "index.html", "learning-curves.png"), listing(out));
        assertImage(out.resolve("density.png"), 800, 500);
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("predicted by the model on 241 x"), "mixtures from the model without --params");
        for (String option : List.of("--data", "--samples", "--metrics")) {
            assertTrue(html.contains("(" + option + ")"), option + " not named among the skipped figures");
        }
    }

    @Test
    void badRequestsFailWithAMessageAndWriteNothing() {
        String out = dir.resolve("never").toString();
        JobHarness.Result nothing = JobHarness.run(new ReportJob(), "--master", MASTER, "--out", out);
        assertEquals(2, nothing.status(), nothing.err());
        assertTrue(nothing.lastLine().contains("Nothing to report"), nothing.lastLine());

        JobHarness.Result notParams = JobHarness.run(new ReportJob(), "--master", MASTER, "--params", data,
                "--out", out);
        assertEquals(2, notParams.status(), notParams.err());
        assertTrue(notParams.lastLine().contains("Not a params table: " + data + " has no column 'alpha'"),
                notParams.lastLine());

        JobHarness.Result exists = JobHarness.run(new ReportJob(), "--master", MASTER, "--metrics", metrics,
                "--out", data);
        assertEquals(2, exists.status(), exists.err());
        assertTrue(exists.lastLine().contains("Output path already exists: " + data), exists.lastLine());
        assertFalse(Files.exists(Path.of(out)));
    }

    @Test
    void helpListsEveryInputAndTheOutput() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = JobRunner.run(new ReportJob(), new String[] {"--help"});
        } finally {
            System.setOut(saved);
        }
        String help = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, status);
        for (String option : List.of("--data", "--model", "--params", "--samples", "--metrics", "--out",
                "--mode", "--max-points", "--master")) {
            assertTrue(help.contains(option), option + " missing from:\n" + help);
        }
    }

    private static void assertImage(Path png, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(width, image.getWidth(), png.toString());
        assertEquals(height, image.getHeight(), png.toString());
    }

    private static List<String> imageSources(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void ok(Object job, String... args) {
        JobHarness.ok(MASTER, job, args);
    }
}
