package io.sparkmdn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.data.SeedToy;
import io.sparkmdn.data.XYData;
import io.sparkmdn.input.ColumnSpec;
import io.sparkmdn.input.InputDescription;
import io.sparkmdn.input.InvalidRows;
import io.sparkmdn.math.MixtureBatch;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.local.LocalTrainer;
import io.sparkmdn.train.TrainOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
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
        Path dir = tmp.resolve("v3");
        ModelDirectory.save(model, dir.toString(), false);
        Path meta = dir.resolve(ModelDirectory.METADATA_FILE);
        Files.writeString(meta, Files.readString(meta).replace("\"formatVersion\" : 2", "\"formatVersion\" : 3"));
        assertMessage(dir, "Unsupported model format version 3 in " + dir + " (this build reads versions 1 to 2)");

        Path partial = tmp.resolve("partial");
        ModelDirectory.save(model, partial.toString(), false);
        Files.delete(partial.resolve(ModelDirectory.NETWORK_FILE));
        assertMessage(partial, "Incomplete model directory: " + partial + " (no network.zip)");
    }

    @Test
    void aDamagedFileIsNamedWithWhatIsWrongWithIt() throws IOException {
        Path network = copyWith("cut-network", ModelDirectory.NETWORK_FILE, bytes -> java.util.Arrays.copyOf(bytes,
                bytes.length / 2));
        assertMessage(network, "Damaged model file " + network.resolve(ModelDirectory.NETWORK_FILE) + ": ");
        Path noise = copyWith("noise-network", ModelDirectory.NETWORK_FILE, bytes -> "not a zip".getBytes());
        assertMessage(noise, "Damaged model file " + noise.resolve(ModelDirectory.NETWORK_FILE) + ": ");
        Path meta = copyWith("cut-metadata", ModelDirectory.METADATA_FILE, bytes -> java.util.Arrays.copyOf(bytes,
                bytes.length / 2));
        assertMessage(meta, "Corrupt model metadata " + meta.resolve(ModelDirectory.METADATA_FILE));
        Path wrong = copyWith("wrong-metadata", ModelDirectory.METADATA_FILE, bytes -> new String(bytes)
                .replaceFirst("\"normalization\" : \\{", "\"normalization\" : \"oops\", \"was\" : {").getBytes());
        assertMessage(wrong, "Corrupt model metadata " + wrong.resolve(ModelDirectory.METADATA_FILE) + ": ");
    }

    @Test
    void aCalibrationTravelsWithTheModelUnboundedValuesIncluded() throws IOException {
        // three rows: the 0.95 level's CQR margin and the top of the PIT grid are beyond the rows, so infinite
        double[][] pits = {{0.2, 0.5, 0.9}};
        double[][][] scores = {{{-0.3, 0.1, 0.4}}};
        io.sparkmdn.math.Conformal conformal = io.sparkmdn.math.Conformal.fit(io.sparkmdn.math.Conformal.Method.CQR,
                0.95, pits, new double[] {0.95}, scores);
        assertEquals(Double.POSITIVE_INFINITY, conformal.cqrMargins()[0][0]);
        MdnModel calibrated = model.withCalibration(new ModelCalibration(conformal, ModelCalibration.HELD_OUT,
                "file:/data", null, "2026-12-08T00:00:00Z"));
        Path dir = tmp.resolve("calibrated");
        ModelDirectory.save(calibrated, dir.toString(), false);
        assertEquals(calibrated.calibration(), ModelDirectory.load(dir.toString()).calibration());
        assertEquals(calibrated.calibration(), ModelDirectory.fromBytes(ModelDirectory.toBytes(calibrated))
                .calibration(), "a broadcast model keeps it too");
        assertNull(ModelDirectory.load(tmp.resolve("calibrated").toString()).copy().withCalibration(null)
                .calibration());
        Configuration conf = new Configuration();
        String before = ModelDirectory.fingerprint(dir.toString(), conf);
        Path file = dir.resolve(ModelDirectory.CALIBRATION_FILE);
        Files.writeString(file, Files.readString(file).replace("\"rows\" : 3", "\"rows\" : 4"));
        assertTrue(!before.equals(ModelDirectory.fingerprint(dir.toString(), conf)), "the fingerprint covers it");
        Files.writeString(file, "{ \"formatVersion\" : 1, \"calibration\" : [");
        assertMessage(dir, "Damaged model file " + file + ": ");
    }

    /** A saved copy of the model whose {@code file} is replaced by {@code change} of its bytes. */
    private Path copyWith(String name, String file, java.util.function.UnaryOperator<byte[]> change)
            throws IOException {
        Path dir = tmp.resolve(name);
        ModelDirectory.save(model, dir.toString(), false);
        Path f = dir.resolve(file);
        Files.write(f, change.apply(Files.readAllBytes(f)));
        return dir;
    }

    @Test
    void aVersionOneDirectoryStillLoadsWithColumnsXAndYAndTheSamePredictions() throws IOException {
        Path v1 = tmp.resolve("v1");
        Files.createDirectories(v1);
        for (String file : List.of(ModelDirectory.METADATA_FILE, ModelDirectory.NETWORK_FILE)) {
            try (InputStream in = ModelDirectoryTest.class.getResourceAsStream("/models/v1-seed/" + file)) {
                Files.copy(in, v1.resolve(file));
            }
        }
        MdnModel loaded = ModelDirectory.load(v1.toString());
        assertNull(loaded.run(), "version 1 records no run");
        assertEquals(InputDescription.defaultColumns(1, 1), loaded.columns());
        assertEquals(List.of("x"), loaded.columns().featureNames());
        assertEquals(List.of("y"), loaded.columns().labelNames());
        assertEquals(3, loaded.options().mixtures());
        assertEquals(2, loaded.training().epochs());
        // log p(y | x) as the build that wrote the directory computed it (before format version 2)
        assertArrayEquals(new double[] {-1.440697599330931, 0.5892302805698706, -0.7739253469280892},
                loaded.logDensities(new double[] {-0.5, 0.0, 0.5}, new double[] {0.2, 0.5, 0.8}), 1e-12);

        Path resaved = tmp.resolve("resaved");
        ModelDirectory.save(loaded, resaved.toString(), false);
        assertEquals(ModelDirectory.FORMAT_VERSION,
                ModelDirectory.readMetadata(resaved.toString(), new Configuration()).formatVersion());
        assertEquals(loaded.columns(), ModelDirectory.load(resaved.toString()).columns());
    }

    @Test
    void theRunDescriptionIsSavedWithTheModelAndReadBack() {
        RunDescription every = RunDescriptionTest.everyField();
        RunDescription run = every.withNetwork(model.options()).withInput(new InputDescription(
                every.input().source(), List.of(ColumnSpec.ofDim("time", 1)), List.of(ColumnSpec.ofDim("delay", 1)),
                InvalidRows.SKIP));
        MdnModel described = model.withRun(run);
        String dir = tmp.resolve("described").toString();
        ModelDirectory.save(described, dir, false);
        MdnModel loaded = ModelDirectory.load(dir);
        assertEquals(run, loaded.run());
        assertEquals(run.input(), loaded.columns());
    }

    private static void assertMessage(Path path, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelDirectory.load(path.toString()));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
