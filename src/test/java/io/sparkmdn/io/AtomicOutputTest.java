package io.sparkmdn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputTest {

    @TempDir
    Path dir;

    @Test
    void aReplacementThatFailsAfterMovingTheOldOutputAsidePutsItBack() throws IOException {
        Path out = output("out", "old");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicOutput.write(
                FaultyFileSystem.SCHEME + ":" + out, true, FaultyFileSystem.configuration(),
                tmp -> write(Path.of(java.net.URI.create(tmp).getPath()), "new")));
        assertTrue(e.getMessage().contains("injected failure"), e.getMessage());
        assertEquals("old", Files.readString(out.resolve("part")), "the old output is back in place");
        assertEquals(List.of("out"), listing(), "no temporary or set-aside directory is left");
    }

    @Test
    void aWriterThatFailsLeavesTheOldOutputUntouched() throws IOException {
        Path out = output("out", "old");
        assertThrows(IllegalStateException.class, () -> AtomicOutput.write(out.toString(), true, new Configuration(),
                tmp -> {
                    write(Path.of(tmp), "half");
                    throw new IllegalStateException("the job failed midway");
                }));
        assertEquals("old", Files.readString(out.resolve("part")));
        assertEquals(List.of("out"), listing());
    }

    @Test
    void aSuccessfulReplacementLeavesOnlyTheNewOutput() throws IOException {
        Path out = output("out", "old");
        AtomicOutput.write(out.toString(), true, new Configuration(), tmp -> write(Path.of(tmp), "new"));
        assertEquals("new", Files.readString(out.resolve("part")));
        assertEquals(List.of("out"), listing());
    }

    @Test
    void anOutputThatIsInsideContainsOrEqualsAnInputIsRefusedNamingBoth() throws IOException {
        Path data = output("data", "rows");
        Configuration conf = new Configuration();
        String same = message(() -> AtomicOutput.checkApart(data.toString(), conf,
                AtomicOutput.inputs("data", data.toString())));
        assertTrue(same.startsWith("Output " + data + " is the same as the data " + data), same);
        String inside = message(() -> AtomicOutput.checkApart(data.resolve("params").toString(), conf,
                AtomicOutput.inputs("model", null, "input", data.toString())));
        assertTrue(inside.startsWith("Output " + data.resolve("params") + " lies inside the input " + data), inside);
        String contains = message(() -> AtomicOutput.checkApart(dir.toString(), conf,
                AtomicOutput.inputs("data", data + "/*")));
        assertTrue(contains.startsWith("Output " + dir + " contains the data " + data + "/*"), contains);
        Path link = Files.createSymbolicLink(dir.resolve("link"), data);
        String linked = message(() -> AtomicOutput.checkApart(link.toString(), conf,
                AtomicOutput.inputs("data", data.toString())));
        assertTrue(linked.startsWith("Output " + link + " is the same as the data " + data), linked);
        String relative = message(() -> AtomicOutput.checkApart(
                Path.of("").toAbsolutePath().relativize(data).toString(), conf,
                AtomicOutput.inputs("data", data.toString())));
        assertTrue(relative.contains("is the same as the data " + data), relative);
        AtomicOutput.checkApart(dir.resolve("data-2").toString(), conf, AtomicOutput.inputs("data", data.toString()));
        AtomicOutput.checkWritable(dir.resolve("data-2").toString(), false, conf);
        assertEquals("rows", Files.readString(data.resolve("part")), "the input is untouched");
    }

    private static String message(Runnable check) {
        return assertThrows(IllegalArgumentException.class, check::run).getMessage();
    }

    private Path output(String name, String content) throws IOException {
        Path out = Files.createDirectories(dir.resolve(name));
        Files.writeString(out.resolve("part"), content);
        return out;
    }

    private static void write(Path directory, String content) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("part"), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
