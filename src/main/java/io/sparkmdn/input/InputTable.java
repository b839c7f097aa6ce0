package io.sparkmdn.input;

import io.sparkmdn.util.Checks;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reader of users' tables, for the jobs and the Spark ML API alike: reads a source, resolves the named
 * feature and label columns, checks every row in one Spark pass, and adds the arrays x and y the library
 * consumes.
 *
 * <p>Each named column is a number (byte, short, int, long, float, double, decimal), an array of numbers, or a
 * Spark ML vector. The columns are concatenated in the order given and cast to double by Spark SQL expressions
 * (no per-row Java code), so {@code [x1, x2, pixels]} with 3-value arrays gives d_x = 5. A row is invalid when
 * one of its values is null, NaN or infinite, or when an array has another width than the column's: the width a
 * model recorded, or, for training, the width most rows have (a table of mixed widths is reported with the count
 * of each). {@link InvalidRows} says whether invalid rows fail the read or are skipped. Every error names the
 * input, the column, the count and an example row, in the same words for the jobs and the ML API.
 *
 * <p>This class runs the steps; each lives in a class of its own: {@code SourceReader} turns the source into a
 * DataFrame (paths, formats, CSV types, catalog tables and queries), {@code ColumnResolver} finds the named
 * columns in its schema and checks their types, and {@code RowChecks} checks every row.
 */
public final class InputTable {

    /** The added column holding x: {@code array<double>} of length d_x. */
    public static final String FEATURES_COLUMN = "__x";

    /** The added column holding y: {@code array<double>} of length d_y, present only with label columns. */
    public static final String LABELS_COLUMN = "__y";

    /** The local property behind {@link SparkContext#setJobDescription} (private in SparkContext). */
    private static final String JOB_DESCRIPTION = "spark.job.description";

    private static final Logger LOG = LoggerFactory.getLogger(InputTable.class);

    private InputTable() {
    }

    /**
     * Reads {@code request.source()}, checks the named columns and every row, and returns the valid rows with
     * {@value #FEATURES_COLUMN} (and {@value #LABELS_COLUMN}) added.
     *
     * @param model the columns of the model the input is for (their widths, and d_x, d_y), or null for training
     * @throws IllegalArgumentException for a missing path, an unknown format, a missing, ambiguous or non-numeric
     *                                  column, a column or dimension other than the model's, no rows, or invalid
     *                                  rows under {@link InvalidRows#ERROR} (all rows invalid under
     *                                  {@link InvalidRows#SKIP})
     */
    public static PreparedInput read(SparkSession spark, InputDescription request, InputDescription model) {
        InputSource source = request.source();
        Checks.checkArgument(source != null, "No input source given");
        SparkContext sc = spark.sparkContext();
        String previousDescription = sc.getLocalProperty(JOB_DESCRIPTION);
        try {
            return source.path() == null ? readCatalogOrQuery(spark, request, model) : readFiles(spark, request, model);
        } finally {
            sc.setJobDescription(previousDescription);
        }
    }

    /** Whether the table at {@code source} has every one of {@code columns} (as Spark matches names; reads no rows). */
    public static boolean hasColumns(SparkSession spark, InputSource source, List<String> columns) {
        Dataset<Row> table = SourceReader.table(spark, source);
        return ColumnResolver.hasAll(table.columns(), ColumnResolver.caseSensitive(spark), columns);
    }

    /**
     * Checks the named columns and every row of a table already in hand (the ML API's DataFrame) as
     * {@link #read} does; {@code name} stands for the table in messages.
     */
    public static PreparedInput prepare(Dataset<Row> table, String name, InputDescription request,
                                        InputDescription model) {
        Validated v = validate(table, name, request, model);
        InputFingerprint fingerprint = new InputFingerprint(List.of(), 0, v.total(), table.schema().toDDL());
        return new PreparedInput(v.data(), v.columns(), v.total() - v.dropped(), v.dropped(), fingerprint);
    }

    /**
     * Resolves {@code requested} against {@code schema} without reading rows: each column must exist (once, as
     * Spark matches names) and hold numbers, arrays of numbers or vectors of the type the model recorded. Widths
     * stay as requested (0 where unknown).
     *
     * @param name  the table, in messages
     * @param role  {@code features} or {@code labels}
     * @param model the model's columns of that role, or null
     */
    public static List<ColumnSpec> resolve(StructType schema, boolean caseSensitive, String name, String role,
                                           List<ColumnSpec> requested, List<ColumnSpec> model) {
        return ColumnResolver.resolve(schema, caseSensitive, name, role, requested, model);
    }

    /** The resolved columns as one {@code array<double>} (null where a value is null). */
    public static Column values(List<ColumnSpec> columns) {
        return ColumnResolver.values(columns);
    }

    /**
     * The resolved columns as one {@code array<double>} that fails the task meeting a row whose values are null,
     * NaN or infinite or are not {@code dim} in all: checks that cost nothing until rows are computed, for the ML
     * model's lazy {@code transform}.
     */
    public static Column checkedValues(List<ColumnSpec> columns, int dim, String role) {
        return RowChecks.checkedValues(columns, dim, role);
    }

    /**
     * The values of an {@code array<double>} field of {@code row} (such as {@value #FEATURES_COLUMN}) as a new
     * {@code double[]}, unboxing element by element only when Spark hands the array over boxed.
     *
     * @throws IllegalArgumentException if the field or one of its elements is null
     */
    public static double[] doubles(Row row, int fieldIndex) {
        Object value = row.get(fieldIndex);
        Checks.checkArgument(value != null, "Array field %s is null in row %s", fieldIndex, row);
        if (value instanceof double[] values) {
            return values.clone();
        }
        if (value instanceof scala.collection.mutable.WrappedArray.ofDouble values) {
            return values.array().clone();
        }
        if (value instanceof scala.collection.Seq<?> seq) {
            double[] out = new double[seq.length()];
            scala.collection.Iterator<?> it = seq.iterator();
            for (int i = 0; i < out.length; i++) {
                out[i] = number(it.next(), fieldIndex, row);
            }
            return out;
        }
        if (value instanceof List<?> list) {
            double[] out = new double[list.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = number(list.get(i), fieldIndex, row);
            }
            return out;
        }
        throw new IllegalArgumentException(String.format("Field %s of row %s is a %s, not an array of doubles",
                fieldIndex, row, value.getClass().getName()));
    }

    private static double number(Object element, int fieldIndex, Row row) {
        Checks.checkArgument(element != null, "Array field %s contains null in row %s", fieldIndex, row);
        return ((Number) element).doubleValue();
    }

    /** A catalog table or a query's result, read and validated. */
    private static PreparedInput readCatalogOrQuery(SparkSession spark, InputDescription request,
                                                    InputDescription model) {
        InputSource source = request.source();
        spark.sparkContext().setJobDescription("read input " + source.describe());
        Dataset<Row> table = SourceReader.catalogOrQuery(spark, source);
        Validated v = validate(table, source.describe(), request, model);
        InputFingerprint fingerprint = new InputFingerprint(List.of(), 0, v.total(), table.schema().toDDL());
        return new PreparedInput(v.data(), v.columns().withSource(source), v.total() - v.dropped(), v.dropped(),
                fingerprint);
    }

    /**
     * The files at a path, read and validated; a CSV input read with types sampled from its head is read again
     * with the types of all rows when some rows do not parse with them.
     */
    private static PreparedInput readFiles(SparkSession spark, InputDescription request, InputDescription model) {
        InputSource source = request.source();
        String path = source.path();
        FileStatus[] matches = SourceReader.existingInput(spark, path);
        String format = source.format() != null ? source.format() : SourceReader.formatOf(spark, path, matches);
        spark.sparkContext().setJobDescription("read input " + path);
        Dataset<Row> table = SourceReader.load(spark, source, format);
        SourceReader.checkHasRows(table, path, format);
        Validated v;
        try {
            v = validate(table, path, request, model);
        } catch (SourceReader.SampledTypesDoNotFit e) {
            LOG.info("{} of {}'s rows do not parse with the types of its first {} lines; inferring the types "
                    + "from all rows", e.rows, path, SourceReader.CSV_SAMPLE_LINES);
            table = SourceReader.csvInferringFromAllRows(spark, path);
            v = validate(table, path, request, model);
        }
        InputFingerprint fingerprint = new InputFingerprint(
                Arrays.stream(matches).map(m -> m.getPath().toString()).sorted().toList(),
                SourceReader.bytes(spark, matches), v.total(),
                SourceReader.withoutUnparsedColumn(table).schema().toDDL());
        return new PreparedInput(v.data(), v.columns().withSource(source), v.total() - v.dropped(), v.dropped(),
                fingerprint);
    }

    /** What {@link #validate} found: the valid rows with x and y added, the resolved columns, the counts. */
    private record Validated(Dataset<Row> data, InputDescription columns, long total, long dropped) {
    }

    /** Resolves the columns, learns the widths the model does not give, checks every row, and adds x and y. */
    private static Validated validate(Dataset<Row> table, String name, InputDescription request,
                                      InputDescription model) {
        boolean caseSensitive = ColumnResolver.caseSensitive(table.sparkSession());
        StructType schema = table.schema();
        List<ColumnSpec> features = ColumnResolver.resolve(schema, caseSensitive, name, "features",
                request.features(), model == null ? null : model.features());
        List<ColumnSpec> labels = ColumnResolver.resolve(schema, caseSensitive, name, "labels", request.labels(),
                model == null ? null : model.labels());
        RowChecks checks = new RowChecks(table, name);
        features = checks.withWidths(features);
        labels = checks.withWidths(labels);
        InputDescription columns = new InputDescription(request.source(), features, labels, request.invalidRows());
        ColumnResolver.checkDims(columns, model);
        RowChecks.ValidRows valid = checks.validRows(columns);
        Dataset<Row> data = valid.rows().withColumn(FEATURES_COLUMN, ColumnResolver.values(columns.features()));
        if (columns.hasLabels()) {
            data = data.withColumn(LABELS_COLUMN, ColumnResolver.values(columns.labels()));
        }
        return new Validated(data, columns, valid.total(), valid.dropped());
    }
}
