package io.sparkmdn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.data.SeedToy;
import io.sparkmdn.data.XYData;
import io.sparkmdn.math.MixtureBatch;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.train.LocalTrainer;
import io.sparkmdn.train.TrainOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDirectoryTest {

    private static MdnModel model;
    private static XYData probe;

    @TempDir
    Path tmp;

    @BeforeAll
    static void trainSmallModel() {
        model = LocalTrainer.fit(MdnOptions.defaults(), new TrainOptions(1, 128, 1),
                SeedToy.generate(1, 0, 2000), null);
        probe = SeedToy.generate(2, 0, 50);
    }

    @Test
    void roundTripGivesIdenticalOutputsAndMetadata() {
        String dir = tmp.resolve("model").toString();
        ModelDirectory.save(model, dir, false);
        MdnModel loaded = ModelDirectory.load(dir);

        assertEquals(model.options(), loaded.options());
        assertEquals(model.normalization(), loaded.normalization());
        assertEquals(model.training(), loaded.training());
        MixtureBatch a = model.predict(probe.x());
        MixtureBatch b = loaded.predict(probe.x());
        for (int i = 0; i < probe.size(); i++) {
            assertArrayEquals(a.mixture(i).weights(), b.mixture(i).weights(), 0);
            assertArrayEquals(a.mixture(i).means(), b.mixture(i).means(), 0);
            assertArrayEquals(a.mixture(i).sigmas(), b.mixture(i).sigmas(), 0);
        }
        assertArrayEquals(model.logDensities(probe.x(), probe.y()), loaded.logDensities(probe.x(), probe.y()), 0);
    }

    @Test
    void saveIsAtomicAndRefusesAnExistingPathUnlessOverwriting() throws IOException {
        Path dir = tmp.resolve("m");
        ModelDirectory.save(model, dir.toString(), false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelDirectory.save(model, dir.toString(), false));
        assertTrue(e.getMessage().contains("already exists: " + dir), e.getMessage());
        ModelDirectory.save(model, dir.toString(), true);
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertEquals(List.of("m"), siblings.map(p -> p.getFileName().toString()).toList(),
                    "no temporary directory left beside the model");
        }
        assertTrue(Files.exists(dir.resolve(ModelDirectory.METADATA_FILE)));
        assertTrue(Files.exists(dir.resolve(ModelDirectory.NETWORK_FILE)));
    }

    @Test
    void loadingSomethingThatIsNotAModelSaysWhat() throws IOException {
        Path missing = tmp.resolve("nowhere");
        assertMessage(missing, "Model directory does not exist: " + missing);

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertMessage(empty, "Not an MDN model directory: " + empty + " (no metadata.json)");

        Path file = Files.writeString(tmp.resolve("file.txt"), "hello");
        assertMessage(file, "Not an MDN model directory: " + file + " is a file");

        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("metadata.json"), "{\"format\": \"something-else\"}");
        assertMessage(other, "metadata format is 'something-else'");

        Path garbled = Files.createDirectories(tmp.resolve("garbled"));
        Files.writeString(garbled.resolve("metadata.json"), "{not json");
        assertMessage(garbled, "Corrupt model metadata");
    }

    @Test
    void anotherFormatVersionOrAMissingNetworkIsRefused() throws IOException {
        Path dir = tmp.resolve("v2");
        ModelDirectory.save(model, dir.toString(), false);
        Path meta = dir.resolve(ModelDirectory.METADATA_FILE);
        Files.writeString(meta, Files.readString(meta).replace("\"formatVersion\" : 1", "\"formatVersion\" : 2"));
        assertMessage(dir, "Unsupported model format version 2 in " + dir + " (this build reads version 1)");

        Path partial = tmp.resolve("partial");
        ModelDirectory.save(model, partial.toString(), false);
        Files.delete(partial.resolve(ModelDirectory.NETWORK_FILE));
        assertMessage(partial, "Incomplete model directory: " + partial + " (no network.zip)");
    }

    private static void assertMessage(Path path, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelDirectory.load(path.toString()));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
