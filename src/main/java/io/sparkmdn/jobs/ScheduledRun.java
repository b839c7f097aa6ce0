package io.sparkmdn.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkmdn.spark.DataFormat;
import io.sparkmdn.util.Checks;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.unsafe.Platform;

/**
 * One run of a scheduled job writing {@code OUT/run_id=ID/}: a Hive-style partition, so reading {@code OUT}
 * gives every complete run with a {@code run_id} column. The run appears in one rename when complete, with a
 * {@value #MANIFEST} written last inside it; an interrupted run leaves only a hidden temporary directory, which
 * readers skip.
 */
final class ScheduledRun {

    /** The manifest file of a complete run. */
    static final String MANIFEST = "_manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Mixed into {@link #seedOf}, so a run's seed is not simply the hash Spark would give its id. */
    private static final long RUN_SEED_SALT = 0x5eed_2026_1201L;

    private final String path;

    ScheduledRun(String out, String runId) {
        checkId(runId);
        this.path = new Path(out, "run_id=" + runId).toString();
    }

    /** Fails naming {@code runId} unless it is letters, digits, '.', '_' and '-', not starting with '.'. */
    static void checkId(String runId) {
        Checks.checkArgument(runId.matches("[A-Za-z0-9._-]+") && !runId.startsWith("."),
                "Invalid --run-id '%s' (letters, digits, '.', '_' and '-'; not starting with '.')", runId);
    }

    /** The run's directory. */
    String path() {
        return path;
    }

    /**
     * The seed of a run that names none: a 64-bit hash of its id, so each scheduled run draws anew and a rerun
     * of the same id draws the same.
     */
    static long seedOf(String runId) {
        byte[] bytes = runId.getBytes(StandardCharsets.UTF_8);
        return XXH64.hashUnsafeBytes(bytes, Platform.BYTE_ARRAY_OFFSET, bytes.length, RUN_SEED_SALT);
    }

    /**
     * Writes the manifest into the output's temporary directory: what was run, how many rows it wrote (read back
     * in the {@code format} written) and when it completed.
     */
    static void writeManifest(SparkSession spark, String dir, DataFormat format, Map<String, Object> facts) {
        Map<String, Object> manifest = new java.util.LinkedHashMap<>(facts);
        manifest.put("rows", format.read(spark, dir).count());
        manifest.put("completed_at", Instant.now().toString());
        writeManifestFile(spark.sparkContext().hadoopConfiguration(), new Path(dir, MANIFEST), manifest);
    }

    /** Writes {@code manifest} as indented JSON to {@code file}, replacing it. */
    static void writeManifestFile(Configuration conf, Path file, Map<String, Object> manifest) {
        try (OutputStream out = file.getFileSystem(conf).create(file, true)) {
            JSON.writeValue(out, manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write " + file + ": " + e.getMessage(), e);
        }
    }
}
