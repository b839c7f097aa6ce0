package io.sparkmdn.spark;

import static org.apache.spark.sql.functions.col;

import io.sparkmdn.input.InputTable;
import io.sparkmdn.math.Scoring;
import io.sparkmdn.model.MdnModel;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Per-row answers about each row's predicted distribution, on the executors in plain Java and in the user's
 * units ({@link Scoring}): {@code mean}, {@code std}, {@code mode} (unless the scoring leaves it out),
 * {@code quantiles}, {@code lower} and {@code upper} always, and with the label ({@link Columns#Y} present) {@code log_likelihood}, {@code pit},
 * {@code crps}, {@code outlier_p} and {@code in_interval}. For d_y = 1 each is a number (quantiles an array by
 * level); for d_y > 1 each per-dimension answer is an array by dimension (quantiles an array by dimension of
 * arrays by level), and {@code log_likelihood} is the joint one.
 *
 * <p>For a calibrated model ({@link MdnModel#calibration()}) {@code quantiles}, {@code lower}, {@code upper},
 * {@code pit}, {@code outlier_p} and {@code in_interval} are the calibrated answers, each column's metadata says
 * so ({@value #CALIBRATED} = the method), and the model's own are kept beside them with the prefix
 * {@value #RAW_PREFIX} ({@code raw_lower}, …).
 */
public final class MixtureScores {

    public static final String MEAN = "mean";
    public static final String STD = "std";
    public static final String MODE = "mode";
    public static final String QUANTILES = "quantiles";
    public static final String LOWER = "lower";
    public static final String UPPER = "upper";
    public static final String LOG_LIKELIHOOD = MixtureInference.LOG_LIKELIHOOD;
    public static final String PIT = "pit";
    public static final String CRPS = "crps";
    public static final String OUTLIER_P = "outlier_p";
    public static final String IN_INTERVAL = "in_interval";

    /** The columns every score has. */
    public static final List<String> ALWAYS = List.of(MEAN, STD, MODE, QUANTILES, LOWER, UPPER);
    /** The columns a score with labels adds. */
    public static final List<String> WITH_LABELS = List.of(LOG_LIKELIHOOD, PIT, CRPS, OUTLIER_P, IN_INTERVAL);
    /** The answers a calibration changes. */
    public static final List<String> CALIBRATED_ANSWERS = List.of(QUANTILES, LOWER, UPPER, PIT, OUTLIER_P,
            IN_INTERVAL);
    /** The prefix of the model's own answers beside calibrated ones. */
    public static final String RAW_PREFIX = "raw_";
    /** The column metadata key marking a calibrated answer; its value is the method. */
    public static final String CALIBRATED = "calibrated";

    private MixtureScores() {
    }

    /**
     * Input {@code keep} columns plus the score columns for every row of {@code input} (features in
     * {@link Columns#X}; labels, when present, in {@link Columns#Y}).
     */
    public static Dataset<Row> score(Dataset<Row> input, List<String> keep, MdnModel model, Scoring scoring) {
        boolean labelled = List.of(input.columns()).contains(Columns.Y);
        Scoring calibrated = scoring.calibratedBy(model.calibration() == null ? null
                : model.calibration().conformal());
        String method = calibrated.conformal() == null ? null : calibrated.conformal().method().id();
        int d = model.options().outputDim();
        StructType schema = schema(MixtureInference.keptSchema(input, keep), d, labelled, scoring.mode(), method);
        MixtureInference.checkNoClash(keep,
                List.of(schema(new StructType(), d, labelled, scoring.mode(), method).fieldNames()));
        ModelBroadcast broadcast = MixtureInference.broadcast(input, model);
        int keepCount = keep.size();
        List<String> passed = new ArrayList<>(keep);
        if (labelled) {
            passed.add(Columns.Y);
        }
        int yIndex = labelled ? keepCount : -1;
        Dataset<Row> scored = input.select(MixtureInference.selection(passed, Columns.X)).mapPartitions(
                (MapPartitionsFunction<Row, Row>) rows -> MixtureInference.forEachChunk(rows, broadcast.model(),
                        passed.size(), (row, batch, i, out) -> {
                            double[] y = yIndex < 0 ? null : InputTable.doubles(row, yIndex);
                            Scoring.Scores s = calibrated.score(batch.mixture(i), y);
                            out.add(MixtureInference.withValues(row, keepCount, values(s, d, labelled)));
                        }),
                Encoders.row(schema));
        // the row encoder keeps the types but not the fields' metadata: mark the calibrated answers by name
        return scored.select(java.util.Arrays.stream(schema.fields())
                .map(f -> col(MixtureInference.quoted(f.name())).as(f.name(), f.metadata()))
                .toArray(org.apache.spark.sql.Column[]::new));
    }

    /**
     * The score columns' types: numbers for d = 1, arrays by dimension otherwise; with a calibration
     * ({@code method} not null) its answers are marked and the raw ones follow.
     */
    static StructType schema(StructType kept, int d, boolean labelled, boolean withMode, String method) {
        StructType schema = answers(kept, d, labelled, withMode);
        if (method == null) {
            return schema;
        }
        Metadata marked = new MetadataBuilder().putString(CALIBRATED, method).build();
        StructField[] fields = schema.fields().clone();
        for (int i = kept.size(); i < fields.length; i++) {
            if (CALIBRATED_ANSWERS.contains(fields[i].name())) {
                fields[i] = new StructField(fields[i].name(), fields[i].dataType(), fields[i].nullable(), marked);
            }
        }
        StructType all = new StructType(fields);
        for (StructField raw : answers(new StructType(), d, labelled, false).fields()) {
            if (CALIBRATED_ANSWERS.contains(raw.name())) {
                all = all.add(RAW_PREFIX + raw.name(), raw.dataType(), raw.nullable());
            }
        }
        return all;
    }

    private static StructType answers(StructType kept, int d, boolean labelled, boolean withMode) {
        DataType number = DataTypes.DoubleType;
        DataType numbers = DataTypes.createArrayType(number, false);
        DataType perDim = d == 1 ? number : numbers;
        StructType schema = kept.add(MEAN, perDim, false).add(STD, perDim, false);
        if (withMode) {
            schema = schema.add(MODE, perDim, false);
        }
        schema = schema
                .add(QUANTILES, d == 1 ? numbers : DataTypes.createArrayType(numbers, false), false)
                .add(LOWER, perDim, false).add(UPPER, perDim, false);
        if (labelled) {
            schema = schema.add(LOG_LIKELIHOOD, number, false).add(PIT, perDim, false).add(CRPS, perDim, false)
                    .add(OUTLIER_P, perDim, false)
                    .add(IN_INTERVAL, d == 1 ? DataTypes.BooleanType
                            : DataTypes.createArrayType(DataTypes.BooleanType, false), false);
        }
        return schema;
    }

    private static Object[] values(Scoring.Scores s, int d, boolean labelled) {
        List<Object> v = new ArrayList<>(List.of(perDim(s.mean(), d), perDim(s.std(), d)));
        Scoring.Scores raw = s.raw();
        if (s.mode() != null) {
            v.add(perDim(s.mode(), d));
        }
        v.addAll(List.of(d == 1 ? s.quantiles()[0] : s.quantiles(), perDim(s.lower(), d), perDim(s.upper(), d)));
        if (labelled) {
            v.add(s.logLikelihood());
            v.add(perDim(s.pit(), d));
            v.add(perDim(s.crps(), d));
            v.add(perDim(s.outlierP(), d));
            v.add(d == 1 ? (Object) s.inInterval()[0] : s.inInterval());
        }
        if (raw != null) {
            v.addAll(List.of(d == 1 ? raw.quantiles()[0] : raw.quantiles(), perDim(raw.lower(), d),
                    perDim(raw.upper(), d)));
            if (labelled) {
                v.add(perDim(raw.pit(), d));
                v.add(perDim(raw.outlierP(), d));
                v.add(d == 1 ? (Object) raw.inInterval()[0] : raw.inInterval());
            }
        }
        return v.toArray();
    }

    private static Object perDim(double[] values, int d) {
        return d == 1 ? (Object) values[0] : values;
    }
}
