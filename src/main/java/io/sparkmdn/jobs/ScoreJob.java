package io.sparkmdn.jobs;

import io.sparkmdn.io.AtomicOutput;
import io.sparkmdn.math.Scoring;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.spark.MixtureScores;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Scores every input row: its predicted mean, spread, mode, quantiles and interval, and how its label fared. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Per-row answers about p(y|x): mean, std, mode, quantiles, a central interval; with the labels "
                + "present, log-likelihood, PIT, CRPS, outlier probability and interval coverage.")
public final class ScoreJob implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ScoreJob.class);

    @Mixin SparkOptions spark;
    @Mixin InferenceInput input;
    @Mixin OutputOptions output;

    @Option(names = "--model", required = true, description = "Model directory.")
    String model;
    @Option(names = "--labels", split = ",", paramLabel = "COLS",
            description = "Label columns, scored when the input has them; default: the model's own.")
    List<String> labels;
    @Option(names = "--quantiles", split = ",", paramLabel = "LEVELS", defaultValue = "0.05,0.5,0.95",
            description = "Quantile levels, increasing, each in (0, 1); default: ${DEFAULT-VALUE}.")
    List<Double> quantiles;
    @Option(names = "--interval", defaultValue = "" + Scoring.DEFAULT_INTERVAL,
            description = "Central probability of the prediction interval [lower, upper]; default: ${DEFAULT-VALUE}.")
    double interval;

    @Override
    public Integer call() {
        Scoring scoring = new Scoring(quantiles.stream().mapToDouble(Double::doubleValue).toArray(), interval);
        Instant started = Instant.now();
        SparkSession session = spark.session("spark-mdn score " + output.describe());
        try {
            Configuration conf = session.sparkContext().hadoopConfiguration();
            if (!output.prepare(session, AtomicOutput.inputs("input", input.path(), "model", model))) {
                return 0;
            }
            MdnModel mdn = ModelDirectory.load(model, conf);
            InferenceInput.Rows rows = input.read(session, mdn, true, labels);
            List<String> keep = input.keepColumns != null ? input.keepColumns : rows.columns();
            Map<String, Object> manifest = output.manifest(model, conf, input, rows, started);
            manifest.put("quantiles", quantiles);
            manifest.put("interval", interval);
            manifest.put("calibration", mdn.calibration() == null ? null : Map.of(
                    "method", mdn.calibration().conformal().method().id(),
                    "rows", mdn.calibration().conformal().rows(),
                    "source", mdn.calibration().source(),
                    "answers", MixtureScores.CALIBRATED_ANSWERS,
                    "raw_prefix", MixtureScores.RAW_PREFIX));
            output.write(MixtureScores.score(rows.data(), keep, mdn, scoring), "score", manifest, Set.of());
            LOG.info("scores written to {}", output.describe());
            return 0;
        } finally {
            session.stop();
        }
    }

    public static void main(String[] args) {
        System.exit(JobRunner.run(new ScoreJob(), args));
    }
}
