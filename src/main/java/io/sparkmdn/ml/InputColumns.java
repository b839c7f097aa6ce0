package io.sparkmdn.ml;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import io.sparkmdn.spark.Columns;
import io.sparkmdn.spark.InvalidRows;
import io.sparkmdn.util.Checks;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's feature and label columns as the library's {@link Columns#X} and {@link Columns#Y}: arrays of
 * doubles, whatever the column held (an ML Vector, an array of numbers or a number).
 *
 * <p>Training checks every row in one aggregation before any work ({@link #trainingRows}); inference checks
 * each row as it is computed ({@link #checkedValues}), so {@code transform} stays lazy and a bad row fails its
 * task with a message naming the column and the value.
 */
final class InputColumns {

    private static final Logger LOG = LoggerFactory.getLogger(InputColumns.class);

    private InputColumns() {
    }

    /** The training rows: columns {@link Columns#X} and {@link Columns#Y}, every value finite. */
    record TrainingRows(Dataset<Row> data, int inputDim, int outputDim, long rows, long droppedRows) {
    }

    /**
     * Checks that {@code column} exists and holds a Vector, an array of numbers or a number.
     *
     * @param role what the column is for, in messages: "features" or "label"
     */
    static void checkType(StructType schema, String column, String role) {
        StructField field = field(schema, column, role);
        DataType type = field.dataType();
        boolean ok = type.equals(SQLDataTypes.VectorType()) || type instanceof NumericType
                || type instanceof ArrayType a && a.elementType() instanceof NumericType;
        Checks.checkArgument(ok, "Column '%s' (%s) has type %s; expected an ML Vector (e.g. from VectorAssembler), "
                + "an array of numbers or a number", column, role, type.simpleString());
    }

    /** Fails unless none of {@code names} is a column of {@code schema}. */
    static void checkAbsent(StructType schema, List<String> names, String why) {
        for (String name : names) {
            Checks.checkArgument(!Arrays.asList(schema.fieldNames()).contains(name),
                    "Input column '%s' clashes with %s", name, why);
        }
    }

    /** {@code column} as array&lt;double&gt; (null stays null); its type must pass {@link #checkType}. */
    static Column values(StructType schema, String column, String role) {
        checkType(schema, column, role);
        DataType type = schema.apply(column).dataType();
        Column c = col(quoted(column));
        if (type.equals(SQLDataTypes.VectorType())) {
            return org.apache.spark.ml.functions.vector_to_array(c, "float64");
        }
        return type instanceof ArrayType ? c.cast("array<double>") : when(c.isNotNull(), array(c.cast("double")));
    }

    /**
     * {@code column} as array&lt;double&gt;, failing the task that meets a row whose value is null, holds a
     * null, NaN or infinite value, or has other than {@code dim} values.
     */
    static Column checkedValues(StructType schema, String column, String role, int dim) {
        Column v = values(schema, column, role);
        Column bad = invalid(v).or(size(v).notEqual(dim));
        Column message = concat(lit("Invalid " + role + " in column '" + column + "': "),
                coalesce(v.cast("string"), lit("null")),
                lit(" (the model needs " + dim + " finite value" + (dim == 1 ? "" : "s") + " per row)"));
        return when(bad, raise_error(message)).otherwise(v);
    }

    /**
     * The rows of {@code data} as training input, after counting in one aggregation the rows whose features or
     * label are null, NaN or infinite: with {@link InvalidRows#FAIL} any such row fails the fit with the count
     * per column and an example; with {@link InvalidRows#DROP} they are dropped and counted. Every valid row
     * must have as many features (and label values) as every other.
     */
    static TrainingRows trainingRows(Dataset<Row> data, String featuresCol, String labelCol, InvalidRows mode) {
        StructType schema = data.schema();
        Column x = values(schema, featuresCol, "features");
        Column y = values(schema, labelCol, "label");
        Column xBad = invalid(x);
        Column yBad = invalid(y);
        Column bad = xBad.or(yBad);
        data.sparkSession().sparkContext().setJobDescription(
                "MixtureDensityRegressor: check columns '" + featuresCol + "' and '" + labelCol + "'");
        Row counts = data.select(
                count(lit(1)),
                count(when(bad, true)),
                count(when(xBad, true)),
                count(when(yBad, true)),
                first(when(bad, struct(col(quoted(featuresCol)), col(quoted(labelCol)))), true),
                min(when(not(bad), size(x))), max(when(not(bad), size(x))),
                min(when(not(bad), size(y))), max(when(not(bad), size(y)))).first();
        long total = counts.getLong(0);
        long badRows = counts.getLong(1);
        Checks.checkArgument(total > 0, "No rows to fit: the input is empty");
        if (badRows > 0) {
            long badX = counts.getLong(2);
            long badY = counts.getLong(3);
            String problems = problem(featuresCol, badX) + (badX > 0 && badY > 0 ? ", " : "")
                    + problem(labelCol, badY);
            String example = String.valueOf(counts.getStruct(4));
            Checks.checkArgument(mode == InvalidRows.DROP,
                    "%s of %s rows are invalid: %s (e.g. row %s); fix them or set handleInvalid to 'skip'",
                    badRows, total, problems, example);
            Checks.checkArgument(badRows < total, "All %s rows are invalid: %s (e.g. row %s)", total, problems, example);
            LOG.warn("Skipping {} of {} rows as invalid: {} (e.g. row {})", badRows, total, problems, example);
        }
        int dx = sameLength(counts, 5, featuresCol, "features");
        int dy = sameLength(counts, 7, labelCol, "label values");
        Dataset<Row> xy = data.select(x.as(Columns.X), y.as(Columns.Y));
        if (badRows > 0) {
            xy = xy.where(not(invalid(col(Columns.X)).or(invalid(col(Columns.Y)))));
        }
        return new TrainingRows(xy, dx, dy, total - badRows, badRows);
    }

    /** "column 'features' is null or holds NaN or ±Infinity in 3 rows", or "" for no rows. */
    private static String problem(String column, long rows) {
        return rows == 0 ? "" : String.format("column '%s' is null or holds null, NaN or ±Infinity in %s row%s",
                column, rows, rows == 1 ? "" : "s");
    }

    /** The length all valid rows share (min and max at {@code index}, {@code index + 1} of {@code counts}). */
    private static int sameLength(Row counts, int index, String column, String what) {
        int least = counts.getInt(index);
        int most = counts.getInt(index + 1);
        Checks.checkArgument(least == most, "Column '%s' holds between %s and %s %s per row; every row needs the same"
                + " number", column, least, most, what);
        Checks.checkArgument(least > 0, "Column '%s' holds no values; at least one per row is needed", column);
        return least;
    }

    /** True where the array is null or holds a null, NaN or infinite value; never null. */
    private static Column invalid(Column values) {
        return coalesce(values.isNull().or(exists(values, v -> v.isNull().or(isnan(v))
                .or(v.equalTo(Double.POSITIVE_INFINITY)).or(v.equalTo(Double.NEGATIVE_INFINITY)))), lit(true));
    }

    private static StructField field(StructType schema, String column, String role) {
        List<String> names = Arrays.asList(schema.fieldNames());
        Checks.checkArgument(names.contains(column), "Column '%s' (%s) not found; the input's columns are: %s",
                column, role, String.join(", ", names));
        return schema.apply(column);
    }

    /** {@code name} quoted for Spark's column parser, so names with dots or spaces stay one top-level column. */
    static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
