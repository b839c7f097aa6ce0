package io.sparkmdn.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.flatten;

import io.sparkmdn.data.DatasetInfo;
import io.sparkmdn.data.SyntheticKind;
import io.sparkmdn.data.XYData;
import io.sparkmdn.input.InputDescription;
import io.sparkmdn.input.InputSource;
import io.sparkmdn.input.InputTable;
import io.sparkmdn.input.InvalidRows;
import io.sparkmdn.input.PreparedInput;
import io.sparkmdn.math.MixtureBatch;
import io.sparkmdn.train.EpochStats;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.model.Standardizer;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.spark.Columns;
import io.sparkmdn.spark.Generator;
import io.sparkmdn.spark.MixtureInference;
import io.sparkmdn.local.LeastSquaresNet;
import io.sparkmdn.train.TrainOptions;
import io.sparkmdn.util.Checks;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects a report's inputs from the pipeline's outputs into plain records ({@link ReportInputs}): a sample of
 * the training table, the model's history, the params and samples tables (sampled when large), the metrics file,
 * and the least-squares baseline, which is stored nowhere and so is fitted here on the data sample.
 *
 * <p>Everything is read from paths, never from a running pipeline, so a report can be made for any earlier run.
 * Tables are read and validated with {@link InputTable}; only capped samples of them reach the driver.
 */
public final class ReportCollector {

    /** Most rows of the params table read for the curves and the heat map. */
    static final int MAX_CURVE_POINTS = 2000;
    /** Most draws read from the samples table. */
    static final int MAX_SAMPLES = 20_000;
    /** x values of the curves computed here (the least-squares prediction, the model's mixtures). */
    static final int GRID = 241;
    /** Gradient steps of the least-squares net, whatever the sample size (at most {@value #LS_MAX_EPOCHS} epochs). */
    static final int LS_STEPS = 1500;
    static final int LS_MAX_EPOCHS = 200;
    static final int LS_BATCH = 128;

    /** Alias of the first feature in the tables read. */
    private static final String X0 = "__x0";

    private static final Logger LOG = LoggerFactory.getLogger(ReportCollector.class);

    private ReportCollector() {
    }

    /** Reads every input {@code sources} names; fails naming the path for a missing or malformed input. */
    public static ReportInputs collect(SparkSession spark, ReportSources requested) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<String> lines = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        MdnModel model = requested.model() == null ? null : ModelDirectory.load(requested.model(), conf);
        ReportSources sources = requested.withColumnsOf(model);
        if (model != null) {
            source(lines, "model: " + sources.model() + describe(model));
        }
        DataSample data = sources.data() == null ? null : readData(spark, sources, model, conf, lines, notes);
        XYData rows = data == null ? null : data.rows();
        MixtureCurve mixtures = sources.params() != null ? readParams(spark, sources, notes, lines)
                : model != null ? modelCurve(model, rows, notes, lines) : null;
        SampleSet samples = sources.samples() == null ? null : readSamples(spark, sources, model, notes, lines);
        Metrics metrics = sources.metrics() == null ? null : readMetrics(sources.metrics(), conf);
        if (metrics != null) {
            source(lines, "metrics: " + sources.metrics());
        }
        CalibrationRuns runs = sources.metricsTable() == null ? null : readRuns(spark, sources.metricsTable());
        if (runs != null) {
            source(lines, "metrics table: " + sources.metricsTable() + " (" + runs.runs().size() + " runs)");
        }
        MeanCurve leastSquares = rows == null ? null : leastSquares(model, rows, sources.seed(), notes, lines);
        List<EpochStats> history = model == null || model.training() == null ? List.of() : model.training().history();
        return new ReportInputs(rows, data == null ? 0 : data.totalRows(), data == null ? null : data.truth(),
                leastSquares, mixtures, samples, history, metrics, runs, lines, notes);
    }

    /**
     * Calibration run after run from evaluate's metrics table at {@code path}: label dimension 0, at level 0.9 where
     * the runs have it (else the level most rows have), per group in run order.
     */
    private static CalibrationRuns readRuns(SparkSession spark, String path) {
        Checks.checkArgument(io.delta.tables.DeltaTable.isDeltaTable(spark, path),
                "Not a metrics table of evaluate --run-id: %s (no Delta table there)", path);
        Dataset<Row> table = spark.read().format("delta").load(path).where("dimension = 0");
        for (String column : List.of("run_id", "level", "all_rows", "group_by", "group", "coverage", "coverage_raw",
                "pit_ks_p")) {
            Checks.checkArgument(List.of(table.columns()).contains(column),
                    "Not a metrics table of evaluate --run-id: %s (no column %s)", path, column);
        }
        List<Row> levels = table.groupBy("level").count().orderBy(org.apache.spark.sql.functions.desc("count"))
                .collectAsList();
        Checks.checkArgument(!levels.isEmpty(), "The metrics table %s has no rows", path);
        double level = levels.stream().anyMatch(r -> r.getDouble(0) == 0.9) ? 0.9 : levels.get(0).getDouble(0);
        List<Row> rows = table.where(col("level").equalTo(level)).select("run_id", "all_rows", "group_by", "group",
                "coverage", "coverage_raw", "pit_ks_p").orderBy("run_id").collectAsList();
        List<String> runs = rows.stream().map(r -> r.getString(0)).distinct().toList();
        Map<String, double[]> coverage = new java.util.TreeMap<>();
        Map<String, double[]> raw = new java.util.TreeMap<>();
        Map<String, double[]> ksP = new java.util.TreeMap<>();
        for (Row r : rows) {
            String group = r.getBoolean(1) ? "all rows" : r.getString(2) + " = " + (r.isNullAt(3) ? "null" : r.getString(3));
            int run = runs.indexOf(r.getString(0));
            coverage.computeIfAbsent(group, g -> nans(runs.size()))[run] = r.getDouble(4);
            raw.computeIfAbsent(group, g -> nans(runs.size()))[run] = r.isNullAt(5) ? Double.NaN : r.getDouble(5);
            ksP.computeIfAbsent(group, g -> nans(runs.size()))[run] = r.getDouble(6);
        }
        return new CalibrationRuns(level, runs, coverage, raw, ksP);
    }

    private static double[] nans(int n) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, Double.NaN);
        return v;
    }

    /** A sample of the training table, its size, and its true density when a built-in kind generated it. */
    private record DataSample(XYData rows, long totalRows, SyntheticKind truth) {
    }

    private static DataSample readData(SparkSession spark, ReportSources s, MdnModel model, Configuration conf,
                                       List<String> lines, List<String> notes) {
        PreparedInput in = InputTable.read(spark, InputDescription.named(InputSource.of(s.data()), s.features(),
                s.labels(), InvalidRows.SKIP), model == null ? null : model.columns());
        List<Row> sample = collectAtMost(spark, in.data().select(Columns.X, Columns.Y), in.rows(), s.maxPoints(),
                s.seed(), "report: sample the training data " + s.data());
        int dx = in.inputDim();
        int dy = in.outputDim();
        double[] x = new double[sample.size() * dx];
        double[] y = new double[sample.size() * dy];
        for (int i = 0; i < sample.size(); i++) {
            System.arraycopy(InputTable.doubles(sample.get(i), 0), 0, x, i * dx, dx);
            System.arraycopy(InputTable.doubles(sample.get(i), 1), 0, y, i * dy, dy);
        }
        SyntheticKind truth = truth(s, conf, dx, dy, notes).orElse(null);
        source(lines, String.format("training data: %s (%,d rows, %,d read%s)", s.data(), in.rows(), sample.size(),
                truth == null ? "" : "; generated as '" + truth.name() + "', so its true density is known"));
        return new DataSample(new XYData(dx, dy, x, y), in.rows(), truth);
    }

    /** The built-in kind that generated the data, when its description names the columns read. */
    private static Optional<SyntheticKind> truth(ReportSources s, Configuration conf, int dx, int dy,
                                                 List<String> notes) {
        Optional<DatasetInfo> info = Generator.readInfo(s.data(), conf);
        if (info.isEmpty() || !s.features().equals(List.of(info.get().features()))
                || !s.labels().equals(List.of(info.get().labels()))) {
            return Optional.empty();
        }
        try {
            SyntheticKind kind = info.get().syntheticKind();
            return kind.inputDim() == dx && kind.outputDim() == dy ? Optional.of(kind) : Optional.empty();
        } catch (IllegalArgumentException e) {
            notes.add("true density: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static MixtureCurve readParams(SparkSession spark, ReportSources s, List<String> notes,
                                           List<String> lines) {
        PreparedInput in = InputTable.read(spark, InputDescription.named(InputSource.of(s.params()), s.features(),
                List.of(), InvalidRows.ERROR), null);
        List<String> columns = List.of(in.data().columns());
        for (String c : List.of(MixtureInference.ALPHA, MixtureInference.MU, MixtureInference.SIGMA)) {
            Checks.checkArgument(columns.contains(c), "Not a params table: %s has no column '%s' (columns: %s)",
                    s.params(), c, columns);
        }
        if (in.inputDim() != 1) {
            notes.add("p(y|x) heat map and α, μ, σ along x: need 1-D x, the params have d_x = " + in.inputDim());
            return null;
        }
        List<Row> rows = new ArrayList<>(collectAtMost(spark, in.data().select(col(Columns.X).getItem(0).as(X0),
                        col(MixtureInference.ALPHA), flatten(col(MixtureInference.MU)),
                        flatten(col(MixtureInference.SIGMA))),
                in.rows(), MAX_CURVE_POINTS, s.seed(), "report: read mixture parameters " + s.params()));
        rows.sort(Comparator.comparingDouble(r -> r.getDouble(0)));
        List<Row> distinct = new ArrayList<>();
        for (Row r : rows) {
            if (distinct.isEmpty() || r.getDouble(0) > distinct.get(distinct.size() - 1).getDouble(0)) {
                distinct.add(r);
            }
        }
        if (distinct.size() < 2) {
            notes.add("p(y|x) heat map and α, μ, σ along x: the params table " + s.params()
                    + " holds fewer than 2 distinct x");
            return null;
        }
        source(lines, String.format("mixture parameters: %s (%,d rows, %,d distinct x read)", s.params(), in.rows(),
                distinct.size()));
        return mixtureCurve(distinct, s.params());
    }

    /** Rows (x, alpha[K], mu[K·d], sigma[K·d]) in increasing x as a curve. */
    private static MixtureCurve mixtureCurve(List<Row> rows, String path) {
        int n = rows.size();
        int k = InputTable.doubles(rows.get(0), 1).length;
        int d = Math.max(1, InputTable.doubles(rows.get(0), 2).length / k);
        double[] x = new double[n];
        double[] w = new double[n * k];
        double[] m = new double[n * k * d];
        double[] sd = new double[n * k * d];
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            x[i] = r.getDouble(0);
            double[] alpha = InputTable.doubles(r, 1);
            double[] mu = InputTable.doubles(r, 2);
            double[] sigma = InputTable.doubles(r, 3);
            Checks.checkArgument(alpha.length == k && mu.length == k * d && sigma.length == k * d,
                    "Params row at x=%s of %s has %s weights, %s means, %s sigmas; expected K=%s, d=%s", x[i], path,
                    alpha.length, mu.length, sigma.length, k, d);
            System.arraycopy(alpha, 0, w, i * k, k);
            System.arraycopy(mu, 0, m, i * k * d, k * d);
            System.arraycopy(sigma, 0, sd, i * k * d, k * d);
        }
        return new MixtureCurve(x, new MixtureBatch(k, d, w, m, sd));
    }

    /** The model's mixtures on a grid over the data's x range (else mean ± 2.5 sd of the training x). */
    private static MixtureCurve modelCurve(MdnModel model, XYData data, List<String> notes, List<String> lines) {
        if (model.options().inputDim() != 1) {
            notes.add("p(y|x) heat map and α, μ, σ along x: need 1-D x, the model has d_x = "
                    + model.options().inputDim());
            return null;
        }
        double[] range = xRange(model, data);
        double[] grid = Arrays2.linspace(range[0], range[1], GRID);
        source(lines, String.format("mixture parameters: predicted by the model on %d x from %.3g to %.3g (no --params)",
                GRID, range[0], range[1]));
        return new MixtureCurve(grid, model.predict(grid));
    }

    private static double[] xRange(MdnModel model, XYData data) {
        if (data != null) {
            double[] r = Arrays2.range(Arrays2.column(data.x(), data.inputDim(), 0));
            if (r[1] > r[0]) {
                return r;
            }
        }
        Standardizer x = model.normalization().x();
        double sd = Math.max(x.std()[0], 1e-9);
        return new double[] {x.mean()[0] - 2.5 * sd, x.mean()[0] + 2.5 * sd};
    }

    private static SampleSet readSamples(SparkSession spark, ReportSources s, MdnModel model, List<String> notes,
                                         List<String> lines) {
        PreparedInput in = InputTable.read(spark, InputDescription.named(InputSource.of(s.samples()), s.features(),
                List.of(MixtureInference.SAMPLE), InvalidRows.ERROR), model == null ? null : model.columns());
        if (in.inputDim() != 1) {
            notes.add("MDN samples: need 1-D x, the samples have d_x = " + in.inputDim());
            return null;
        }
        Dataset<Row> pairs = in.data().select(col(Columns.X).getItem(0).as(X0), col(Columns.Y));
        List<Row> rows = collectAtMost(spark, pairs, in.rows(), MAX_SAMPLES, s.seed(),
                "report: sample the MDN samples " + s.samples());
        SampleSet sampled = sampleSet(rows, in.outputDim());
        if (in.outputDim() == 1) {
            source(lines, String.format("samples: %s (%,d draws, %,d read)", s.samples(), in.rows(), rows.size()));
            return sampled;
        }
        // 2-D y is shown as scatters at a few x, with every draw made at each
        Object[] xs = Arrays.stream(ReportBuilder.sliceXs(sampled)).boxed().toArray();
        spark.sparkContext().setJobDescription("report: read the MDN samples at " + xs.length + " x");
        try {
            List<Row> slices = pairs.filter(col(X0).isin(xs)).limit(MAX_SAMPLES).collectAsList();
            source(lines, String.format("samples: %s (%,d draws; all %,d at %d values of x read)", s.samples(), in.rows(),
                    slices.size(), xs.length));
            return sampleSet(slices, in.outputDim());
        } finally {
            spark.sparkContext().setJobDescription(null);
        }
    }

    private static SampleSet sampleSet(List<Row> rows, int d) {
        double[] x = new double[rows.size()];
        double[] y = new double[rows.size() * d];
        for (int i = 0; i < rows.size(); i++) {
            x[i] = rows.get(i).getDouble(0);
            System.arraycopy(InputTable.doubles(rows.get(i), 1), 0, y, i * d, d);
        }
        return new SampleSet(x, y, d);
    }

    /** The least-squares baseline fitted to the data sample, predicted on a grid over its x range (1-D x). */
    private static MeanCurve leastSquares(MdnModel model, XYData data, long seed, List<String> notes,
                                          List<String> lines) {
        if (data.inputDim() != 1) {
            return null;
        }
        double[] range = Arrays2.range(data.x());
        if (!(range[1] > range[0])) {
            notes.add("least-squares curve: the data sample has a single x value");
            return null;
        }
        MdnOptions options = model != null ? model.options()
                : MdnOptions.defaults().withDimensions(data.inputDim(), data.outputDim());
        int stepsPerEpoch = (data.size() + LS_BATCH - 1) / LS_BATCH;
        int epochs = Math.max(1, Math.min(LS_MAX_EPOCHS, LS_STEPS / stepsPerEpoch));
        LeastSquaresNet net;
        try {
            net = LeastSquaresNet.fit(options, new TrainOptions(epochs, LS_BATCH, seed), data);
        } catch (IllegalArgumentException e) {
            notes.add("least-squares curve: " + e.getMessage());
            return null;
        }
        double[] grid = Arrays2.linspace(range[0], range[1], GRID);
        source(lines, String.format("least-squares net: fitted here to the %,d-row data sample (%d epochs of %d-row "
                + "batches, the %s architecture)", data.size(), epochs, LS_BATCH, model != null ? "model's" : "default"));
        return new MeanCurve(grid, net.predict(grid), data.outputDim());
    }

    private static Metrics readMetrics(String path, Configuration conf) {
        Path file = new Path(path);
        try {
            FileSystem fs = file.getFileSystem(conf);
            Checks.checkArgument(fs.exists(file), "Metrics file not found: %s", path);
            try (InputStream in = fs.open(file)) {
                return Metrics.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read metrics file " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * At most {@code max} rows of {@code table} (which has {@code rows} rows), drawn at random with {@code seed}
     * when there are more, collected to the driver. The draw is a Bernoulli sample a little over max/rows, cut to
     * {@code max} at random on the driver: a {@code limit} on the cluster would keep the first partitions' rows.
     */
    private static List<Row> collectAtMost(SparkSession spark, Dataset<Row> table, long rows, int max, long seed,
                                           String description) {
        spark.sparkContext().setJobDescription(description);
        try {
            if (rows <= max) {
                return table.collectAsList();
            }
            double fraction = Math.min(1.0, 1.05 * max / rows + 50.0 / rows);
            List<Row> sample = new ArrayList<>(table.sample(false, fraction, seed).collectAsList());
            if (sample.size() > max) {
                Collections.shuffle(sample, new Random(seed));
                return sample.subList(0, max);
            }
            return sample;
        } finally {
            spark.sparkContext().setJobDescription(null);
        }
    }

    /** Records (and logs) one input read. */
    private static void source(List<String> lines, String line) {
        LOG.info("read {}", line);
        lines.add(line);
    }

    private static String describe(MdnModel model) {
        MdnOptions o = model.options();
        String trained = model.training() == null ? "untrained"
                : model.training().epochs() + " epochs on " + String.format("%,d", model.training().trainRows())
                + " rows";
        return String.format(" (K=%d, d_x=%d, d_y=%d, hidden %s, %s)", o.mixtures(), o.inputDim(), o.outputDim(),
                o.hiddenLayers(), trained);
    }
}
