package io.sparkmdn.jobs;

import io.sparkmdn.io.AtomicOutput;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.spark.MixtureInference;
import io.sparkmdn.spark.TableWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
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

    @Mixin SparkOptions spark;
    @Mixin InferenceInput input;

    @Option(names = "--model", required = true, description = "Model directory.")
    String model;
    @Option(names = "--out", required = true, description = "Output table (Parquet, or CSV for 1-D y).")
    String out;
    @Option(names = "--samples", defaultValue = "100", description = "Samples per input row; default: ${DEFAULT-VALUE}.")
    int samples;
    @Option(names = "--seed", defaultValue = "42", description = "Sampling seed; default: ${DEFAULT-VALUE}.")
    long seed;
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
        ScheduledRun run = runId == null ? null : new ScheduledRun(out, runId, ScheduledRun.IfExists.parse(ifExists));
        SparkSession session = spark.session("spark-mdn sample " + out + (run == null ? "" : " run " + runId));
        try {
            Configuration conf = session.sparkContext().hadoopConfiguration();
            if (run != null && run.skip(conf)) {
                LOG.info("run {} already written to {}: skipped (--if-exists skip)", runId, run.path());
                return 0;
            }
            String path = run == null ? out : run.path();
            AtomicOutput.checkWritable(path, run == null ? overwrite : run.replace(), conf);
            MdnModel mdn = ModelDirectory.load(model, conf);
            InferenceInput.Rows rows = input.read(session, mdn);
            var drawn = MixtureInference.sample(rows.data(), rows.keep(), mdn, samples, seed, temperature);
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("run_id", runId);
            manifest.put("model", model);
            manifest.put("input", input.describe());
            manifest.put("samples_per_row", samples);
            manifest.put("seed", seed);
            manifest.put("temperature", temperature);
            TableWriter.write(drawn, path, run == null ? overwrite : run.replace(), "sample",
                    tmp -> ScheduledRun.writeManifest(session, tmp, manifest), MixtureInference.SAMPLE_PLAIN_ENCODED);
            LOG.info("{} samples per row written to {}", samples, path);
            return 0;
        } finally {
            session.stop();
        }
    }

    public static void main(String[] args) {
        System.exit(JobRunner.run(new SampleJob(), args));
    }
}
