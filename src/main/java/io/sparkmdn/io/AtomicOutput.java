package io.sparkmdn.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mechanism every job's output goes through, so that an output appears complete or not at all and
 * never touches an input.
 *
 * <p>The writer fills a hidden sibling directory, which is renamed into place when the writer returns. An
 * existing output is refused unless overwriting; when overwriting, the old output is first moved aside, the new
 * one renamed into place, and only then is the old one deleted: if anything fails in between, the old output is
 * put back. An output that equals, contains or lies inside one of the job's inputs is refused before any work,
 * with paths compared after Hadoop qualifies them and symbolic links are resolved.
 */
public final class AtomicOutput {

    private static final Logger LOG = LoggerFactory.getLogger(AtomicOutput.class);

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
                throw new IllegalArgumentException(WriteMode.refusal("Output path", path));
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
     * Checks a job's output before any work, as {@code mode} says: false when {@code path} exists and is to be left
     * alone (the job should then skip its work); fails when it exists and {@code mode} is {@link WriteMode#ERROR},
     * when its parent is a file, or when it equals, contains or lies inside one of {@code inputs}.
     */
    public static boolean prepare(String path, WriteMode mode, Configuration conf, Map<String, String> inputs) {
        checkApart(path, conf, inputs);
        if (!mode.proceed(exists(path, conf), "Output path", path)) {
            LOG.info("{} exists: left as it is and the job skipped (--mode ignore)", path);
            return false;
        }
        checkWritable(path, true, conf);
        return true;
    }

    /** Whether {@code path} exists. */
    public static boolean exists(String path, Configuration conf) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(conf).exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot check output path " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * A job's inputs for {@link #prepare} and {@link #checkApart} (what each is, such as "data" or "model", to its
     * path; a path may be a glob): role, path, role, path…; null paths are left out.
     */
    public static Map<String, String> inputs(String... roleThenPath) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < roleThenPath.length; i += 2) {
            if (roleThenPath[i + 1] != null) {
                m.put(roleThenPath[i], roleThenPath[i + 1]);
            }
        }
        return m;
    }

    /** Fails if the output {@code path} equals, contains or lies inside one of {@code inputs}. */
    public static void checkApart(String path, Configuration conf, Map<String, String> inputs) {
        try {
            URI out = resolved(new Path(path), conf);
            for (Map.Entry<String, String> input : inputs.entrySet()) {
                if (input.getValue() == null) {
                    continue;
                }
                for (URI in : resolvedMatches(input.getValue(), conf)) {
                    String relation = relation(out, in);
                    if (relation != null) {
                        throw new IllegalArgumentException(String.format("Output %s %s the %s %s (resolved: %s and "
                                + "%s); write the output elsewhere", path, relation, input.getKey(), input.getValue(),
                                out, in));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot check output path " + path + ": " + e.getMessage(), e);
        }
    }

    /** "is the same as", "lies inside" or "contains", or null when the two paths are apart. */
    private static String relation(URI out, URI in) {
        String o = out.toString();
        String i = in.toString();
        if (o.equals(i)) {
            return "is the same as";
        }
        if (o.startsWith(i.endsWith("/") ? i : i + "/")) {
            return "lies inside";
        }
        if (i.startsWith(o.endsWith("/") ? o : o + "/")) {
            return "contains";
        }
        return null;
    }

    /** The paths a glob matches, resolved; the path itself, resolved, when it matches nothing (yet). */
    private static List<URI> resolvedMatches(String path, Configuration conf) throws IOException {
        Path p = new Path(path);
        FileStatus[] matches = p.getFileSystem(conf).globStatus(p);
        List<URI> out = new ArrayList<>();
        if (matches == null || matches.length == 0) {
            out.add(resolved(p, conf));
        } else {
            for (FileStatus m : matches) {
                out.add(resolved(m.getPath(), conf));
            }
        }
        return out;
    }

    /**
     * {@code path} fully qualified, with symbolic links resolved: on the local disk through the real path of its
     * deepest existing ancestor, elsewhere through the file system's own resolution of an existing path.
     */
    static URI resolved(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        Path qualified = fs.makeQualified(path);
        URI uri = qualified.toUri();
        if ("file".equals(uri.getScheme())) {
            java.nio.file.Path local = java.nio.file.Path.of(uri.getPath()).normalize();
            java.nio.file.Path existing = local;
            while (existing != null && !java.nio.file.Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing != null) {
                local = existing.toRealPath().resolve(existing.relativize(local));
            }
            return new Path(local.toUri()).toUri().normalize();
        }
        return (fs.exists(qualified) ? fs.resolvePath(qualified) : qualified).toUri().normalize();
    }

    /**
     * Calls {@code writer} with a temporary directory path beside {@code path}, then moves it to {@code path}:
     * an existing output (allowed only with {@code overwrite}) is moved aside first and deleted last, and put
     * back if the new one cannot be moved into place. The temporary directory is removed if the writer fails.
     */
    public static void write(String path, boolean overwrite, Configuration conf, Consumer<String> writer) {
        checkWritable(path, overwrite, conf);
        Path out = new Path(path);
        String id = UUID.randomUUID().toString();
        Path tmp = new Path(out.getParent(), "." + out.getName() + ".tmp-" + id);
        Path old = new Path(out.getParent(), "." + out.getName() + ".old-" + id);
        FileSystem fs;
        try {
            fs = out.getFileSystem(conf);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open file system of " + path + ": " + e.getMessage(), e);
        }
        boolean done = false;
        try {
            writer.accept(tmp.toString());
            replace(fs, tmp, out, old);
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

    /** Moves {@code tmp} to {@code out}; an existing {@code out} goes to {@code old} first and back on failure. */
    private static void replace(FileSystem fs, Path tmp, Path out, Path old) throws IOException {
        boolean movedAside = false;
        if (fs.exists(out)) {
            if (!fs.rename(out, old)) {
                throw new IOException("could not move the previous output aside to " + old);
            }
            movedAside = true;
        }
        boolean renamed;
        try {
            renamed = fs.rename(tmp, out);
        } catch (IOException | RuntimeException e) {
            restore(fs, old, out, movedAside);
            throw e;
        }
        if (!renamed) {
            restore(fs, old, out, movedAside);
            throw new IOException("could not rename " + tmp + " into place"
                    + (movedAside ? "; the previous output is back in place" : ""));
        }
        if (movedAside && !fs.delete(old, true)) {
            LOG.warn("The new output is in place at {}, but the previous one could not be deleted from {}", out, old);
        }
    }

    private static void restore(FileSystem fs, Path old, Path out, boolean movedAside) throws IOException {
        if (movedAside && !fs.exists(out) && !fs.rename(old, out)) {
            throw new IOException("could not put the previous output back from " + old + " to " + out);
        }
    }
}
