package io.sparkmdn.spark;

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
import org.apache.spark.sql.types.StructType;

/**
 * Per-row answers about each row's predicted distribution, on the executors in plain Java and in the user's
 * units ({@link Scoring}): {@code mean}, {@code std}, {@code mode} (unless the scoring leaves it out),
 * {@code quantiles}, {@code lower} and {@code upper} always, and with the label ({@link Columns#Y} present) {@code log_likelihood}, {@code pit},
 * {@code crps}, {@code outlier_p} and {@code in_interval}. For d_y = 1 each is a number (quantiles an array by
 * level); for d_y > 1 each per-dimension answer is an array by dimension (quantiles an array by dimension of
 * arrays by level), and {@code log_likelihood} is the joint one.
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

    private MixtureScores() {
    }

    /**
     * Input {@code keep} columns plus the score columns for every row of {@code input} (features in
     * {@link Columns#X}; labels, when present, in {@link Columns#Y}).
     */
    public static Dataset<Row> score(Dataset<Row> input, List<String> keep, MdnModel model, Scoring scoring) {
        boolean labelled = List.of(input.columns()).contains(Columns.Y);
        List<String> outputs = new ArrayList<>(ALWAYS);
        if (!scoring.mode()) {
            outputs.remove(MODE);
        }
        if (labelled) {
            outputs.addAll(WITH_LABELS);
        }
        MixtureInference.checkNoClash(keep, outputs);
        int d = model.options().outputDim();
        StructType schema = schema(MixtureInference.keptSchema(input, keep), d, labelled, scoring.mode());
        ModelBroadcast broadcast = MixtureInference.broadcast(input, model);
        int keepCount = keep.size();
        List<String> passed = new ArrayList<>(keep);
        if (labelled) {
            passed.add(Columns.Y);
        }
        int yIndex = labelled ? keepCount : -1;
        return input.select(MixtureInference.selection(passed, Columns.X)).mapPartitions(
                (MapPartitionsFunction<Row, Row>) rows -> MixtureInference.forEachChunk(rows, broadcast.model(),
                        passed.size(), (row, batch, i, out) -> {
                            double[] y = yIndex < 0 ? null : InputTable.doubles(row, yIndex);
                            Scoring.Scores s = scoring.score(batch.mixture(i), y);
                            out.add(MixtureInference.withValues(row, keepCount, values(s, d, labelled)));
                        }),
                Encoders.row(schema));
    }

    /** The score columns' types: numbers for d = 1, arrays by dimension otherwise. */
    static StructType schema(StructType kept, int d, boolean labelled, boolean withMode) {
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
        return v.toArray();
    }

    private static Object perDim(double[] values, int d) {
        return d == 1 ? (Object) values[0] : values;
    }
}
