package io.sparkmdn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report directory: one valid PNG per figure, index.html referencing each, written atomically. */
class ReportWriterTest {

    @TempDir
    Path tmp;

    @Test
    void writesEveryFigureAsPngAndAPageThatReferencesThemAll() throws IOException {
        Report report = ReportBuilder.build(ReportFixtures.seedInputs());
        Path out = tmp.resolve("report");
        ReportWriter.write(report, "seed fixture", out.toString(), false, new Configuration());

        Set<String> pngs = listing(out).stream().filter(f -> f.endsWith(".png"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(report.figures().stream().map(Figure::file).collect(Collectors.toCollection(TreeSet::new)), pngs);
        assertEquals(pngs.size() + 1, listing(out).size(), "the PNGs, index.html and nothing else: " + listing(out));
        for (Figure f : report.figures()) {
            Pictures.assertPng(Files.readAllBytes(out.resolve(f.file())), f.image().getWidth(),
                    f.image().getHeight());
        }
        String html = Files.readString(out.resolve(Report.INDEX));
        assertEquals(pngs, new TreeSet<>(HtmlReportTest.imageSources(html)));
    }

    @Test
    void anExistingReportIsReplacedOnlyWhenOverwriting() throws IOException {
        Path out = tmp.resolve("r");
        Report small = new Report(List.of(), ReportFixtures.metrics(), List.of(), List.of());
        ReportWriter.write(small, "t", out.toString(), false, new Configuration());
        Files.writeString(out.resolve("stale.png"), "old");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReportWriter.write(small, "t", out.toString(), false, new Configuration()));
        assertTrue(e.getMessage().contains("--mode overwrite"), e.getMessage());
        ReportWriter.write(small, "t", out.toString(), true, new Configuration());
        assertEquals(List.of(Report.INDEX), listing(out), "the old directory is replaced whole");
        assertFalse(listing(tmp).stream().anyMatch(f -> f.startsWith(".")), "no temporary directory left");
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
