package io.sparkmdn.jobs;

import static org.apache.spark.sql.functions.col;

import io.sparkmdn.io.AtomicOutput;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.spark.MixtureInference;
import java.time.Instant;
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

    @Mixin OutputOptions output;

    @Option(names = "--model", required = true, description = "Model directory.")
    String model;
    @Option(names = "--samples", defaultValue = "100", description = "Samples per input row; default: ${DEFAULT-VALUE}.")
    int samples;
    @Option(names = "--seed", description = "Sampling seed; default: derived from --run-id (each run draws anew, a "
            + "rerun of an id draws the same), else " + DEFAULT_SEED + ".")
    Long seed;
    @Option(names = "--key-columns", split = ",", paramLabel = "COLS",
            description = "Columns whose values key each row's draws; rows with equal keys draw the same values "
                    + "(they are counted and logged); default: every input column but the model's labels, "
                    + "by name (x for --grid).")
    List<String> keyColumns;
    @Option(names = "--temperature", defaultValue = "1.0",
            description = "Scales the logits by 1/T and σ by T; 0 gives the most probable component's mean; "
                    + "default: ${DEFAULT-VALUE}.")
    double temperature;

    @Override
    public Integer call() {
        Instant started = Instant.now();
        String runId = output.runId;
        long drawSeed = seed != null ? seed : runId != null ? ScheduledRun.seedOf(runId) : DEFAULT_SEED;
        SparkSession session = spark.session("spark-mdn sample " + output.describe()
                + (runId == null ? "" : " run " + runId));
        try {
            Configuration conf = session.sparkContext().hadoopConfiguration();
            if (!output.prepare(session, AtomicOutput.inputs("input", input.path(), "model", model))) {
                return 0;
            }
            MdnModel mdn = ModelDirectory.load(model, conf);
            InferenceInput.Rows rows = input.read(session, mdn);
            List<String> keys = keyColumns != null ? keyColumns
                    : MixtureInference.defaultKeyColumns(rows.columns(), mdn.columns().labelNames());
            Dataset<Row> keyed = MixtureInference.withKey(rows.data(), keys, KEY);
            long duplicates = MixtureInference.rowsSharingAKey(keyed, KEY);
            if (duplicates > 0) {
                LOG.warn("{} input rows share their key {} with another row and draw the same samples as it; "
                        + "name more --key-columns to make them independent", duplicates, keys);
            }
            var drawn = MixtureInference.sample(keyed, rows.keep(), mdn, samples, drawSeed, temperature, col(KEY));
            Map<String, Object> manifest = output.manifest(model, conf, input, rows, started);
            manifest.put("seed", drawSeed);
            manifest.put("seed_from", seed != null ? "--seed" : runId != null ? "run id" : "default");
            manifest.put("key_columns", keys);
            manifest.put("duplicate_key_rows", duplicates);
            manifest.put("samples_per_row", samples);
            manifest.put("temperature", temperature);
            output.write(drawn, "sample", manifest, MixtureInference.SAMPLE_PLAIN_ENCODED);
            LOG.info("{} samples per row written to {} (seed {})", samples, output.describe(), drawSeed);
            return 0;
        } finally {
            session.stop();
        }
    }

    public static void main(String[] args) {
        System.exit(JobRunner.run(new SampleJob(), args));
    }
}
