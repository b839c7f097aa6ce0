package io.sparkmdn.jobs;

import io.sparkmdn.input.InputFingerprint;
import io.sparkmdn.input.InputSource;
import io.sparkmdn.input.InputTable;
import io.sparkmdn.input.PreparedInput;
import io.sparkmdn.io.AtomicOutput;
import io.sparkmdn.math.Conformal;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelCalibration;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.model.RunDescription;
import io.sparkmdn.spark.ConformalCalibrator;
import io.sparkmdn.spark.SparkTrainer;
import io.sparkmdn.util.Checks;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Calibrates a model by split-conformal prediction and writes the calibrated copy. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Calibrate a model's quantiles, prediction intervals and PIT by split-conformal prediction on "
                + "labelled rows it did not train on, and write a calibrated copy of the model directory (the "
                + "original is never modified); score, evaluate and the ML API then give calibrated answers.",
            "",
            "Guarantee: if the calibration rows and the rows scored later are exchangeable (drawn alike from the same "
                + "distribution), then with probability at least --confidence over the calibration rows, the "
                + "calibrated interval at level L holds at least a fraction L of the labels, and the calibrated "
                + "p-quantile is at or above at least a fraction p, whatever the model and the data. It holds for "
                + "each label dimension on its own (not jointly) and on average over rows (not for every x); data that "
                + "drifted since calibration breaks it: calibrate again."})
public final class CalibrateJob implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(CalibrateJob.class);

    @Mixin SparkOptions spark;
    @Mixin InputOptions input;

    @Option(names = "--model", required = true, description = "Model directory to calibrate (read only).")
    String model;
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    DataSource data;
    @Option(names = "--held-out", description = "Calibrate on the rows the model's training held out for its test "
            + "NLL instead of a table (no extra data needed; early stopping chose the model on them, so the guarantee "
            + "is slightly optimistic; the model says so).")
    boolean heldOut;
    @Option(names = "--out", required = true, description = "Calibrated model directory to write.")
    String out;
    @Option(names = "--labels", split = ",", paramLabel = "COLS",
            description = "Label columns; default: the model's own label columns.")
    List<String> labels;
    @Option(names = "--method", defaultValue = "dcp", paramLabel = "dcp|cqr",
            description = "How intervals are calibrated: dcp (distributional conformal prediction, score |PIT − ½|: "
                    + "every level, intervals that follow the model's shape) or cqr (conformalised quantile "
                    + "regression: the model's interval widened by a margin in the label's units, at --levels only); "
                    + "quantiles and PIT are calibrated alike by both; default: ${DEFAULT-VALUE}.")
    String method;
    @Option(names = "--levels", split = ",", paramLabel = "LEVELS", defaultValue = "0.8,0.9,0.95",
            description = "Interval levels: the ones cqr calibrates (score --interval must be one of them); with dcp, "
                    + "the highest sets the fewest rows accepted; default: ${DEFAULT-VALUE}.")
    List<Double> levels;
    @Option(names = "--confidence", defaultValue = "" + Conformal.DEFAULT_CONFIDENCE,
            description = "The probability over the draw of the calibration rows with which this calibrated model's "
                    + "coverage is at least each level (a little wider than needed on average); 0 gives the "
                    + "guarantee on average over calibrations only; default: ${DEFAULT-VALUE}.")
    double confidence;
    @Option(names = "--allow-training-rows", description = "Calibrate even on the table the model trained on "
            + "(refused otherwise: rows a model trained on make its answers look better calibrated than they are).")
    boolean allowTrainingRows;
    @Mixin WriteModeOption mode;

    @Override
    public Integer call() {
        Conformal.Method chosen = Conformal.Method.parse(method);
        double[] levelArray = levels.stream().mapToDouble(Double::doubleValue).toArray();
        for (double level : levelArray) {
            Checks.checkArgument(level > 0 && level < 1, "Invalid level: %s (must be > 0 and < 1)", level);
        }
        Checks.checkArgument(heldOut != (data != null),
                "Give the calibration rows: --input PATH, --table NAME or --query SQL, or --held-out (one of them)");
        SparkSession session = spark.session("spark-mdn calibrate " + model);
        try {
            Configuration conf = session.sparkContext().hadoopConfiguration();
            if (!AtomicOutput.prepare(out, mode.get(), conf,
                    AtomicOutput.inputs("model", model, "input", data == null ? null : data.path))) {
                return 0;
            }
            MdnModel mdn = ModelDirectory.load(model, conf);
            if (mdn.calibration() != null) {
                LOG.info("{} is calibrated already ({}); the new calibration replaces it in {}", model,
                        mdn.calibration().conformal(), out);
            }
            RunDescription run = mdn.run();
            Dataset<Row> rows;
            ModelCalibration made;
            String now = Instant.now().toString();
            if (heldOut) {
                Checks.checkArgument(run != null, "Model %s records no training run, so its held-out rows are unknown: "
                        + "name a table with --input, --table or --query", model);
                PreparedInput prepared = InputTable.read(session, run.input(), mdn.columns());
                rows = SparkTrainer.heldOutRows(prepared.data(), run.training());
                Conformal conformal = ConformalCalibrator.fit(rows, mdn, chosen, confidence, levelArray);
                made = new ModelCalibration(conformal, ModelCalibration.HELD_OUT, run.input().source().describe(),
                        null, now);
            } else {
                InputSource source = data.source(input);
                PreparedInput prepared = InputTable.read(session, input.forModel(source, mdn.columns(), true, labels),
                        mdn.columns());
                checkNotTrainingRows(prepared.fingerprint(), run);
                Conformal conformal = ConformalCalibrator.fit(prepared.data(), mdn, chosen, confidence, levelArray);
                made = new ModelCalibration(conformal, ModelCalibration.TABLE, source.describe(),
                        prepared.fingerprint(), now);
            }
            ModelDirectory.save(mdn.withCalibration(made), out, mode.get().replaces(), conf);
            LOG.info("calibrated model written to {}: {} on {} rows of {}\n{}", out, made.conformal().method().id(),
                    made.conformal().rows(), made.source().equals(ModelCalibration.HELD_OUT) ? "held-out rows"
                            : made.input(), coverageTable(made.conformal(), levelArray));
            return 0;
        } finally {
            session.stop();
        }
    }

    /** Refuses rows of the table the model trained on, unless allowed. */
    private void checkNotTrainingRows(InputFingerprint calibration, RunDescription run) {
        if (allowTrainingRows || run == null || run.data() == null) {
            return;
        }
        InputFingerprint trained = run.data();
        boolean samePaths = calibration.paths().stream().anyMatch(trained.paths()::contains);
        boolean sameTable = calibration.paths().isEmpty() && trained.paths().isEmpty()
                && calibration.changesSince(trained).isEmpty();
        Checks.checkArgument(!samePaths && !sameTable, "The calibration rows are the model's training data (%s): "
                + "a model's answers on rows it trained on look better calibrated than they are. Calibrate on rows it "
                + "did not train on, or on its held-out rows with --held-out (or say --allow-training-rows)",
                samePaths ? String.join(", ", calibration.paths()) : "the same rows and schema");
    }

    /** The raw coverage of the central interval on the calibration rows, level by level, for the log. */
    private static String coverageTable(Conformal c, double[] levels) {
        StringBuilder s = new StringBuilder(String.format("%-10s %-10s %s%n", "level", "dimension",
                "raw coverage on the calibration rows"));
        for (double level : levels) {
            for (int l = 0; l < c.dim(); l++) {
                double covered = c.pit(l, (1 + level) / 2) - c.pit(l, (1 - level) / 2);
                s.append(String.format("%-10s %-10d %.4f%n", level, l, covered));
            }
        }
        return s.toString();
    }

    public static void main(String[] args) {
        System.exit(JobRunner.run(new CalibrateJob(), args));
    }
}
