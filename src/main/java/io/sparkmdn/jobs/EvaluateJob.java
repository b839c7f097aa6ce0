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
import io.sparkmdn.spark.Evaluator;
import io.sparkmdn.util.Checks;
import io.sparkmdn.spark.Generator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
    @Option(names = "--out", required = true, paramLabel = "FILE.json", description = "Metrics file to write.")
    String out;
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

    @Override
    public Integer call() {
        new Scoring(Scoring.DEFAULT_LEVELS, interval);
        SparkSession session = spark.session("spark-mdn evaluate " + data.describe());
        try {
            Configuration conf = session.sparkContext().hadoopConfiguration();
            if (!AtomicOutput.prepare(out, mode.get(), conf,
                    AtomicOutput.inputs("input", data.path, "model", model))) {
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
                    interval, groupBy);
            writeJson(evaluation.toJson(), conf);
            LOG.info("evaluation of {} on {}:\n{}metrics written to {}", model, data.describe(), evaluation.table(),
                    out);
            return 0;
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
