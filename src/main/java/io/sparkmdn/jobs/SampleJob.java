package io.sparkmdn.jobs;

import static org.apache.spark.sql.functions.col;

import io.sparkmdn.io.AtomicOutput;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.spark.DataFormat;
import io.sparkmdn.spark.MixtureInference;
import io.sparkmdn.spark.TableWriter;
import io.sparkmdn.util.Version;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Draws samples of y from each input row's mixture, in long format. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Draw N samples of y ~ p(y|x) for every input row (long format: one row per sample).")
public final class SampleJob implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(SampleJob.class);
    /** The seed of a one-off run (no --run-id) that names none. */
    static final long DEFAULT_SEED = 42;
    private static final String KEY = "__key";

    @Mixin SparkOptions spark;
    @Mixin InferenceInput input;

    @Option(names = "--model", required = true, description = "Model directory.")
    String model;
    @Option(names = "--out", required = true, description = "Output table (Parquet, or CSV for 1-D y).")
    String out;
    @Option(names = "--samples", defaultValue = "100", description = "Samples per input row; default: ${DEFAULT-VALUE}.")
    int samples;
    @Option(names = "--seed", description = "Sampling seed; default: derived from --run-id (each run draws anew, a "
            + "rerun of an id draws the same), else " + DEFAULT_SEED + ".")
    Long seed;
    @Option(names = "--key-columns", split = ",", paramLabel = "COLS",
            description = "Columns whose values key each row's draws; rows with equal keys draw the same values "
                    + "(they are counted and logged); default: every input column (x for --grid).")
    List<String> keyColumns;
    @Option(names = "--temperature", defaultValue = "1.0",
            description = "Scales the logits by 1/T and σ by T; 0 gives the most probable component's mean; "
                    + "default: ${DEFAULT-VALUE}.")
    double temperature;
    @Option(names = "--overwrite", description = "Replace an existing output (without --run-id).")
    boolean overwrite;
    @Option(names = "--run-id", paramLabel = "ID", description = "Scheduled runs: write OUT/run_id=ID/ atomically, "
            + "with _manifest.json; ID of letters, digits, '.', '_', '-'.")
    String runId;
    @Option(names = "--if-exists", defaultValue = "fail", paramLabel = "fail|replace|skip",
            description = "When OUT/run_id=ID exists: fail, replace it, or skip the run; default: ${DEFAULT-VALUE}.")
    String ifExists;

    @Override
    public Integer call() {
        Instant started = Instant.now();
        ScheduledRun run = runId == null ? null : new ScheduledRun(out, runId, ScheduledRun.IfExists.parse(ifExists));
        long drawSeed = seed != null ? seed : run != null ? ScheduledRun.seedOf(runId) : DEFAULT_SEED;
        SparkSession session = spark.session("spark-mdn sample " + out + (run == null ? "" : " run " + runId));
        try {
            Configuration conf = session.sparkContext().hadoopConfiguration();
            AtomicOutput.checkApart(out, conf, AtomicOutput.inputs("input", input.path(), "model", model));
            if (run != null && run.skip(conf)) {
                LOG.info("run {} already written to {}: skipped (--if-exists skip)", runId, run.path());
                return 0;
            }
            String path = run == null ? out : run.path();
            boolean replace = run == null ? overwrite : run.replace();
            AtomicOutput.checkWritable(path, replace, conf);
            MdnModel mdn = ModelDirectory.load(model, conf);
            InferenceInput.Rows rows = input.read(session, mdn);
            List<String> keys = keyColumns != null ? keyColumns : rows.columns();
            Dataset<Row> keyed = MixtureInference.withKey(rows.data(), keys, KEY);
            long duplicates = MixtureInference.rowsSharingAKey(keyed, KEY);
            if (duplicates > 0) {
                LOG.warn("{} input rows share their key {} with another row and draw the same samples as it; "
                        + "name more --key-columns to make them independent", duplicates, keys);
            }
            var drawn = MixtureInference.sample(keyed, rows.keep(), mdn, samples, drawSeed, temperature, col(KEY));
            DataFormat format = DataFormat.forPath(path);
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("run_id", runId);
            manifest.put("model", model);
            manifest.put("model_fingerprint", ModelDirectory.fingerprint(model, conf));
            manifest.put("input", input.describe());
            manifest.put("input_fingerprint", rows.fingerprint());
            manifest.put("seed", drawSeed);
            manifest.put("seed_from", seed != null ? "--seed" : run != null ? "run id" : "default");
            manifest.put("key_columns", keys);
            manifest.put("duplicate_key_rows", duplicates);
            manifest.put("dropped_rows", rows.droppedRows());
            manifest.put("samples_per_row", samples);
            manifest.put("temperature", temperature);
            manifest.put("format", format.id());
            manifest.put("version", Version.current());
            manifest.put("started_at", started.toString());
            TableWriter.write(drawn, path, replace, "sample",
                    tmp -> ScheduledRun.writeManifest(session, tmp, format, manifest),
                    MixtureInference.SAMPLE_PLAIN_ENCODED);
            LOG.info("{} samples per row written to {} (seed {})", samples, path, drawSeed);
            return 0;
        } finally {
            session.stop();
        }
    }

    public static void main(String[] args) {
        System.exit(JobRunner.run(new SampleJob(), args));
    }
}
