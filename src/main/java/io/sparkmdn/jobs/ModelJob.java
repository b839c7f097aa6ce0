package io.sparkmdn.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkmdn.input.ColumnSpec;
import io.sparkmdn.input.InputDescription;
import io.sparkmdn.input.InputFingerprint;
import io.sparkmdn.input.InputSource;
import io.sparkmdn.train.EpochStats;
import io.sparkmdn.model.ModelDirectory.Metadata;
import io.sparkmdn.model.ModelCalibration;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.model.TrainingSummary;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.train.ScaleOut;
import io.sparkmdn.train.SparkTrainOptions;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints what a model directory records (network, input columns, training settings, data, history) without Spark. */
@Command(name = "model", aliases = {"inspect"}, mixinStandardHelpOptions = true,
        description = "Print what a model directory records: its network, input columns, training settings, "
                + "data, per-epoch history and format version.")
public final class ModelJob implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String NONE = "—";

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Model directory (local, hdfs://, s3a://…).")
    String model;
    @Option(names = "--json", description = "Print the metadata as JSON instead of a table.")
    boolean json;
    @Option(names = JobRunner.CONFIG_OPTION, paramLabel = "FILE",
            description = "Configuration file of defaults (keys = long option names); "
                    + "default: $" + JobRunner.CONFIG_ENV + " when set.")
    String config;

    @Override
    public Integer call() throws JsonProcessingException {
        Metadata meta = ModelDirectory.readMetadata(model, new Configuration());
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? JSON.writeValueAsString(meta) + System.lineSeparator() : table(meta));
        out.flush();
        return 0;
    }

    /** The whole description of {@code meta} as text: a header line, then one section after another. */
    String table(Metadata meta) {
        SparkTrainOptions settings = meta.run() == null ? null : meta.run().training();
        InputFingerprint data = meta.run() == null ? null : meta.run().data();
        TrainingSummary training = meta.training();
        return String.format("model %s (format version %d, created %s)%n", model, meta.formatVersion(),
                orNone(meta.createdAt()))
                + section("network", networkFields(meta.options()))
                + section("input", inputFields(meta))
                + section("training settings", settings == null ? note(NONE) : settingsFields(settings))
                + section("data", data == null ? note(NONE) : dataFields(data))
                + section("training", training == null ? note(NONE + " (untrained)") : trainingFields(training))
                + section("history", training == null || training.history().isEmpty() ? note(NONE)
                        : historyTable(training.history()))
                + section("calibration", ModelDirectory.readCalibration(model, new Configuration())
                        .map(ModelJob::calibrationFields).orElse(note("none: the model's own answers")));
    }

    private static String calibrationFields(ModelCalibration c) {
        return field("method", c.conformal().method().id())
                + field("rows", c.conformal().rows())
                + field("confidence", c.conformal().confidence() == 0 ? "0 (on average over calibrations)"
                        : number(c.conformal().confidence()))
                + field("source", c.source().equals(ModelCalibration.HELD_OUT)
                        ? "the training run's held-out rows (early stopping saw them)" : c.input())
                + (c.conformal().cqrLevels().length == 0 ? ""
                        : field("levels", java.util.Arrays.toString(c.conformal().cqrLevels())))
                + field("created", orNone(c.createdAt()));
    }

    private static String networkFields(MdnOptions o) {
        return field("mixtures", o.mixtures())
                + field("hidden layers", o.hiddenLayers().isEmpty() ? "none"
                        : o.hiddenLayers().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                + field("activation", lower(o.activation()))
                + field("learning rate", number(o.learningRate()))
                + field("updater", lower(o.updater()))
                + field("sigma floor", number(o.sigmaFloor()))
                + field("data type", lower(o.dataType()))
                + field("seed", o.seed())
                + field("clip gradient norm", o.clipGradientNorm() == 0 ? "0 (off)" : number(o.clipGradientNorm()))
                + field("d_x", o.inputDim())
                + field("d_y", o.outputDim());
    }

    /** The recorded source, invalid-rows mode and columns; for a model that records none, its default columns. */
    private static String inputFields(Metadata meta) {
        if (meta.run() == null) {
            String why = meta.formatVersion() == 1 ? "format version 1" : "trained outside a run";
            return note("not recorded (" + why + "): columns default to x and y")
                    + columnsTable(InputDescription.defaultColumns(meta.options().inputDim(),
                            meta.options().outputDim()));
        }
        InputDescription input = meta.run().input();
        return sourceFields(input.source())
                + field("invalid rows", input.invalidRows().id())
                + columnsTable(input);
    }

    private static String sourceFields(InputSource source) {
        if (source == null) {
            return field("source", NONE + " (a DataFrame)");
        }
        if (source.path() == null) {
            return field("source", source.describe());
        }
        return field("source", source.path())
                + field("format", source.format() == null ? "from the path" : source.format())
                + field("schema", source.schema() == null ? "inferred" : source.schema());
    }

    /** One row per column, features first: role, name, type and width. */
    private static String columnsTable(InputDescription input) {
        int nameWidth = Stream.concat(input.features().stream(), input.labels().stream())
                .mapToInt(c -> c.name().length()).max().orElse(4);
        String row = "  %-8s  %-" + Math.max(4, nameWidth) + "s  %-6s  %5s%n";
        StringBuilder table = new StringBuilder(String.format(row, "role", "name", "type", "width"));
        input.features().forEach(c -> table.append(columnRow(row, "feature", c)));
        input.labels().forEach(c -> table.append(columnRow(row, "label", c)));
        return table.toString();
    }

    private static String columnRow(String format, String role, ColumnSpec c) {
        return String.format(format, role, c.name(), c.type() == null ? NONE : c.type().id(),
                c.width() == 0 ? NONE : Integer.toString(c.width()));
    }

    private static String settingsFields(SparkTrainOptions t) {
        return field("epochs", t.train().epochs())
                + field("batch size", t.train().batchSize())
                + field("averaging frequency", t.averagingFrequency())
                + field("test fraction", number(t.testFraction()))
                + field("workers", t.workers() == 0 ? "0 (Spark's default parallelism)" : t.workers())
                + field("learning-rate decay", t.learningRateDecay() == 1 ? "1 (none)" : number(t.learningRateDecay()))
                + scaleOutFields(t.scaleOut());
    }

    private static String scaleOutFields(ScaleOut s) {
        if (s == null) {
            return field("scale-out", "none (recorded before it: the same batch and rate at any workers)");
        }
        return field("global batch", s.globalBatch() == 0 ? "0 (off)" : s.globalBatch())
                + field("min batch size", s.minBatchSize())
                + field("min rows per worker", s.minRowsPerWorker() == 0 ? "0 (no floor)" : s.minRowsPerWorker())
                + field("block momentum", number(s.blockMomentum()));
    }

    private static String dataFields(InputFingerprint d) {
        return field("paths", d.paths().isEmpty() ? NONE : String.join(", ", d.paths()))
                + field("bytes", d.bytes())
                + field("rows", d.rows())
                + field("schema", orNone(d.schema()));
    }

    private static String trainingFields(TrainingSummary t) {
        return field("trainer", orNone(t.trainer()))
                + field("rows", String.format("%d train, %d test, %d dropped", t.trainRows(), t.testRows(),
                        t.droppedRows()))
                + field("final NLL", String.format("%s train, %s test", nll(t.trainNll()), nll(t.testNll())))
                + field("seconds", String.format(Locale.ROOT, "%.2f", t.seconds()))
                + field("samples/s", String.format(Locale.ROOT, "%.0f", t.samplesPerSecond()));
    }

    /** One row per epoch: epoch, train and test NLL (4 decimals), seconds and samples per second. */
    private static String historyTable(List<EpochStats> history) {
        String row = "  %5s  %10s  %10s  %8s  %10s%n";
        StringBuilder table = new StringBuilder(String.format(row, "epoch", "train NLL", "test NLL", "seconds",
                "samples/s"));
        for (EpochStats e : history) {
            table.append(String.format(row, e.epoch(), nll(e.trainNll()), nll(e.testNll()),
                    String.format(Locale.ROOT, "%.2f", e.seconds()),
                    String.format(Locale.ROOT, "%.0f", e.samplesPerSecond())));
        }
        return table.toString();
    }

    /** A blank line, the section's title, then its indented lines. */
    private static String section(String title, String body) {
        return String.format("%n%s%n%s", title, body);
    }

    /** An indented {@code label value} line. */
    private static String field(String label, Object value) {
        return String.format("  %-20s %s%n", label, value);
    }

    /** An indented line of its own, for a section with nothing recorded. */
    private static String note(String text) {
        return String.format("  %s%n", text);
    }

    /** An NLL to 4 decimals, or a dash where not measured (null or NaN). */
    private static String nll(Double value) {
        return value == null || !Double.isFinite(value) ? NONE : String.format(Locale.ROOT, "%.4f", value);
    }

    /** A double as written, without exponent or trailing zeros: 0.005, 0.1, 1. */
    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static String orNone(String value) {
        return value == null || value.isBlank() ? NONE : value;
    }

    public static void main(String[] args) {
        System.exit(JobRunner.run(new ModelJob(), args));
    }
}
