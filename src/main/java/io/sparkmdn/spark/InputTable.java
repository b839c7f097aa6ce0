package io.sparkmdn.spark;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import io.sparkmdn.util.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a user's table and adds the feature array x and label array y that the jobs consume, after checking
 * every row in one Spark pass.
 *
 * <p>Each named column is a numeric scalar (byte, short, int, long, float, double, decimal), contributing one
 * value, or an array of numbers, contributing as many values as its first non-null row has. The columns are
 * concatenated in the order given and cast to double by Spark SQL expressions (no per-row Java code), so
 * {@code [x1, x2, pixels]} with a 3-value array gives d_x = 5. A row is invalid when one of its values is null,
 * NaN or infinite, or when an array has another length than that first row; {@link InvalidRows} says whether
 * that fails the read or drops the row. Every error names the path, the column, the count and an example row.
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

    private InputTable() {
    }

    /**
     * Reads {@code spec.path()}, checks the named columns and every row, and returns the valid rows with
     * {@value #FEATURES_COLUMN} (and {@value #LABELS_COLUMN}) added.
     *
     * @param expectedInputDim  d_x a model requires, or empty to take it from the data
     * @param expectedOutputDim d_y a model requires, or empty to take it from the data; ignored without labels
     * @throws IllegalArgumentException for a missing path, an unknown format, a missing or non-numeric column, a
     *                                  dimension other than the expected one, no rows, or invalid rows under
     *                                  {@link InvalidRows#FAIL} (all rows invalid under {@link InvalidRows#DROP})
     */
    public static PreparedInput read(SparkSession spark, InputSpec spec, OptionalInt expectedInputDim,
                                     OptionalInt expectedOutputDim) {
        String path = spec.path();
        SparkContext sc = spark.sparkContext();
        String previousDescription = sc.getLocalProperty(JOB_DESCRIPTION);
        try {
            FileStatus[] matches = existingInput(spark, path);
            String format = spec.format() != null ? spec.format() : formatOf(path, matches);
            sc.setJobDescription("read input " + path);
            Dataset<Row> table = load(spark, path, format);
            Checks.checkArgument(table.schema().fields().length > 0, "Input %s has no rows (and no columns)", path);
            Block x = block(spark, table, path, format, "Features", spec.features(), expectedInputDim);
            Block y = spec.hasLabels()
                    ? block(spark, table, path, format, "Labels", spec.labels(), expectedOutputDim) : null;
            return prepare(table, spec, x, y);
        } finally {
            sc.setJobDescription(previousDescription);
        }
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

    /** One named input column: its name in the table, and 1 for a scalar or the reference length of an array. */
    private record Source(String name, boolean isArray, int length) {

        Column column() {
            return col(quoted(name));
        }

        /** The column as {@code array<double>}. */
        Column values() {
            return isArray ? column().cast("array<double>") : array(column().cast("double"));
        }

        String describe() {
            return isArray ? name + "[" + length + "]" : name;
        }
    }

    /** The columns that make up x or y, and their total dimension (-1 while an array column has no non-null row). */
    private record Block(List<Source> sources, int dim) {

        Column values() {
            List<Column> parts = sources.stream().map(Source::values).toList();
            return parts.size() == 1 ? parts.get(0) : concat(parts.toArray(Column[]::new));
        }
    }

    /** One way a row can be invalid, for one column. */
    private record Check(String column, String what, Column when) {
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

    /** {@code csv} for a name ending in .csv, {@code parquet} for .parquet or a directory (as Spark writes them). */
    private static String formatOf(String path, FileStatus[] matches) {
        String name = path.replaceAll("/+$", "").toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return "csv";
        }
        if (name.endsWith(".parquet") || Arrays.stream(matches).allMatch(FileStatus::isDirectory)) {
            return "parquet";
        }
        throw new IllegalArgumentException(String.format(
                "Cannot tell the format of input %s from its name (expected a .parquet or .csv file, or a directory);"
                        + " give the format, one of: %s", path, String.join(", ", InputSpec.FORMATS)));
    }

    private static Dataset<Row> load(SparkSession spark, String path, String format) {
        try {
            if (format.equals("csv")) {
                return spark.read().option("header", "true").option("inferSchema", "true").csv(path);
            }
            return spark.read().parquet(path);
        } catch (Exception e) {
            // Spark reports an unreadable file as an AnalysisException or a SparkException; name the path once.
            throw new IllegalArgumentException("Cannot read input " + path + " as " + format + ": " + e.getMessage(), e);
        }
    }

    /** Resolves {@code names} to typed sources, finds the length of each array column and checks the dimension. */
    private static Block block(SparkSession spark, Dataset<Row> table, String path, String format, String role,
                               List<String> names, OptionalInt expectedDim) {
        List<Source> sources = new ArrayList<>();
        int dim = 0;
        for (String name : names) {
            StructField field = field(spark, table, path, name);
            DataType type = field.dataType();
            boolean isArray = type instanceof ArrayType a && a.elementType() instanceof NumericType;
            if (!isArray && !(type instanceof NumericType)) {
                // CSV types are inferred from the rows, so a header-only file reads as string columns.
                Checks.checkArgument(!format.equals("csv") || !table.isEmpty(), "Input %s has no rows", path);
                throw new IllegalArgumentException(String.format(
                        "Column '%s' has type %s; expected a numeric column or an array of numbers%s", field.name(),
                        type.simpleString(), format.equals("csv")
                                ? " (in CSV, one non-numeric value makes the whole column a string)" : ""));
            }
            int length = isArray ? firstLength(table, path, field.name()) : 1;
            sources.add(new Source(field.name(), isArray, length));
            dim = dim < 0 || length < 0 ? -1 : dim + length;
        }
        if (dim >= 0) {
            String columns = (sources.size() == 1 ? "column " : "columns ")
                    + sources.stream().map(Source::describe).collect(Collectors.joining(", "));
            Checks.checkArgument(dim > 0, "%s have no values per row (%s); at least one is needed", role, columns);
            if (expectedDim.isPresent()) {
                Checks.checkArgument(dim == expectedDim.getAsInt(),
                        "%s have %s value%s per row (%s) but the model expects %s", role, dim, dim == 1 ? "" : "s",
                        columns, expectedDim.getAsInt());
            }
        }
        return new Block(List.copyOf(sources), dim);
    }

    /** The top-level field called {@code name}, matched as Spark resolves names (case-insensitive by default). */
    private static StructField field(SparkSession spark, Dataset<Row> table, String path, String name) {
        StructField[] fields = table.schema().fields();
        boolean caseSensitive = Boolean.parseBoolean(spark.conf().get("spark.sql.caseSensitive", "false"));
        List<StructField> matches = Arrays.stream(fields)
                .filter(f -> caseSensitive ? f.name().equals(name) : f.name().equalsIgnoreCase(name)).toList();
        for (StructField f : matches) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        List<String> names = Arrays.stream(fields).map(StructField::name).toList();
        String nearest = nearest(name, names);
        throw new IllegalArgumentException(String.format("Column '%s' not found in %s (columns: %s)%s", name, path,
                String.join(", ", names), nearest == null ? "" : "; did you mean '" + nearest + "'?"));
    }

    /** The name within edit distance 2 of {@code name} (ignoring case), if exactly one is closest. */
    private static String nearest(String name, List<String> candidates) {
        String best = null;
        int bestDistance = 3;
        boolean tie = false;
        for (String candidate : candidates) {
            int d = editDistance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
                tie = false;
            } else if (d == bestDistance) {
                tie = true;
            }
        }
        return tie || best == null || bestDistance >= name.length() ? null : best;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** The length of {@code name} in its first non-null row, or -1 if it has none (reads only that far). */
    private static int firstLength(Dataset<Row> table, String path, String name) {
        table.sparkSession().sparkContext().setJobDescription(
                "find the length of array column '" + name + "' in " + path);
        Column c = col(quoted(name));
        List<Row> first = table.where(c.isNotNull()).select(size(c)).takeAsList(1);
        return first.isEmpty() ? -1 : first.get(0).getInt(0);
    }

    /** Counts the invalid rows in one aggregation, then fails or drops them as the spec says. */
    private static PreparedInput prepare(Dataset<Row> table, InputSpec spec, Block x, Block y) {
        String path = spec.path();
        List<Source> sources = new ArrayList<>(x.sources());
        if (y != null) {
            sources.addAll(y.sources());
        }
        List<Check> checks = sources.stream().flatMap(s -> checks(s).stream()).toList();
        Column invalid = checks.stream().map(Check::when).reduce(Column::or).orElseThrow();

        List<Column> aggregates = new ArrayList<>();
        aggregates.add(count(lit(1)));
        aggregates.add(count(when(invalid, true)));
        aggregates.add(first(when(invalid, struct(sources.stream().map(Source::column).toArray(Column[]::new))), true));
        int firstCheck = aggregates.size();
        checks.forEach(check -> aggregates.add(count(when(check.when(), true))));
        table.sparkSession().sparkContext().setJobDescription("validate input " + path);
        Row counts = table.select(aggregates.toArray(Column[]::new)).first();

        long total = counts.getLong(0);
        long bad = counts.getLong(1);
        Checks.checkArgument(total > 0, "Input %s has no rows", path);
        Dataset<Row> data = table.withColumn(FEATURES_COLUMN, x.values());
        if (y != null) {
            data = data.withColumn(LABELS_COLUMN, y.values());
        }
        if (bad > 0) {
            String problems = problems(checks, counts, firstCheck);
            String example = formatRow(counts.getStruct(2));
            Checks.checkArgument(spec.invalidRows() == InvalidRows.DROP,
                    "%s of %s rows in %s are invalid: %s (e.g. row %s); fix them or use --invalid-rows drop",
                    bad, total, path, problems, example);
            Checks.checkArgument(bad < total, "All %s rows of %s are invalid: %s (e.g. row %s)",
                    total, path, problems, example);
            LOG.warn("Dropped {} of {} rows of {} as invalid: {} (e.g. row {})", bad, total, path, problems, example);
            data = data.where(not(invalid));
        }
        Checks.checkState(x.dim() > 0 && (y == null || y.dim() > 0), "Dimension unknown after validating %s", path);
        return new PreparedInput(data, x.dim(), y == null ? 0 : y.dim(), total - bad, bad);
    }

    /** The ways a row can be invalid in {@code source}; each condition is true or false, never null. */
    private static List<Check> checks(Source source) {
        String name = source.name();
        Column c = source.column();
        List<Check> checks = new ArrayList<>();
        if (!source.isArray()) {
            Column v = c.cast("double");
            checks.add(new Check(name, "is null", v.isNull()));
            checks.add(new Check(name, "is NaN", isnan(v)));
            checks.add(new Check(name, "is Infinity", v.equalTo(Double.POSITIVE_INFINITY)));
            checks.add(new Check(name, "is -Infinity", v.equalTo(Double.NEGATIVE_INFINITY)));
        } else {
            Column values = source.values();
            checks.add(new Check(name, "is null", c.isNull()));
            checks.add(new Check(name, "contains null", anyOf(values, Column::isNull)));
            checks.add(new Check(name, "contains NaN", anyOf(values, v -> isnan(v))));
            checks.add(new Check(name, "contains Infinity", anyOf(values, v -> v.equalTo(Double.POSITIVE_INFINITY))));
            checks.add(new Check(name, "contains -Infinity",
                    anyOf(values, v -> v.equalTo(Double.NEGATIVE_INFINITY))));
            if (source.length() >= 0) {
                checks.add(new Check(name, "has a length other than " + source.length(),
                        c.isNotNull().and(size(c).notEqual(source.length()))));
            }
        }
        return checks.stream().map(k -> new Check(k.column(), k.what(), coalesce(k.when(), lit(false)))).toList();
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

    /** {@code name} quoted for Spark's column parser, so names with dots or spaces stay one top-level column. */
    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
