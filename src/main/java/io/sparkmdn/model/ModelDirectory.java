package io.sparkmdn.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkmdn.input.InputDescription;
import io.sparkmdn.input.InputFingerprint;
import io.sparkmdn.io.AtomicOutput;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.train.SparkTrainOptions;
import io.sparkmdn.util.Checks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves and loads an {@link MdnModel} as one self-describing directory, on any Hadoop file system (local,
 * HDFS, S3A…):
 * <pre>
 *   model/
 *     metadata.json   format name and version, network options, the run (input columns, training settings,
 *                     data fingerprint), normalisation, training summary
 *     network.zip     DL4J weights, configuration (with the MDN loss) and updater state
 *     calibration.json  the conformal calibration of a calibrated model ({@link ModelCalibration}); absent
 *                     otherwise
 *     checkpoint/     the last epoch's checkpoint of the run that wrote it ({@link Checkpoints})
 * </pre>
 * A save goes through {@link AtomicOutput}, so a reader never sees half a model; {@code metadata.json} is written last. A load checks the format name and version before
 * reading anything else, and names the path in every error.
 */
public final class ModelDirectory {

    /** The {@code format} value every model's metadata carries. */
    public static final String FORMAT = "spark-mdn-model";
    /**
     * The metadata layout this build writes. Version 2 added {@code run}: the input columns, training settings
     * and data fingerprint. Version 1 directories still load; their columns are {@code x} and {@code y}.
     */
    public static final int FORMAT_VERSION = 2;
    /** The oldest metadata layout this build reads. */
    public static final int OLDEST_FORMAT_VERSION = 1;
    public static final String METADATA_FILE = "metadata.json";
    public static final String NETWORK_FILE = "network.zip";
    public static final String CALIBRATION_FILE = "calibration.json";
    /** The layout of {@value #CALIBRATION_FILE} this build writes and reads. */
    public static final int CALIBRATION_FORMAT_VERSION = 1;

    /** What {@value #CALIBRATION_FILE} holds: its layout's version and the calibration. */
    record StoredCalibration(int formatVersion, ModelCalibration calibration) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static final Logger LOG = LoggerFactory.getLogger(ModelDirectory.class);

    /**
     * What {@code metadata.json} holds.
     *
     * @param run the run that trained the model, without its network (that is {@code options}); null in version 1
     *            and for models trained outside a run
     */
    public record Metadata(String format, int formatVersion, String modelClass, String createdAt,
                           MdnOptions options, StoredRun run, Normalization normalization, TrainingSummary training) {

        /** The run description, or null when the model records none. */
        public RunDescription runDescription() {
            return run == null ? null : new RunDescription(run.input(), options, run.training(), run.data());
        }
    }

    /** A {@link RunDescription} as {@code metadata.json} stores it: all but the network, stored once as options. */
    public record StoredRun(InputDescription input, SparkTrainOptions training, InputFingerprint data) {
    }

    private ModelDirectory() {
    }

    /** Saves with the default Hadoop configuration. */
    public static void save(MdnModel model, String path, boolean overwrite) {
        save(model, path, overwrite, new Configuration());
    }

    /**
     * Writes the model to {@code path}; an existing path is refused unless {@code overwrite}, in which case it
     * is replaced only once the new model is complete.
     */
    public static void save(MdnModel model, String path, boolean overwrite, Configuration conf) {
        AtomicOutput.write(path, overwrite, conf, tmp -> {
            writeFiles(model, new Path(tmp), conf);
            carryCheckpoint(new Path(path), new Path(tmp), conf);
        });
    }

    /** Moves the training checkpoint of the model being replaced into its replacement. */
    private static void carryCheckpoint(Path from, Path to, Configuration conf) {
        Path checkpoint = new Path(from, Checkpoints.DIRECTORY);
        try {
            FileSystem fs = checkpoint.getFileSystem(conf);
            if (fs.exists(checkpoint) && !fs.rename(checkpoint, new Path(to, Checkpoints.DIRECTORY))) {
                throw new IOException("could not move " + checkpoint + " into " + to);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to keep the checkpoint of " + from + ": " + e.getMessage(), e);
        }
    }

    static void writeFiles(MdnModel model, Path dir, Configuration conf) {
        try {
            FileSystem fs = fileSystem(dir, conf);
            fs.mkdirs(dir);
            try (OutputStream out = fs.create(new Path(dir, NETWORK_FILE))) {
                ModelSerializer.writeModel(model.network(), out, true);
            }
            if (model.calibration() != null) {
                try (OutputStream out = fs.create(new Path(dir, CALIBRATION_FILE))) {
                    JSON.writeValue(out, new StoredCalibration(CALIBRATION_FORMAT_VERSION, model.calibration()));
                }
            }
            try (OutputStream out = fs.create(new Path(dir, METADATA_FILE))) {
                JSON.writeValue(out, metadata(model));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write model files to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The model as one byte array (its metadata and its network without updater state), for broadcasting to
     * executors; {@link #fromBytes(byte[])} reads it back.
     */
    public static byte[] toBytes(MdnModel model) {
        try {
            ByteArrayOutputStream network = new ByteArrayOutputStream();
            ModelSerializer.writeModel(model.network(), network, false);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                zip.putNextEntry(new ZipEntry(METADATA_FILE));
                zip.write(JSON.writeValueAsBytes(metadata(model)));
                zip.putNextEntry(new ZipEntry(NETWORK_FILE));
                zip.write(network.toByteArray());
                if (model.calibration() != null) {
                    zip.putNextEntry(new ZipEntry(CALIBRATION_FILE));
                    zip.write(JSON.writeValueAsBytes(
                            new StoredCalibration(CALIBRATION_FORMAT_VERSION, model.calibration())));
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to serialise model: " + e.getMessage(), e);
        }
    }

    /** The model from {@link #toBytes(MdnModel)}'s output. */
    public static MdnModel fromBytes(byte[] bytes) {
        byte[] meta = null;
        byte[] network = null;
        byte[] calibration = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals(METADATA_FILE)) {
                    meta = zip.readAllBytes();
                } else if (e.getName().equals(NETWORK_FILE)) {
                    network = zip.readAllBytes();
                } else if (e.getName().equals(CALIBRATION_FILE)) {
                    calibration = zip.readAllBytes();
                }
            }
            Checks.checkArgument(meta != null && network != null, "Serialised model lacks %s or %s",
                    METADATA_FILE, NETWORK_FILE);
            Metadata m = parseMetadata(JSON.readTree(meta), "serialised model", "serialised model");
            return new MdnModel(m.options(), m.normalization(),
                    ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(network), false), m.training(),
                    m.runDescription(), calibration == null ? null
                            : parseCalibration(JSON.readTree(calibration), "serialised model"));
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to deserialise model: " + e.getMessage(), e);
        }
    }

    private static Metadata metadata(MdnModel model) {
        RunDescription run = model.run();
        return new Metadata(FORMAT, FORMAT_VERSION, MdnModel.class.getName(), Instant.now().toString(),
                model.options(), run == null ? null : new StoredRun(run.input(), run.training(), run.data()),
                model.normalization(), model.training());
    }

    /**
     * A SHA-256 of the model's {@value #METADATA_FILE}, {@value #NETWORK_FILE} and, for a calibrated model,
     * {@value #CALIBRATION_FILE}, as hex: what identifies the model a scheduled run used (the checkpoint is left
     * out: it does not change what the model computes).
     */
    public static String fingerprint(String path, Configuration conf) {
        Path dir = new Path(path);
        try {
            FileSystem fs = fileSystem(dir, conf);
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (String file : new String[] {METADATA_FILE, NETWORK_FILE, CALIBRATION_FILE}) {
                if (file.equals(CALIBRATION_FILE) && !fs.exists(new Path(dir, file))) {
                    continue;
                }
                try (InputStream in = fs.open(new Path(dir, file))) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        sha.update(buffer, 0, n);
                    }
                }
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read model " + path + ": " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The metadata of the model at {@code path}, without loading its network (for inspection). */
    public static Metadata readMetadata(String path, Configuration conf) {
        Path dir = new Path(path);
        try {
            FileSystem fs = fileSystem(dir, conf);
            return readMetadata(fs, checkedMetadataPath(fs, dir, path), path);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read model metadata from " + path + ": " + e.getMessage(), e);
        }
    }

    private static Path checkedMetadataPath(FileSystem fs, Path dir, String path) throws IOException {
        if (!fs.exists(dir)) {
            throw new IllegalArgumentException("Model directory does not exist: " + path);
        }
        if (!fs.getFileStatus(dir).isDirectory()) {
            throw new IllegalArgumentException("Not an MDN model directory: " + path + " is a file");
        }
        Path metaPath = new Path(dir, METADATA_FILE);
        if (!fs.exists(metaPath)) {
            throw new IllegalArgumentException("Not an MDN model directory: " + path + " (no " + METADATA_FILE + ")");
        }
        return metaPath;
    }

    /** Loads with the default Hadoop configuration. */
    public static MdnModel load(String path) {
        return load(path, new Configuration());
    }

    /** Reads the model at {@code path}, checking that it is a model directory of a supported version. */
    public static MdnModel load(String path, Configuration conf) {
        Path dir = new Path(path);
        try {
            FileSystem fs = fileSystem(dir, conf);
            Metadata meta = readMetadata(fs, checkedMetadataPath(fs, dir, path), path);
            if (meta.formatVersion() == 1) {
                LOG.warn("Model {} has format version 1, which records no input columns: its features are read "
                        + "from column 'x' and its labels from 'y' unless --features/--labels say otherwise", path);
            }
            Path netPath = new Path(dir, NETWORK_FILE);
            if (!fs.exists(netPath)) {
                throw new IllegalArgumentException(
                        "Incomplete model directory: " + path + " (no " + NETWORK_FILE + ")");
            }
            MultiLayerNetwork network;
            try (InputStream in = fs.open(netPath)) {
                network = ModelSerializer.restoreMultiLayerNetwork(in, true);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("Damaged model file " + netPath + ": " + reason(e)
                        + " (copy the model directory again, or train it anew)", e);
            }
            return new MdnModel(meta.options(), meta.normalization(), network, meta.training(), meta.runDescription(),
                    readCalibration(fs, new Path(dir, CALIBRATION_FILE)));
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read model from " + path + ": " + e.getMessage(), e);
        }
    }

    private static Metadata readMetadata(FileSystem fs, Path metaPath, String path) throws IOException {
        JsonNode tree;
        try (InputStream in = fs.open(metaPath)) {
            tree = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Corrupt model metadata " + metaPath + ": " + e.getOriginalMessage());
        }
        return parseMetadata(tree, path, metaPath.toString());
    }

    /** The calibration of the model at {@code path}, without loading its network (for inspection). */
    public static java.util.Optional<ModelCalibration> readCalibration(String path, Configuration conf) {
        Path dir = new Path(path);
        try {
            return java.util.Optional.ofNullable(readCalibration(fileSystem(dir, conf), new Path(dir, CALIBRATION_FILE)));
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the calibration of " + path + ": " + e.getMessage(), e);
        }
    }

    /** The calibration in {@code file}, or null when the model has none. */
    private static ModelCalibration readCalibration(FileSystem fs, Path file) throws IOException {
        if (!fs.exists(file)) {
            return null;
        }
        try (InputStream in = fs.open(file)) {
            return parseCalibration(JSON.readTree(in), file.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Damaged model file " + file + ": " + reason(e)
                    + " (copy the model directory again, or calibrate it anew)", e);
        }
    }

    private static ModelCalibration parseCalibration(JsonNode tree, String file) {
        int version = tree == null ? -1 : tree.path("formatVersion").asInt(-1);
        if (version != CALIBRATION_FORMAT_VERSION) {
            throw new IllegalArgumentException("Unsupported calibration format version " + version + " in " + file
                    + " (this build reads version " + CALIBRATION_FORMAT_VERSION + ")");
        }
        try {
            return JSON.treeToValue(tree, StoredCalibration.class).calibration();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Damaged model file " + file + ": " + reason(e)
                    + " (copy the model directory again, or calibrate it anew)", e);
        }
    }

    /** What went wrong, in one line: the exception's own message (Jackson's original one), else its class. */
    private static String reason(Throwable e) {
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message.lines().findFirst().orElse(message);
    }

    /**
     * Checks format name and version before binding the rest; errors name the model as {@code path} and, where
     * its fields do not bind (a wrong type, a missing value), the metadata as {@code file}.
     */
    private static Metadata parseMetadata(JsonNode tree, String path, String file) {
        String format = tree == null ? null : tree.path("format").asText(null);
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("Not an MDN model directory: " + path + " (metadata format is '"
                    + format + "', expected '" + FORMAT + "')");
        }
        int version = tree.path("formatVersion").asInt(-1);
        if (version < OLDEST_FORMAT_VERSION || version > FORMAT_VERSION) {
            throw new IllegalArgumentException("Unsupported model format version " + version + " in " + path
                    + " (this build reads versions " + OLDEST_FORMAT_VERSION + " to " + FORMAT_VERSION + ")");
        }
        try {
            return JSON.treeToValue(tree, Metadata.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Corrupt model metadata " + file + ": " + reason(e), e);
        }
    }

    /** The file system of a path; on the local disk the raw one, so no .crc side files appear in the model. */
    static FileSystem fileSystem(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    }
}
