package io.sparkmdn.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmdn.io.AtomicOutput;
import io.sparkmdn.io.WriteMode;
import io.sparkmdn.spark.DataFormat;
import io.sparkmdn.spark.DeltaOutput;
import io.sparkmdn.spark.TableWriter;
import io.sparkmdn.util.Checks;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where an inference job writes its table, and what a scheduled run does when its run exists.
 *
 * <p>A Parquet or CSV output is a directory; a scheduled run ({@code --run-id ID}) writes {@code OUT/run_id=ID/}
 * with {@value ScheduledRun#MANIFEST} inside, renamed into place when complete. A Delta Lake output
 * ({@code --out-format delta}, a path or {@code --out-table NAME}) is one table; each run is one commit that
 * replaces only its own {@code run_id} partition, with the manifest as the commit's user metadata and, for a
 * path, in {@code OUT/_manifests/run_id=ID.json}.
 */
public final class OutputOptions {

    private static final Logger LOG = LoggerFactory.getLogger(OutputOptions.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The folder of a Delta output that keeps each run's manifest (Delta ignores names starting with '_'). */
    static final String MANIFESTS = "_manifests";

    @Option(names = "--out", paramLabel = "PATH", description = "Output table (a directory, or a Delta table).")
    String out;
    @Option(names = "--out-table", paramLabel = "NAME",
            description = "Write a Delta table of Spark's catalog (e.g. analytics.samples) instead of --out.")
    String outTable;
    @Option(names = "--out-format", paramLabel = "parquet|csv|delta",
            description = "Output format; default: csv for an --out ending in .csv, delta with --out-table, else parquet.")
    String outFormat;
    @Mixin WriteModeOption mode;
    @Option(names = "--run-id", paramLabel = "ID", description = "Scheduled runs: write run ID atomically, with its "
            + "manifest (OUT/run_id=ID/, or one commit to a Delta table); ID of letters, digits, '.', '_', '-'.")
    String runId;

    /** The option before {@code --mode} for a run: still accepted, with fail, replace and skip for its words. */
    @Option(names = "--if-exists", hidden = true, paramLabel = "fail|replace|skip",
            description = "Deprecated: use --mode error|overwrite|ignore.")
    void deprecatedIfExists(String word) {
        String w = word.trim().toLowerCase(java.util.Locale.ROOT);
        String modeWord = switch (w) {
            case "fail" -> "error";
            case "replace" -> "overwrite";
            case "skip" -> "ignore";
            default -> throw new IllegalArgumentException("Invalid --if-exists '" + word
                    + "' (one of fail, replace, skip; deprecated: use --mode error|overwrite|ignore)");
        };
        LOG.warn("--if-exists is deprecated and will be removed: use --mode {} (for --if-exists {})", modeWord, w);
        mode.deprecatedChoice(WriteMode.parse(modeWord));
    }

    /** The output as messages and manifests name it. */
    String describe() {
        return out != null ? out : "table " + outTable;
    }

    /** The format written. */
    DataFormat format() {
        if (outFormat != null) {
            return DataFormat.of(outFormat);
        }
        return outTable != null ? DataFormat.DELTA : DataFormat.forPath(out);
    }

    /** The scheduled run, or null for a one-off output. */
    ScheduledRun run() {
        return runId == null ? null : new ScheduledRun(out == null ? "." : out, runId);
    }

    /**
     * Checks the output before any work: one of {@code --out}/{@code --out-table}, apart from every input, and
     * writable; returns false when the output (with {@code --run-id}, the run) exists and {@code --mode ignore} says
     * to leave it.
     */
    boolean prepare(SparkSession spark, Map<String, String> inputs) {
        Checks.checkArgument((out == null) != (outTable == null), "Give --out PATH or --out-table NAME (one of them)");
        DataFormat format = format();
        Checks.checkArgument(outTable == null || format == DataFormat.DELTA,
                "--out-table writes a Delta table; --out-format %s needs --out", format.id());
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        if (out != null) {
            AtomicOutput.checkApart(out, conf, inputs);
        }
        ScheduledRun run = run();
        if (format == DataFormat.DELTA) {
            DeltaOutput.Target target = target();
            if (out != null) {
                AtomicOutput.checkWritable(out, true, conf);
            }
            return run != null
                    ? proceed(DeltaOutput.hasRun(spark, target, runId), "Run", describe() + " run_id=" + runId)
                    : proceed(DeltaOutput.exists(spark, target), "Output table", describe());
        }
        if (run == null) {
            return AtomicOutput.prepare(out, mode.get(), conf, Map.of());
        }
        if (!proceed(AtomicOutput.exists(run.path(), conf), "Run", run.path())) {
            return false;
        }
        AtomicOutput.checkWritable(run.path(), true, conf);
        return true;
    }

    /** {@link WriteMode#proceed}, logging an output left alone. */
    private boolean proceed(boolean exists, String what, String name) {
        if (mode.get().proceed(exists, what, name)) {
            return true;
        }
        LOG.info("{} exists: left as it is and the job skipped (--mode ignore)", name);
        return false;
    }

    /**
     * Writes {@code rows} with {@code manifest} (to which the rows written and the completion time are added) in
     * the format chosen, as a whole or not at all.
     */
    void write(Dataset<Row> rows, String description, Map<String, Object> manifest, Set<String> plainEncoded) {
        SparkSession spark = rows.sparkSession();
        DataFormat format = format();
        ScheduledRun run = run();
        boolean replace = mode.get().replaces();
        if (format != DataFormat.DELTA) {
            TableWriter.write(rows, path(), format, replace, description,
                    tmp -> ScheduledRun.writeManifest(spark, tmp, format, manifest), plainEncoded);
            return;
        }
        Map<String, Object> facts = new LinkedHashMap<>(manifest);
        spark.sparkContext().setJobDescription(description + " → " + describe());
        long written = DeltaOutput.write(rows, target(), runId, replace, json(facts));
        facts.put("rows", written);
        facts.put("completed_at", Instant.now().toString());
        if (out != null) {
            Path file = new Path(new Path(out, MANIFESTS), (runId == null ? "output" : "run_id=" + runId) + ".json");
            ScheduledRun.writeManifestFile(spark.sparkContext().hadoopConfiguration(), file, facts);
        }
        LOG.info("{} rows committed to Delta table {}{}", written, describe(), runId == null ? "" : " as run " + runId);
    }

    /**
     * The manifest's common part for an inference job: the run, the model and its fingerprint, the input and its
     * fingerprint, the rows it dropped, the format, the project's version and the start time; a job adds its own.
     */
    Map<String, Object> manifest(String model, Configuration conf, InferenceInput input, InferenceInput.Rows rows,
                                 Instant started) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", runId);
        m.put("model", model);
        m.put("model_fingerprint", io.sparkmdn.model.ModelDirectory.fingerprint(model, conf));
        m.put("input", input.describe());
        m.put("input_fingerprint", rows.fingerprint());
        m.put("dropped_rows", rows.droppedRows());
        m.put("format", format().id());
        m.put("version", io.sparkmdn.util.Version.current());
        m.put("started_at", started.toString());
        return m;
    }

    /** The directory a Parquet or CSV output goes to: OUT, or OUT/run_id=ID for a scheduled run. */
    String path() {
        ScheduledRun run = run();
        return run == null ? out : run.path();
    }

    private DeltaOutput.Target target() {
        return new DeltaOutput.Target(out, outTable);
    }

    private static String json(Map<String, Object> facts) {
        try {
            return JSON.writeValueAsString(facts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the manifest as JSON: " + e.getMessage(), e);
        }
    }
}
