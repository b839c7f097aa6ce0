package io.sparkmdn.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a job's output directory so that it appears complete or not at all: the writer fills a hidden
 * sibling directory, which is renamed into place when the writer returns. An existing output is refused
 * unless overwriting, and then replaced only after the new output is complete.
 */
public final class AtomicOutput {

    private AtomicOutput() {
    }

    /**
     * Fails with a message naming {@code path} if it exists and {@code overwrite} is false, or if its parent is
     * a file.
     */
    public static void checkWritable(String path, boolean overwrite, Configuration conf) {
        try {
            Path out = new Path(path);
            FileSystem fs = out.getFileSystem(conf);
            if (fs.exists(out) && !overwrite) {
                throw new IllegalArgumentException("Output path already exists: " + path + " (use --overwrite)");
            }
            for (Path p = out.getParent(); p != null; p = p.getParent()) {
                if (fs.exists(p)) {
                    if (!fs.getFileStatus(p).isDirectory()) {
                        throw new IllegalArgumentException(
                                "Cannot write " + path + ": " + p + " is a file, not a directory");
                    }
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot check output path " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Calls {@code writer} with a temporary directory path beside {@code path}, then moves it to {@code path}.
     * The temporary directory is removed if the writer fails.
     */
    public static void write(String path, boolean overwrite, Configuration conf, Consumer<String> writer) {
        checkWritable(path, overwrite, conf);
        Path out = new Path(path);
        Path tmp = new Path(out.getParent(), "." + out.getName() + ".tmp-" + UUID.randomUUID());
        FileSystem fs;
        try {
            fs = out.getFileSystem(conf);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open file system of " + path + ": " + e.getMessage(), e);
        }
        boolean done = false;
        try {
            writer.accept(tmp.toString());
            if (fs.exists(out) && !fs.delete(out, true)) {
                throw new IOException("could not delete the previous output");
            }
            if (!fs.rename(tmp, out)) {
                throw new IOException("could not rename " + tmp + " into place");
            }
            done = true;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write " + path + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                try {
                    fs.delete(tmp, true);
                } catch (IOException ignored) {
                    // best effort: the directory is hidden and named as temporary
                }
            }
        }
    }
}
