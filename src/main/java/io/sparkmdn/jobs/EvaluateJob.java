package io.sparkmdn.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkmdn.data.DatasetInfo;
import io.sparkmdn.input.InputSource;
import io.sparkmdn.input.InputTable;
import io.sparkmdn.input.PreparedInput;
import io.sparkmdn.io.AtomicOutput;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.math.Scoring;
import io.sparkmdn.spark.Calibration;
import io.sparkmdn.spark.DeltaOutput;
import io.sparkmdn.spark.Evaluator;
import io.sparkmdn.util.Checks;
import io.sparkmdn.spark.Generator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Scores a model on labelled data and writes the metrics as JSON. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score a model on labelled data: NLL, baselines, PIT calibration, CRPS, Bayes limit.")
public final class EvaluateJob implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin SparkOptions spark;
    @Mixin InputOptions input;

    @Option(names = "--model", required = true, description = "Model directory.")
    String model;
    @ArgGroup(exclusive = true, multiplicity = "1")
    DataSource data;
    @Option(names = "--out", paramLabel = "PATH", description = "Metrics file (JSON) to write; with --run-id, the "
            + "Delta table of every run's metrics.")
    String out;
    @Option(names = "--out-table", paramLabel = "NAME",
            description = "With --run-id: a Delta table of Spark's catalog for the metrics instead of --out.")
    String outTable;
    @Option(names = "--run-id", paramLabel = "ID", description = "Scheduled runs: write this run's metrics as rows "
            + "of a Delta table (one row per group, label dimension and --levels level), replacing only run ID's rows, "
            + "so calibration can be watched run after run (report --metrics-table draws it).")
    String runId;
    @Option(names = "--levels", split = ",", paramLabel = "LEVELS", defaultValue = "0.8,0.9,0.95",
            description = "Interval levels whose coverage and width the metrics table has (with --interval); "
                    + "default: ${DEFAULT-VALUE}.")
    List<Double> levels;
    @Option(names = "--fail-if", split = ",", paramLabel = "THRESHOLD",
            description = "Exit with code 3, after the metrics are written, when any group's metric crosses a "
                    + "threshold: METRIC<NUMBER or METRIC>NUMBER, optionally METRIC@LEVEL (e.g. coverage@0.9<0.88,"
                    + "pit_ks_p<0.001); metrics: coverage, coverage_raw, interval_width, interval_width_raw, pit_ks, "
                    + "pit_ks_p, nll, crps.")
    List<String> failIf;
    @Option(names = "--labels", split = ",", paramLabel = "COLS",
            description = "Label columns; default: the model's own label columns.")
    List<String> labels;
    @Option(names = "--baseline-rows", defaultValue = "20000",
            description = "Rows the least-squares baseline is fitted on; default: ${DEFAULT-VALUE}.")
    int baselineRows;
    @Option(names = "--seed", defaultValue = "42", description = "Seed of the baseline; default: ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--interval", defaultValue = "" + Scoring.DEFAULT_INTERVAL,
            description = "Central probability of the prediction interval whose coverage and width are reported; "
                    + "default: ${DEFAULT-VALUE}.")
    double interval;
    @Option(names = "--group-by", paramLabel = "COL",
            description = "Also report every calibration metric per value of this column.")
    String groupBy;
    @Mixin WriteModeOption mode;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        new Scoring(Scoring.DEFAULT_LEVELS, interval);
        List<FailIf> thresholds = failIf == null ? List.of() : failIf.stream().map(FailIf::parse).toList();
        Checks.checkArgument(runId == null ? out != null && outTable == null : (out == null) != (outTable == null),
                runId == null ? "Give --out FILE.json (--out-table needs --run-id)"
                        : "Give --out PATH or --out-table NAME for the metrics table (one of them)");
        DeltaOutput.Target table = runId == null ? null : new DeltaOutput.Target(out, outTable);
        if (runId != null) {
            ScheduledRun.checkId(runId);
        }
        Instant started = Instant.now();
        SparkSession session = spark.session("spark-mdn evaluate " + data.describe());
        try {
            Configuration conf = session.sparkContext().hadoopConfiguration();
            if (out != null) {
                AtomicOutput.checkApart(out, conf, AtomicOutput.inputs("input", data.path, "model", model));
            }
            boolean proceed = table == null ? AtomicOutput.prepare(out, mode.get(), conf, Map.of())
                    : mode.get().proceed(DeltaOutput.hasRun(session, table, runId), "Run",
                            table.describe() + " run_id=" + runId);
            if (!proceed) {
                return 0;
            }
            MdnModel mdn = ModelDirectory.load(model, conf);
            InputSource source = data.source(input);
            Checks.checkArgument(groupBy == null || InputTable.hasColumns(session, source, List.of(groupBy)),
                    "--group-by column '%s' not found in %s", groupBy, source.describe());
            PreparedInput prepared = InputTable.read(session,
                    input.forModel(source, mdn.columns(), true, labels), mdn.columns());
            Evaluator.TrueDensity truth = trueDensity(prepared, conf).orElse(null);
            Evaluator.Evaluation evaluation = Evaluator.evaluate(prepared.data(), mdn, truth, baselineRows, seed,
                    interval, levels.stream().mapToDouble(Double::doubleValue).toArray(), groupBy);
            List<Row> rows = evaluation.calibration().metricRows(started.toString(), model,
                    ModelDirectory.fingerprint(model, conf), source.describe());
            if (table == null) {
                writeJson(evaluation.toJson(), conf);
            } else {
                Map<String, Object> manifest = new LinkedHashMap<>(evaluation.toJson());
                manifest.put("run_id", runId);
                manifest.put("model", model);
                manifest.put("input", source.describe());
                manifest.put("started_at", started.toString());
                DeltaOutput.write(session.createDataFrame(rows, Calibration.METRICS_SCHEMA), table, runId,
                        mode.get().replaces(), JSON.writeValueAsString(manifest));
            }
            LOG.info("evaluation of {} on {}:\n{}metrics written to {}", model, data.describe(), evaluation.table(),
                    table == null ? out : table.describe() + " run_id=" + runId);
            List<String> crossed = new ArrayList<>();
            for (FailIf threshold : thresholds) {
                threshold.crossings(rows).forEach(c -> crossed.add("--fail-if " + threshold + ": " + c));
            }
            if (!crossed.isEmpty()) {
                spec.commandLine().getErr().println("error: " + String.join("; ", crossed)
                        + " (the metrics are written)");
                return FailIf.EXIT_CODE;
            }
            return 0;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the manifest as JSON: " + e.getMessage(), e);
        } finally {
            session.stop();
        }
    }

    /** The true density when the data is a built-in kind read through the columns it was generated with. */
    private Optional<Evaluator.TrueDensity> trueDensity(PreparedInput prepared, Configuration conf) {
        if (data.path == null) {
            return Optional.empty();
        }
        Optional<DatasetInfo> info = Generator.readInfo(data.path, conf);
        if (info.isEmpty() || !prepared.columns().featureNames().equals(List.of(info.get().features()))
                || !prepared.columns().labelNames().equals(List.of(info.get().labels()))) {
            return Optional.empty();
        }
        return Optional.of(info.get().syntheticKind()::trueLogDensity);
    }

    private void writeJson(Map<String, Object> json, Configuration conf) {
        AtomicOutput.write(out, mode.get().replaces(), conf, tmp -> {
            Path path = new Path(tmp);
            try (OutputStream os = path.getFileSystem(conf).create(path)) {
                JSON.writeValue(os, json);
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to write " + out + ": " + e.getMessage(), e);
            }
        });
    }

    public static void main(String[] args) {
        System.exit(JobRunner.run(new EvaluateJob(), args));
    }
}
