package io.sparkmdn.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmdn.io.AtomicOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The per-epoch checkpoint of a training run, kept in {@code MODEL/checkpoint/}: a model directory of the model
 * after the last completed epoch (weights, updater state, normalisation, history so far) plus
 * {@code settings.json}, the settings a resumed run must share. Each save replaces the previous checkpoint
 * atomically, so an interrupted run always leaves the last complete epoch behind.
 */
public final class Checkpoints {

    /** The checkpoint's folder inside the model directory. */
    public static final String DIRECTORY = "checkpoint";
    static final String SETTINGS_FILE = "settings.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A checkpoint read back: the model after {@code model.training().epochs()} epochs, and its settings. */
    public record Checkpoint(MdnModel model, Map<String, String> settings) {
    }

    private Checkpoints() {
    }

    /** Replaces the checkpoint of the model at {@code modelPath} with {@code model} and {@code settings}. */
    public static void save(MdnModel model, Map<String, String> settings, String modelPath, Configuration conf) {
        String path = new Path(modelPath, DIRECTORY).toString();
        try {
            new Path(modelPath).getFileSystem(conf).mkdirs(new Path(modelPath));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create model directory " + modelPath + ": " + e.getMessage(), e);
        }
        AtomicOutput.write(path, true, conf, tmp -> {
            ModelDirectory.writeFiles(model, new Path(tmp), conf);
            Path file = new Path(tmp, SETTINGS_FILE);
            try (OutputStream out = ModelDirectory.fileSystem(file, conf).create(file)) {
                JSON.writeValue(out, settings);
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to write " + file + ": " + e.getMessage(), e);
            }
        });
    }

    /** The checkpoint of the model at {@code modelPath}, or empty if it has none. */
    public static Optional<Checkpoint> load(String modelPath, Configuration conf) {
        Path dir = new Path(modelPath, DIRECTORY);
        try {
            FileSystem fs = dir.getFileSystem(conf);
            if (!fs.exists(dir)) {
                return Optional.empty();
            }
            MdnModel model = ModelDirectory.load(dir.toString(), conf);
            Path file = new Path(dir, SETTINGS_FILE);
            if (!fs.exists(file)) {
                throw new IllegalArgumentException("Incomplete checkpoint: " + dir + " (no " + SETTINGS_FILE + ")");
            }
            try (InputStream in = fs.open(file)) {
                return Optional.of(new Checkpoint(model, JSON.readValue(in, new TypeReference<Map<String, String>>() {
                })));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Removes the checkpoint of the model at {@code modelPath}, if any (a fresh run must not resume it). */
    public static void delete(String modelPath, Configuration conf) {
        Path dir = new Path(modelPath, DIRECTORY);
        try {
            dir.getFileSystem(conf).delete(dir, true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete old checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }
}
