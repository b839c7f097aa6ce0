package io.sparkmdn.model;

import io.sparkmdn.io.AtomicOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The per-epoch checkpoint of a training run, kept in {@code MODEL/checkpoint/}: a model directory of the model
 * after the last completed epoch (weights, updater state, normalisation, history so far, and the
 * {@link RunDescription} a resumed run must share), and in {@code checkpoint/best/} the best epoch's model so
 * far, which early stopping keeps. Each save replaces the previous checkpoint atomically, so an
 * interrupted run always leaves the last complete epoch behind.
 */
public final class Checkpoints {

    /** The checkpoint's folder inside the model directory. */
    public static final String DIRECTORY = "checkpoint";

    private Checkpoints() {
    }

    /** The folder inside the checkpoint that holds the best model so far. */
    public static final String BEST = "best";

    /**
     * Replaces the checkpoint of the model at {@code modelPath} with {@code model} (which carries its run) and,
     * in {@code checkpoint/best/}, the best model so far (null: none), in one atomic step.
     */
    public static void save(MdnModel model, MdnModel best, String modelPath, Configuration conf) {
        String path = new Path(modelPath, DIRECTORY).toString();
        try {
            new Path(modelPath).getFileSystem(conf).mkdirs(new Path(modelPath));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create model directory " + modelPath + ": " + e.getMessage(), e);
        }
        AtomicOutput.write(path, true, conf, tmp -> {
            ModelDirectory.writeFiles(model, new Path(tmp), conf);
            if (best != null) {
                ModelDirectory.writeFiles(best, new Path(tmp, BEST), conf);
            }
        });
    }

    /**
     * The checkpoint of the model at {@code modelPath}, or empty if it has none.
     *
     * @throws IllegalArgumentException for a checkpoint written by a build whose checkpoints record no run
     *                                  (model format version 1), which cannot be resumed
     */
    public static Optional<MdnModel> load(String modelPath, Configuration conf) {
        Path dir = new Path(modelPath, DIRECTORY);
        if (!exists(dir, conf)) {
            return Optional.empty();
        }
        MdnModel model = ModelDirectory.load(dir.toString(), conf);
        if (model.run() == null || model.run().training() == null) {
            throw new IllegalArgumentException("The checkpoint in " + dir + " has model format version 1, which "
                    + "records no run to resume; train again without --resume");
        }
        return Optional.of(model);
    }

    /** The best model saved with the checkpoint of the model at {@code modelPath}, or empty if it has none. */
    public static Optional<MdnModel> loadBest(String modelPath, Configuration conf) {
        Path dir = new Path(new Path(modelPath, DIRECTORY), BEST);
        return exists(dir, conf) ? Optional.of(ModelDirectory.load(dir.toString(), conf)) : Optional.empty();
    }

    private static boolean exists(Path dir, Configuration conf) {
        try {
            return dir.getFileSystem(conf).exists(dir);
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
