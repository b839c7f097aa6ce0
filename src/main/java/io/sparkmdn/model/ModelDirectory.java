package io.sparkmdn.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkmdn.io.AtomicOutput;
import io.sparkmdn.nn.MdnOptions;
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

/**
 * Saves and loads an {@link MdnModel} as one self-describing directory, on any Hadoop file system (local,
 * HDFS, S3A…):
 * <pre>
 *   model/
 *     metadata.json   format name and version, options, normalisation, training summary
 *     network.zip     DL4J weights, configuration (with the MDN loss) and updater state
 *     checkpoint/     the last epoch's checkpoint of the run that wrote it ({@link Checkpoints})
 * </pre>
 * A save goes through {@link AtomicOutput}, so a reader never sees half a model; {@code metadata.json} is written last. A load checks the format name and version before
 * reading anything else, and names the path in every error.
 */
public final class ModelDirectory {

    /** The {@code format} value every model's metadata carries. */
    public static final String FORMAT = "spark-mdn-model";
    /** The metadata layout this build writes and reads. */
    public static final int FORMAT_VERSION = 1;
    public static final String METADATA_FILE = "metadata.json";
    public static final String NETWORK_FILE = "network.zip";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What {@code metadata.json} holds. */
    public record Metadata(String format, int formatVersion, String modelClass, String createdAt,
                           MdnOptions options, Normalization normalization, TrainingSummary training) {
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
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals(METADATA_FILE)) {
                    meta = zip.readAllBytes();
                } else if (e.getName().equals(NETWORK_FILE)) {
                    network = zip.readAllBytes();
                }
            }
            Checks.checkArgument(meta != null && network != null, "Serialised model lacks %s or %s",
                    METADATA_FILE, NETWORK_FILE);
            Metadata m = parseMetadata(JSON.readTree(meta), "serialised model");
            return new MdnModel(m.options(), m.normalization(),
                    ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(network), false), m.training());
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to deserialise model: " + e.getMessage(), e);
        }
    }

    private static Metadata metadata(MdnModel model) {
        return new Metadata(FORMAT, FORMAT_VERSION, MdnModel.class.getName(), Instant.now().toString(),
                model.options(), model.normalization(), model.training());
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
            if (!fs.exists(dir)) {
                throw new IllegalArgumentException("Model directory does not exist: " + path);
            }
            if (!fs.getFileStatus(dir).isDirectory()) {
                throw new IllegalArgumentException("Not an MDN model directory: " + path + " is a file");
            }
            Path metaPath = new Path(dir, METADATA_FILE);
            if (!fs.exists(metaPath)) {
                throw new IllegalArgumentException(
                        "Not an MDN model directory: " + path + " (no " + METADATA_FILE + ")");
            }
            Metadata meta = readMetadata(fs, metaPath, path);
            Path netPath = new Path(dir, NETWORK_FILE);
            if (!fs.exists(netPath)) {
                throw new IllegalArgumentException(
                        "Incomplete model directory: " + path + " (no " + NETWORK_FILE + ")");
            }
            MultiLayerNetwork network;
            try (InputStream in = fs.open(netPath)) {
                network = ModelSerializer.restoreMultiLayerNetwork(in, true);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Corrupt network in model directory " + path + ": " + e, e);
            }
            return new MdnModel(meta.options(), meta.normalization(), network, meta.training());
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
        return parseMetadata(tree, path);
    }

    /** Checks format name and version before binding the rest; {@code path} names the source in errors. */
    private static Metadata parseMetadata(JsonNode tree, String path) {
        String format = tree == null ? null : tree.path("format").asText(null);
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("Not an MDN model directory: " + path + " (metadata format is '"
                    + format + "', expected '" + FORMAT + "')");
        }
        int version = tree.path("formatVersion").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("Unsupported model format version " + version + " in " + path
                    + " (this build reads version " + FORMAT_VERSION + ")");
        }
        try {
            return JSON.treeToValue(tree, Metadata.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid model metadata in " + path + ": " + e.getMessage(), e);
        }
    }

    /** The file system of a path; on the local disk the raw one, so no .crc side files appear in the model. */
    static FileSystem fileSystem(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    }
}
