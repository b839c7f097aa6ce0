package io.sparkmdn.input;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import io.sparkmdn.util.Checks;
import io.sparkmdn.util.Names;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
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
 */
public final class InputTable {

    /** The added column holding x: {@code array<double>} of length d_x. */
    public static final String FEATURES_COLUMN = "__x";

    /** The added column holding y: {@code array<double>} of length d_y, present only with label columns. */
    public static final String LABELS_COLUMN = "__y";

    /** The local property behind {@link SparkContext#setJobDescription} (private in SparkContext). */
    private static final String JOB_DESCRIPTION = "spark.job.description";

    private static final Logger LOG = LoggerFactory.getLogger(InputTable.class);

    /** How many values of an array an example row shows. */
    private static final int EXAMPLE_VALUES = 8;

    /** How many distinct widths of an array column a message lists. */
    private static final int WIDTHS_SHOWN = 5;

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
        if (source.path() == null) {
            try {
                sc.setJobDescription("read input " + source.describe());
                Dataset<Row> table = catalogOrQuery(spark, source);
                Validated v = validate(table, source.describe(), request, model);
                InputFingerprint fingerprint = new InputFingerprint(List.of(), 0, v.total(), table.schema().toDDL());
                return new PreparedInput(v.data(), v.columns().withSource(source), v.total() - v.dropped(),
                        v.dropped(), fingerprint);
            } finally {
                sc.setJobDescription(previousDescription);
            }
        }
        try {
            FileStatus[] matches = existingInput(spark, source.path());
            String format = source.format() != null ? source.format() : formatOf(spark, source.path(), matches);
            sc.setJobDescription("read input " + source.path());
            Dataset<Row> table = load(spark, source, format);
            Checks.checkArgument(table.schema().fields().length > 0, "Input %s has no rows (and no columns)",
                    source.path());
            if (format.equals("csv") && !hasUnparsedColumn(table) && table.isEmpty()) {
                // CSV types are inferred from the rows, so a header-only file reads as string columns
                throw new IllegalArgumentException("Input " + source.path() + " has no rows");
            }
            Validated v;
            try {
                v = validate(table, source.path(), request, model);
            } catch (SampledTypesDoNotFit e) {
                LOG.info("{} of {}'s rows do not parse with the types of its first {} lines; inferring the types "
                        + "from all rows", e.rows, source.path(), CSV_SAMPLE_LINES);
                table = csvInferringFromAllRows(spark, source.path());
                v = validate(table, source.path(), request, model);
            }
            InputFingerprint fingerprint = new InputFingerprint(
                    Arrays.stream(matches).map(m -> m.getPath().toString()).sorted().toList(),
                    bytes(spark, matches), v.total(), withoutUnparsedColumn(table).schema().toDDL());
            return new PreparedInput(v.data(), v.columns().withSource(source), v.total() - v.dropped(),
                    v.dropped(), fingerprint);
        } finally {
            sc.setJobDescription(previousDescription);
        }
    }

    /** Whether the table at {@code source} has every one of {@code columns} (as Spark matches names; reads no rows). */
    public static boolean hasColumns(SparkSession spark, InputSource source, List<String> columns) {
        Dataset<Row> table;
        if (source.path() != null) {
            FileStatus[] matches = existingInput(spark, source.path());
            table = load(spark, source, source.format() != null ? source.format()
                    : formatOf(spark, source.path(), matches));
        } else {
            table = catalogOrQuery(spark, source);
        }
        boolean caseSensitive = Boolean.parseBoolean(spark.conf().get("spark.sql.caseSensitive", "false"));
        List<String> names = Arrays.asList(table.columns());
        return columns.stream().allMatch(c -> names.stream()
                .anyMatch(n -> caseSensitive ? n.equals(c) : n.equalsIgnoreCase(c)));
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
        String owner = owner(role, requested, model);
        List<ColumnSpec> out = new ArrayList<>();
        for (ColumnSpec column : requested) {
            StructField field = field(schema, caseSensitive, name, owner, column.name());
            ColumnType type = typeOf(field.dataType());
            if (type == null) {
                throw new IllegalArgumentException(String.format(
                        "Column '%s' of %s has type %s in %s; expected a number, an array of numbers or an ML "
                                + "vector%s", field.name(), owner, field.dataType().simpleString(), name,
                        field.dataType().simpleString().equals("string")
                                ? " (in CSV, one non-numeric value makes the whole column a string)" : ""));
            }
            if (column.type() != null && !type.compatibleWith(column.type())) {
                throw new IllegalArgumentException(String.format(
                        "Column '%s' of %s is %s (%s) in %s; the model expects %s", field.name(), owner,
                        article(type), field.dataType().simpleString(), name, expectation(column)));
            }
            int width = type == ColumnType.NUMBER ? 1 : column.type() == null ? 0 : column.width();
            out.add(new ColumnSpec(field.name(), type, width));
        }
        return List.copyOf(out);
    }

    /** The resolved columns as one {@code array<double>} (null where a value is null). */
    public static Column values(List<ColumnSpec> columns) {
        List<Column> parts = columns.stream().map(InputTable::values).toList();
        return parts.size() == 1 ? parts.get(0) : concat(parts.toArray(Column[]::new));
    }

    /**
     * The resolved columns as one {@code array<double>} that fails the task meeting a row whose values are null,
     * NaN or infinite or are not {@code dim} in all: checks that cost nothing until rows are computed, for the ML
     * model's lazy {@code transform}.
     */
    public static Column checkedValues(List<ColumnSpec> columns, int dim, String role) {
        Column v = values(columns);
        Column bad = invalid(v).or(size(v).notEqual(dim));
        String names = columns.stream().map(ColumnSpec::name).collect(Collectors.joining(", "));
        Column message = concat(lit("Invalid " + role + " in column" + (columns.size() == 1 ? " '" : "s [")
                        + names + (columns.size() == 1 ? "'" : "]") + ": "), coalesce(v.cast("string"), lit("null")),
                lit(" (the model needs " + dim + " finite value" + (dim == 1 ? "" : "s") + " per row)"));
        return when(bad, raise_error(message)).otherwise(v);
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

    /** What {@link #validate} found: the valid rows with x and y added, the resolved columns, the counts. */
    private record Validated(Dataset<Row> data, InputDescription columns, long total, long dropped) {
    }

    /** One way a row can be invalid, for one column. */
    private record Check(String column, String what, Column when) {
    }

    /** The width a sequence column takes, and how the rows' widths were spread when they differ. */
    private record Width(int width, String spread) {
    }

    private static Validated validate(Dataset<Row> table, String name, InputDescription request,
                                      InputDescription model) {
        SparkSession spark = table.sparkSession();
        boolean caseSensitive = Boolean.parseBoolean(spark.conf().get("spark.sql.caseSensitive", "false"));
        StructType schema = table.schema();
        List<ColumnSpec> features = resolve(schema, caseSensitive, name, "features", request.features(),
                model == null ? null : model.features());
        List<ColumnSpec> labels = resolve(schema, caseSensitive, name, "labels", request.labels(),
                model == null ? null : model.labels());
        List<Check> checks = new ArrayList<>();
        features = widths(table, name, features, checks);
        labels = widths(table, name, labels, checks);
        InputDescription columns = new InputDescription(request.source(), features, labels, request.invalidRows());
        checkDims(columns, model);
        return checkRows(table, name, columns, checks);
    }

    /**
     * The columns with every width known: a recorded width stays; an unknown one becomes the width most rows
     * have. Adds the checks that make a row invalid in each column to {@code checks}.
     */
    private static List<ColumnSpec> widths(Dataset<Row> table, String name, List<ColumnSpec> columns,
                                           List<Check> checks) {
        List<ColumnSpec> out = new ArrayList<>();
        for (ColumnSpec column : columns) {
            Column c = quotedColumn(column.name());
            if (column.type() == ColumnType.NUMBER) {
                Column v = c.cast("double");
                checks.add(new Check(column.name(), "is null", v.isNull()));
                checks.add(new Check(column.name(), "is NaN", isnan(v)));
                checks.add(new Check(column.name(), "is Infinity", v.equalTo(Double.POSITIVE_INFINITY)));
                checks.add(new Check(column.name(), "is -Infinity", v.equalTo(Double.NEGATIVE_INFINITY)));
                out.add(column);
                continue;
            }
            Column values = values(column);
            Width width = column.width() > 0
                    ? new Width(column.width(), "the model's width")
                    : mostCommonWidth(table, name, column, values);
            checks.add(new Check(column.name(), "is null", c.isNull()));
            checks.add(new Check(column.name(), "contains null", anyOf(values, Column::isNull)));
            checks.add(new Check(column.name(), "contains NaN", anyOf(values, v -> isnan(v))));
            checks.add(new Check(column.name(), "contains Infinity",
                    anyOf(values, v -> v.equalTo(Double.POSITIVE_INFINITY))));
            checks.add(new Check(column.name(), "contains -Infinity",
                    anyOf(values, v -> v.equalTo(Double.NEGATIVE_INFINITY))));
            if (width.width() > 0) {
                checks.add(new Check(column.name(), "has a width other than " + width.width() + " ("
                        + width.spread() + ")", c.isNotNull().and(size(values).notEqual(width.width()))));
            }
            out.add(new ColumnSpec(column.name(), column.type(), width.width()));
        }
        return out;
    }

    /** The width most non-null rows of a sequence column have (one aggregation), with the spread when mixed. */
    private static Width mostCommonWidth(Dataset<Row> table, String name, ColumnSpec column, Column values) {
        table.sparkSession().sparkContext().setJobDescription(
                "find the width of column '" + column.name() + "' in " + name);
        List<Row> counts = table.where(values.isNotNull()).groupBy(size(values).as("width")).count()
                .orderBy(desc("count"), col("width")).collectAsList();
        if (counts.isEmpty()) {
            return new Width(0, "");
        }
        int width = counts.get(0).getInt(0);
        String spread = counts.size() == 1 ? "" : counts.stream().limit(WIDTHS_SHOWN)
                .map(r -> "width " + r.getInt(0) + " in " + r.getLong(1) + " row" + (r.getLong(1) == 1 ? "" : "s"))
                .collect(Collectors.joining(", ", "the most common; the column has ",
                        counts.size() > WIDTHS_SHOWN ? ", … (" + counts.size() + " widths)" : ""));
        Checks.checkArgument(width > 0, "Column '%s' of %s holds empty arrays; at least one value per row is needed",
                column.name(), name);
        return new Width(width, spread.isEmpty() ? "the width of every other row" : spread);
    }

    /** Fails when the dimensions differ from the model's (or are zero). */
    private static void checkDims(InputDescription columns, InputDescription model) {
        checkDim("Features", columns.features(), columns.inputDim(), model == null ? 0 : model.inputDim());
        if (columns.hasLabels()) {
            checkDim("Labels", columns.labels(), columns.outputDim(), model == null ? 0 : model.outputDim());
        }
    }

    private static void checkDim(String role, List<ColumnSpec> columns, int dim, int expected) {
        if (dim == 0 || expected == 0) {
            return;
        }
        String described = (columns.size() == 1 ? "column " : "columns ")
                + columns.stream().map(ColumnSpec::describe).collect(Collectors.joining(", "));
        Checks.checkArgument(dim == expected, "%s have %s value%s per row (%s) but the model expects %s", role, dim,
                dim == 1 ? "" : "s", described, expected);
    }

    /** Counts the invalid rows in one aggregation, then fails or skips them as the request says. */
    private static Validated checkRows(Dataset<Row> table, String name, InputDescription columns,
                                       List<Check> rawChecks) {
        List<ColumnSpec> all = new ArrayList<>(columns.features());
        all.addAll(columns.labels());
        List<Check> checks = rawChecks.stream()
                .map(k -> new Check(k.column(), k.what(), coalesce(k.when(), lit(false)))).toList();
        Column invalid = checks.stream().map(Check::when).reduce(Column::or).orElseThrow();

        List<Column> aggregates = new ArrayList<>();
        aggregates.add(count(lit(1)));
        aggregates.add(count(when(invalid, true)));
        aggregates.add(first(when(invalid, struct(all.stream().map(c -> quotedColumn(c.name()))
                .toArray(Column[]::new))), true));
        int firstCheck = aggregates.size();
        checks.forEach(check -> aggregates.add(count(when(check.when(), true))));
        boolean sampledTypes = hasUnparsedColumn(table);
        if (sampledTypes) {
            aggregates.add(count(col(UNPARSED)));
        }
        table.sparkSession().sparkContext().setJobDescription("validate input " + name);
        Row counts = table.select(aggregates.toArray(Column[]::new)).first();
        if (sampledTypes && counts.getLong(aggregates.size() - 1) > 0) {
            throw new SampledTypesDoNotFit(counts.getLong(aggregates.size() - 1));
        }
        table = withoutUnparsedColumn(table);

        long total = counts.getLong(0);
        long bad = counts.getLong(1);
        Checks.checkArgument(total > 0, "Input %s has no rows", name);
        if (bad > 0) {
            String problems = problems(checks, counts, firstCheck);
            String example = formatRow(counts.getStruct(2));
            Checks.checkArgument(columns.invalidRows() == InvalidRows.SKIP,
                    "%s of %s rows in %s are invalid: %s (e.g. row %s); fix them, or skip them "
                            + "(--invalid-rows skip; in Spark ML, handleInvalid 'skip')", bad, total, name, problems, example);
            Checks.checkArgument(bad < total, "All %s rows of %s are invalid: %s (e.g. row %s)",
                    total, name, problems, example);
            LOG.warn("Skipped {} of {} rows of {} as invalid: {} (e.g. row {})", bad, total, name, problems, example);
        }
        Checks.checkState(columns.inputDim() > 0 && (!columns.hasLabels() || columns.outputDim() > 0),
                "Dimension unknown after validating %s", name);
        Dataset<Row> data = bad > 0 ? table.where(not(invalid)) : table;
        data = data.withColumn(FEATURES_COLUMN, values(columns.features()));
        if (columns.hasLabels()) {
            data = data.withColumn(LABELS_COLUMN, values(columns.labels()));
        }
        return new Validated(data, columns, total, bad);
    }

    /** One resolved column as {@code array<double>}. */
    private static Column values(ColumnSpec column) {
        Column c = quotedColumn(column.name());
        return switch (column.type()) {
            case NUMBER -> when(c.isNotNull(), array(c.cast("double")));
            case ARRAY -> c.cast("array<double>");
            case VECTOR -> org.apache.spark.ml.functions.vector_to_array(c, "float64");
        };
    }

    /** The column type of a Spark type, or null for one that holds no numbers. */
    private static ColumnType typeOf(DataType type) {
        if (type instanceof NumericType) {
            return ColumnType.NUMBER;
        }
        if (type instanceof ArrayType a && a.elementType() instanceof NumericType) {
            return ColumnType.ARRAY;
        }
        return type.equals(SQLDataTypes.VectorType()) ? ColumnType.VECTOR : null;
    }

    private static String article(ColumnType type) {
        return switch (type) {
            case NUMBER -> "a number";
            case ARRAY -> "an array of numbers";
            case VECTOR -> "an ML vector";
        };
    }

    private static String expectation(ColumnSpec column) {
        return column.type() == ColumnType.NUMBER ? "a number"
                : "an array or vector of " + column.width() + " number" + (column.width() == 1 ? "" : "s");
    }

    /** "the model's features [time, distance]" or "the features [a, b]", as messages name a role. */
    private static String owner(String role, List<ColumnSpec> requested, List<ColumnSpec> model) {
        List<String> names = InputDescription.names(requested);
        boolean model_ = model != null && names.equals(InputDescription.names(model));
        return (model_ ? "the model's " : "the ") + role + " " + names;
    }

    private static FileStatus[] existingInput(SparkSession spark, String path) {
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            FileStatus[] matches = fs.globStatus(p);
            Checks.checkArgument(matches != null && matches.length > 0, "Input not found: %s", path);
            return matches;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot access input " + path + ": " + e.getMessage(), e);
        }
    }

    private static long bytes(SparkSession spark, FileStatus[] matches) {
        long total = 0;
        try {
            for (FileStatus m : matches) {
                FileSystem fs = m.getPath().getFileSystem(spark.sparkContext().hadoopConfiguration());
                total += fs.getContentSummary(m.getPath()).getLength();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot measure input " + matches[0].getPath() + ": " + e.getMessage(), e);
        }
        return total;
    }

    private static boolean isDeltaTable(SparkSession spark, Path dir) {
        try {
            Path log = new Path(dir, "_delta_log");
            return log.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot access input " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code csv} for a name ending in .csv, {@code delta} for a directory with a transaction log, {@code parquet}
     * for .parquet or another directory (as Spark writes them).
     */
    private static String formatOf(SparkSession spark, String path, FileStatus[] matches) {
        String name = path.replaceAll("/+$", "").toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return "csv";
        }
        if (matches.length == 1 && matches[0].isDirectory() && isDeltaTable(spark, matches[0].getPath())) {
            return "delta";
        }
        if (name.endsWith(".parquet") || Arrays.stream(matches).allMatch(FileStatus::isDirectory)) {
            return "parquet";
        }
        throw new IllegalArgumentException(String.format(
                "Cannot tell the format of input %s from its name (expected a .parquet or .csv file, or a directory);"
                        + " give the format, one of: %s", path, String.join(", ", InputSource.FORMATS)));
    }

    /** A catalog table or view, or a query's result; fails naming the table or the query. */
    private static Dataset<Row> catalogOrQuery(SparkSession spark, InputSource source) {
        try {
            return source.table() != null ? spark.table(source.table()) : spark.sql(source.query());
        } catch (Exception e) {
            // Spark reports a missing table or a bad query as an AnalysisException or a ParseException
            String what = source.table() != null ? "Cannot read table " + source.table()
                    : "Cannot run --query '" + source.query() + "'";
            String first = e.getMessage() == null ? e.toString() : e.getMessage().strip().lines().findFirst().orElse("");
            throw new IllegalArgumentException(what + ": " + first, e);
        }
    }

    private static Dataset<Row> load(SparkSession spark, InputSource source, String format) {
        String path = source.path();
        if (source.schema() != null) {
            Checks.checkArgument(format.equals("csv"), "An input schema is for CSV files; %s is %s", path, format);
        }
        StructType schema = null;
        if (source.schema() != null) {
            try {
                schema = StructType.fromDDL(source.schema());
            } catch (Exception e) {
                throw new IllegalArgumentException("Invalid input schema '" + source.schema()
                        + "' (expected Spark DDL, e.g. 'x DOUBLE, y DOUBLE'): " + e.getMessage(), e);
            }
        }
        try {
            if (format.equals("csv")) {
                if (schema != null) {
                    return spark.read().option("header", "true").schema(schema).csv(path);
                }
                StructType sampled = sampledCsvSchema(spark, path);
                return sampled == null ? csvInferringFromAllRows(spark, path)
                        : spark.read().option("header", "true").option("mode", "PERMISSIVE")
                                .option("columnNameOfCorruptRecord", UNPARSED)
                                .schema(sampled.add(UNPARSED, DataTypes.StringType)).csv(path);
            }
            if (format.equals("delta")) {
                return spark.read().format("delta").load(path);
            }
            return spark.read().parquet(path);
        } catch (Exception e) {
            // Spark reports an unreadable file as an AnalysisException or a SparkException; name the path once.
            throw new IllegalArgumentException("Cannot read input " + path + " as " + format + ": " + e.getMessage(), e);
        }
    }

    /** Lines at the head of a CSV input whose types are taken for the whole input when every row parses. */
    static final int CSV_SAMPLE_LINES = 10_000;

    /** The column a CSV row's text lands in when it does not parse with the sampled types (null otherwise). */
    static final String UNPARSED = "__spark_mdn_unparsed_row";

    /** The rows of a CSV input did not all parse with the types sampled from its head. */
    private static final class SampledTypesDoNotFit extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long rows;

        SampledTypesDoNotFit(long rows) {
            super(rows + " rows do not parse with the sampled types", null, false, false);
            this.rows = rows;
        }
    }

    private static Dataset<Row> csvInferringFromAllRows(SparkSession spark, String path) {
        return spark.read().option("header", "true").option("inferSchema", "true").csv(path);
    }

    /**
     * The column types Spark infers from the first {@link #CSV_SAMPLE_LINES} lines of a CSV input, or null when
     * they cannot stand for the whole input: no data lines in the sample, or a column with no value in it (its
     * type is unknown). Spark's own inference reads every row, a whole extra pass; these types are kept only if
     * every row parses with them, which the validation pass checks at no extra cost ({@link #UNPARSED}), else
     * the input is read again inferring from all rows. Either way the types are those of the full inference:
     * a value that does not fit a sampled type (a decimal in a column of integers, a word in a column of
     * numbers) fails the parse.
     */
    private static StructType sampledCsvSchema(SparkSession spark, String path) {
        List<String> head = spark.read().textFile(path).limit(CSV_SAMPLE_LINES + 1).collectAsList();
        if (head.size() < 2) {
            return null;
        }
        Dataset<Row> sample = spark.read().option("header", "true").option("inferSchema", "true")
                .csv(spark.createDataset(head, Encoders.STRING()));
        StructType schema = sample.schema();
        if (schema.fields().length == 0 || Arrays.asList(schema.fieldNames()).contains(UNPARSED)) {
            return null;
        }
        Column[] present = Arrays.stream(schema.fieldNames()).map(f -> count(quotedColumn(f))).toArray(Column[]::new);
        Row counts = sample.select(present).first();
        for (int i = 0; i < counts.length(); i++) {
            if (counts.getLong(i) == 0) {
                return null;
            }
        }
        return schema;
    }

    private static boolean hasUnparsedColumn(Dataset<Row> table) {
        return Arrays.asList(table.columns()).contains(UNPARSED);
    }

    private static Dataset<Row> withoutUnparsedColumn(Dataset<Row> table) {
        return hasUnparsedColumn(table) ? table.drop(UNPARSED) : table;
    }

    /**
     * The top-level field called {@code column}, matched as Spark resolves names: exactly when case-sensitive,
     * else ignoring case, where two fields that differ only in case make the name ambiguous.
     */
    private static StructField field(StructType schema, boolean caseSensitive, String name, String owner,
                                     String column) {
        StructField[] fields = schema.fields();
        List<StructField> matches = Arrays.stream(fields)
                .filter(f -> caseSensitive ? f.name().equals(column) : f.name().equalsIgnoreCase(column)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        List<String> names = Arrays.stream(fields).map(StructField::name).toList();
        if (matches.size() > 1) {
            throw new IllegalArgumentException(String.format("Column '%s' of %s is ambiguous in %s: columns %s differ "
                            + "only in case; rename one, or set spark.sql.caseSensitive=true", column, owner, name,
                    matches.stream().map(StructField::name).collect(Collectors.joining(", "))));
        }
        String nearest = Names.nearest(column, names);
        throw new IllegalArgumentException(String.format("Column '%s' of %s not found in %s; columns: %s%s", column,
                owner, name, String.join(", ", names), nearest == null ? "" : "; did you mean '" + nearest + "'?"));
    }

    /** True where the array is null or holds a null, NaN or infinite value; never null. */
    private static Column invalid(Column values) {
        return coalesce(values.isNull().or(exists(values, v -> v.isNull().or(isnan(v))
                .or(v.equalTo(Double.POSITIVE_INFINITY)).or(v.equalTo(Double.NEGATIVE_INFINITY)))), lit(true));
    }

    private static Column anyOf(Column array, Function<Column, Column> predicate) {
        return exists(array, predicate::apply);
    }

    /** "column 'x' is NaN in 2 rows, column 'y' is null in 1 row" for the checks that found rows. */
    private static String problems(List<Check> checks, Row counts, int firstCount) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            long n = counts.getLong(firstCount + i);
            if (n > 0) {
                Check check = checks.get(i);
                parts.add(String.format("column '%s' %s in %s row%s", check.column(), check.what(), n,
                        n == 1 ? "" : "s"));
            }
        }
        return String.join(", ", parts);
    }

    /** {@code {x=NaN, a=[1.0, null, 3.0]}}, with long arrays cut after a few values. */
    private static String formatRow(Row row) {
        if (row == null) {
            return "{}";
        }
        String[] names = row.schema().fieldNames();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            parts.add(names[i] + "=" + formatValue(row.get(i)));
        }
        return "{" + String.join(", ", parts) + "}";
    }

    private static String formatValue(Object value) {
        if (value instanceof scala.collection.Seq<?> seq) {
            List<String> shown = new ArrayList<>();
            scala.collection.Iterator<?> it = seq.iterator();
            while (it.hasNext() && shown.size() < EXAMPLE_VALUES) {
                shown.add(String.valueOf(it.next()));
            }
            int n = seq.length();
            return "[" + String.join(", ", shown) + (n > shown.size() ? ", … (" + n + " values)" : "") + "]";
        }
        return String.valueOf(value);
    }

    /** {@code name} as a column, quoted for Spark's parser so names with dots or spaces stay one column. */
    private static Column quotedColumn(String name) {
        return col("`" + name.replace("`", "``") + "`");
    }
}
