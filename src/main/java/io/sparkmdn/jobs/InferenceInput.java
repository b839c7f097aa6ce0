package io.sparkmdn.jobs;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.sparkmdn.input.InputFingerprint;
import io.sparkmdn.input.InputSource;
import io.sparkmdn.input.InputTable;
import io.sparkmdn.input.PreparedInput;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.spark.Columns;
import io.sparkmdn.util.Checks;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where the x of an inference job come from: a table, read through the model's own feature columns (by name,
 * in any order, among any others), or an evenly spaced grid for 1-D x.
 */
public final class InferenceInput {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Mixin InputOptions input;

    @Option(names = "--keep-columns", split = ",", paramLabel = "COLS",
            description = "Input columns copied to the output; default: the feature columns.")
    List<String> keepColumns;

    static final class Source {
        @Option(names = "--input", description = "Table of x (Parquet or CSV).")
        String path;
        @Option(names = "--grid", paramLabel = "LO:HI:N", description = "N evenly spaced x from LO to HI (1-D x).")
        String grid;
        @Option(names = "--table", paramLabel = "NAME", description = "A table or view of Spark's catalog.")
        String table;
        @Option(names = "--query", paramLabel = "SQL", description = "A Spark SQL query whose result holds x.")
        String query;
    }

    /**
     * The rows to run the model on, with the features in {@link Columns#X}.
     *
     * @param data        the valid rows: the input's columns plus {@link Columns#X}
     * @param keep        the columns an output copies from the input
     * @param columns     the input's own columns (without the ones the library adds)
     * @param fingerprint what identifies the input table; null for a grid
     * @param droppedRows invalid rows skipped
     */
    record Rows(Dataset<Row> data, List<String> keep, List<String> columns, InputFingerprint fingerprint,
                long droppedRows) {
    }

    /** The input table's path, or null for a grid. */
    String path() {
        return source.path;
    }

    /** The input as a manifest names it: the path, the grid, the table or the query. */
    String describe() {
        return source.grid != null ? "grid " + source.grid : tableSource().describe();
    }

    private InputSource tableSource() {
        return source.path != null ? input.source(source.path)
                : new InputSource(null, null, null, source.table, source.query);
    }

    /** The rows to run the model on and the output's pass-through columns. */
    Rows read(SparkSession spark, MdnModel model) {
        return read(spark, model, false, null);
    }

    /**
     * The rows to run the model on, with the labels in {@link Columns#Y} too when {@code withLabels} and the
     * table has every label column ({@code labels}, else the model's own).
     */
    Rows read(SparkSession spark, MdnModel model, boolean withLabels, List<String> labels) {
        if (source.grid == null) {
            InputSource table = tableSource();
            boolean labelled = withLabels && InputTable.hasColumns(spark, table,
                    labels != null ? labels : model.columns().labelNames());
            PreparedInput prepared = InputTable.read(spark,
                    input.forModel(table, model.columns(), labelled, labels), model.columns());
            List<String> own = Arrays.stream(prepared.data().columns())
                    .filter(c -> !c.equals(Columns.X) && !c.equals(Columns.Y)).toList();
            return new Rows(prepared.data(), keepColumns != null ? keepColumns : prepared.columns().featureNames(),
                    own, prepared.fingerprint(), prepared.droppedRows());
        }
        return new Rows(grid(spark, model), List.of("x"), List.of("x"), null, 0);
    }

    private Dataset<Row> grid(SparkSession spark, MdnModel model) {
        Checks.checkArgument(model.options().inputDim() == 1,
                "--grid needs a model with 1-D x; this model has d_x = %s", model.options().inputDim());
        String[] parts = source.grid.split(":");
        Checks.checkArgument(parts.length == 3, "Invalid --grid '%s' (expected LO:HI:N, e.g. -1:1:201)", source.grid);
        double lo;
        double hi;
        long n;
        try {
            lo = Double.parseDouble(parts[0]);
            hi = Double.parseDouble(parts[1]);
            n = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid --grid '" + source.grid + "' (expected LO:HI:N, e.g. -1:1:201)");
        }
        Checks.checkArgument(n >= 2 && Double.isFinite(lo) && Double.isFinite(hi) && lo < hi,
                "Invalid --grid '%s' (need LO < HI and N >= 2)", source.grid);
        double step = (hi - lo) / (n - 1);
        Dataset<Row> x = spark.range(n).select(lit(lo).plus(col("id").multiply(step)).as("x"));
        return x.withColumn(Columns.X, array(col("x")));
    }
}
