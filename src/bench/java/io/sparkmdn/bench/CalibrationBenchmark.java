package io.sparkmdn.bench;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.sparkmdn.data.SyntheticKind;
import io.sparkmdn.math.Conformal;
import io.sparkmdn.math.Scoring;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelCalibration;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.spark.Calibration;
import io.sparkmdn.spark.Columns;
import io.sparkmdn.spark.ConformalCalibrator;
import io.sparkmdn.spark.Evaluator;
import io.sparkmdn.spark.MixtureScores;
import io.sparkmdn.spark.SparkTrainer;
import io.sparkmdn.train.SparkTrainOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bench section {@code calibration}: split-conformal calibration on problems where the model is miscalibrated
 * on purpose (one Gaussian for the seed toy's branches; the defaults stopped after one epoch; Student-t(3) noise
 * around a smooth mean) and on one where it is not (the defaults on the seed toy). Each model is calibrated by both
 * methods on rows it did not train on, then its intervals are scored on fresh rows at each level, raw and
 * calibrated; and calibrating 10⁶ rows is timed against scoring them, side by side.
 */
final class CalibrationBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(CalibrationBenchmark.class);
    static final double[] LEVELS = {0.8, 0.9, 0.95};
    /** Calibrated coverage must lie in [level, level + this]. */
    static final double TARGET_OVERSHOOT = 0.01;
    /** Raw coverage that misses its level by more than this counts as miscalibrated. */
    static final double TARGET_RAW_MISS = 0.02;
    /** On the well-specified model: calibrated coverage within this of the level, width within this fraction. */
    static final double TARGET_WELL_COVERAGE = 0.01;
    static final double TARGET_WELL_WIDTH = 0.02;

    /** Rows of each part of a problem, and of the cost comparison. */
    record Options(int trainRows, int calibrationRows, int testRows, int costRows) {
        static Options standard() {
            return new Options(200_000, 20_000, 50_000, 1_000_000);
        }

        static Options quick() {
            return new Options(4_000, 1_000, 2_000, 20_000);
        }
    }

    /** One problem, method and level: coverage and mean width on the fresh rows, raw and calibrated. */
    record Line(String problem, boolean miscalibrated, String method, double level, double rawCoverage,
                double coverage, double rawWidth, double width) {
        boolean met() {
            return miscalibrated ? coverage >= level && coverage <= level + TARGET_OVERSHOOT
                    : Math.abs(coverage - level) <= TARGET_WELL_COVERAGE
                            && Math.abs(width / rawWidth - 1) <= TARGET_WELL_WIDTH;
        }
    }

    /** The section's measurements: the lines, and seconds to calibrate and to score {@code costRows} rows. */
    record Result(Options options, List<Line> lines, double calibrateSeconds, double scoreSeconds) {
    }

    private final SparkSession spark;
    private final Options options;

    CalibrationBenchmark(SparkSession spark, Options options) {
        this.spark = spark;
        this.options = options;
    }

    Result run() {
        MdnOptions defaults = MdnOptions.defaults();
        MdnOptions oneGaussian = new MdnOptions(defaults.inputDim(), defaults.outputDim(), 1, defaults.hiddenLayers(),
                defaults.activation(), defaults.learningRate(), defaults.updater(), defaults.sigmaFloor(),
                defaults.seed(), defaults.dataType(), defaults.clipGradientNorm());
        SparkTrainOptions training = SparkTrainOptions.defaults();
        List<Line> lines = new ArrayList<>();
        MdnModel wellSpecified = null;
        for (String problem : List.of("seed toy, K = 1", "seed toy, 1 epoch", "Student-t(3) noise", "seed toy, defaults")) {
            boolean student = problem.startsWith("Student");
            Dataset<Row> train = rows(student, options.trainRows(), 1).persist();
            MdnModel model = SparkTrainer.train(spark, train, problem.contains("K = 1") ? oneGaussian : defaults,
                    problem.contains("1 epoch") ? training.withEpochs(1) : training, stats -> { });
            train.unpersist();
            if (problem.endsWith("defaults")) {
                wellSpecified = model;
            }
            Dataset<Row> calibration = rows(student, options.calibrationRows(), 2).persist();
            Dataset<Row> test = rows(student, options.testRows(), 3).persist();
            for (Conformal.Method method : Conformal.Method.values()) {
                Conformal conformal = ConformalCalibrator.fit(calibration, model, method,
                        Conformal.DEFAULT_CONFIDENCE, LEVELS);
                MdnModel calibrated = model.withCalibration(new ModelCalibration(conformal, ModelCalibration.TABLE,
                        "bench", null, "bench"));
                Calibration.Group all = Evaluator.evaluate(test, calibrated, null, 1000, 5, Scoring.DEFAULT_INTERVAL,
                        LEVELS, null).calibration().all();
                for (int j = 0; j < all.levels().length; j++) {
                    Line line = new Line(problem, !problem.endsWith("defaults"), method.id(), all.levels()[j],
                            all.rawCoverage()[0][j], all.coverage()[0][j], all.rawWidth()[0][j], all.width()[0][j]);
                    lines.add(line);
                    LOG.info("{}, {} at {}: coverage raw {} calibrated {}, width raw {} calibrated {}", problem,
                            method.id(), line.level(), fmt(line.rawCoverage()), fmt(line.coverage()),
                            fmt(line.rawWidth()), fmt(line.width()));
                }
            }
            calibration.unpersist();
            test.unpersist();
        }
        Dataset<Row> many = rows(false, options.costRows(), 4).persist();
        many.count();
        long start = System.nanoTime();
        ConformalCalibrator.fit(many, wellSpecified, Conformal.Method.DCP, Conformal.DEFAULT_CONFIDENCE, LEVELS);
        double calibrate = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        MixtureScores.score(many, List.of(), wellSpecified, Scoring.defaults()).write().format("noop").mode("overwrite")
                .save();
        double score = (System.nanoTime() - start) / 1e9;
        many.unpersist();
        LOG.info("{} rows: calibrate {} s, score {} s", options.costRows(), fmt(calibrate), fmt(score));
        return new Result(options, lines, calibrate, score);
    }

    /**
     * Rows of the seed toy (the built-in kind), or of y = sin(3x) + 0.3·t₃ with x uniform on [−1, 1], the t₃ draw
     * as z / √(χ²₃ / 3) from four normal draws seeded by {@code seed}.
     */
    private Dataset<Row> rows(boolean student, int n, long seed) {
        if (!student) {
            return Benchmarks.generated(spark, SyntheticKind.of("seed"), n, seed);
        }
        long s = 1000 * seed;
        Dataset<Row> base = spark.range(n).repartition(4).select(expr("rand(" + s + ") * 2 - 1").as("x"),
                expr(String.format(Locale.ROOT, "randn(%d) / sqrt((pow(randn(%d), 2) + pow(randn(%d), 2) "
                        + "+ pow(randn(%d), 2)) / 3)", s + 1, s + 2, s + 3, s + 4)).as("t"));
        return base.select(array(col("x")).as(Columns.X), array(expr("sin(3 * x) + 0.3 * t")).as(Columns.Y));
    }

    /** The targets' lines of the report. */
    static String targets(Result r) {
        StringBuilder s = new StringBuilder();
        long missed = r.lines().stream().filter(Line::miscalibrated).map(Line::problem).distinct()
                .filter(p -> r.lines().stream().anyMatch(l -> l.problem().equals(p)
                        && Math.abs(l.rawCoverage() - l.level()) > TARGET_RAW_MISS)).count();
        s.append(String.format(Locale.ROOT, "| calibration: raw coverage misses by > %.2f on ≥ 2 of the 3 "
                + "miscalibrated problems | %d | %s |%n", TARGET_RAW_MISS, missed, missed >= 2 ? "yes" : "no"));
        for (String method : List.of("dcp", "cqr")) {
            List<Line> mine = r.lines().stream().filter(l -> l.method().equals(method)).toList();
            long miscal = mine.stream().filter(Line::miscalibrated).count();
            long miscalMet = mine.stream().filter(l -> l.miscalibrated() && l.met()).count();
            long well = mine.stream().filter(l -> !l.miscalibrated()).count();
            long wellMet = mine.stream().filter(l -> !l.miscalibrated() && l.met()).count();
            s.append(String.format(Locale.ROOT, "| calibration (%s): coverage in [level, level + %.2f] on the "
                    + "miscalibrated problems, every level | %d of %d | %s |%n", method, TARGET_OVERSHOOT, miscalMet,
                    miscal, miscalMet == miscal ? "yes" : "no"));
            s.append(String.format(Locale.ROOT, "| calibration (%s): well-specified model within %.2f of the "
                    + "level, width within %.0f%% of raw | %d of %d | %s |%n", method, TARGET_WELL_COVERAGE,
                    100 * TARGET_WELL_WIDTH, wellMet, well, wellMet == well ? "yes" : "no"));
        }
        s.append(String.format(Locale.ROOT, "| calibrating %,d rows costs less than scoring them | %.1f s vs "
                + "%.1f s | %s |%n", r.options().costRows(), r.calibrateSeconds(), r.scoreSeconds(),
                r.calibrateSeconds() < r.scoreSeconds() ? "yes" : "no"));
        return s.toString();
    }

    /** The section's table. */
    static String markdown(Result r) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "## Calibration%n%n%,d training rows, "
                + "%,d calibration rows, %,d fresh test rows per problem; calibrated at confidence %s (the chance "
                + "over calibration rows that a calibrated model covers its level); the central interval's coverage "
                + "and mean width on the test rows.%n%n| problem | method | level | coverage raw | calibrated | width raw | "
                + "calibrated | met |%n|---|---|---|---|---|---|---|---|%n", r.options().trainRows(),
                r.options().calibrationRows(), r.options().testRows(), Conformal.DEFAULT_CONFIDENCE));
        for (Line l : r.lines()) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.4f | %.4f | %.4f | %.4f | %s |%n", l.problem(),
                    l.method(), l.level(), l.rawCoverage(), l.coverage(), l.rawWidth(), l.width(),
                    l.met() ? "yes" : "no"));
        }
        return s.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
