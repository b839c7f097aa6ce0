package io.sparkmdn.input;

import static org.apache.spark.sql.functions.count;

import io.sparkmdn.util.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Turns an {@link InputSource} into a DataFrame: a catalog table or a query's result, or files at a path (a
 * glob allowed) whose format is given or told from the name — {@code csv} for a name ending in .csv,
 * {@code delta} for a directory with a transaction log, {@code parquet} otherwise. Every failure names the path,
 * the table or the query once.
 *
 * <p>CSV column types come from a user's DDL schema when given; otherwise they are inferred from the first
 * {@link #CSV_SAMPLE_LINES} lines and the file is read with them, every row that does not parse landing in the
 * extra column {@link #UNPARSED}. The validation pass counts those rows at no extra cost and throws
 * {@link SampledTypesDoNotFit}, and the input is then read again with the types inferred from all rows, as
 * Spark's own inference would give them.
 */
final class SourceReader {

    /** Lines at the head of a CSV input whose types are taken for the whole input when every row parses. */
    static final int CSV_SAMPLE_LINES = 10_000;

    /** The column a CSV row's text lands in when it does not parse with the sampled types (null otherwise). */
    static final String UNPARSED = "__spark_mdn_unparsed_row";

    private SourceReader() {
    }

    /** The rows of a CSV input did not all parse with the types sampled from its head. */
    static final class SampledTypesDoNotFit extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long rows;

        SampledTypesDoNotFit(long rows) {
            super(rows + " rows do not parse with the sampled types", null, false, false);
            this.rows = rows;
        }
    }

    /** The table at {@code source}, whatever its kind, loaded as for reading but not yet validated. */
    static Dataset<Row> table(SparkSession spark, InputSource source) {
        if (source.path() == null) {
            return catalogOrQuery(spark, source);
        }
        FileStatus[] matches = existingInput(spark, source.path());
        return load(spark, source, source.format() != null ? source.format()
                : formatOf(spark, source.path(), matches));
    }

    /** The files and directories {@code path} (a glob allowed) matches; fails if there are none. */
    static FileStatus[] existingInput(SparkSession spark, String path) {
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

    /** The total size in bytes of the matched files and directories, for the input's fingerprint. */
    static long bytes(SparkSession spark, FileStatus[] matches) {
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

    /**
     * {@code csv} for a name ending in .csv, {@code delta} for a directory with a transaction log, {@code parquet}
     * for .parquet or another directory (as Spark writes them).
     */
    static String formatOf(SparkSession spark, String path, FileStatus[] matches) {
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
    static Dataset<Row> catalogOrQuery(SparkSession spark, InputSource source) {
        try {
            return source.table() != null ? spark.table(source.table()) : spark.sql(source.query());
        } catch (Exception e) {
            // Spark reports a missing table or a bad query as an AnalysisException or a ParseException
            String what = source.table() != null ? "Cannot read table " + source.table()
                    : "Cannot run --query '" + source.query() + "'";
            String first = e.getMessage() == null ? e.toString()
                    : e.getMessage().strip().lines().findFirst().orElse("");
            throw new IllegalArgumentException(what + ": " + first, e);
        }
    }

    /** The files at {@code source.path()} read as {@code format}, CSV with its user's or its sampled types. */
    static Dataset<Row> load(SparkSession spark, InputSource source, String format) {
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
            throw new IllegalArgumentException("Cannot read input " + path + " as " + format + ": " + e.getMessage(),
                    e);
        }
    }

    /** Fails when a loaded file input has no columns, or is a CSV file with a header and no rows. */
    static void checkHasRows(Dataset<Row> table, String path, String format) {
        Checks.checkArgument(table.schema().fields().length > 0, "Input %s has no rows (and no columns)", path);
        if (format.equals("csv") && !hasUnparsedColumn(table) && table.isEmpty()) {
            // CSV types are inferred from the rows, so a header-only file reads as string columns
            throw new IllegalArgumentException("Input " + path + " has no rows");
        }
    }

    /** A CSV input read with the types Spark infers from all its rows (a whole extra pass). */
    static Dataset<Row> csvInferringFromAllRows(SparkSession spark, String path) {
        return spark.read().option("header", "true").option("inferSchema", "true").csv(path);
    }

    /** Whether the table was read with sampled CSV types, and so carries the {@link #UNPARSED} column. */
    static boolean hasUnparsedColumn(Dataset<Row> table) {
        return Arrays.asList(table.columns()).contains(UNPARSED);
    }

    /** The table without the {@link #UNPARSED} column, as the user's file has it. */
    static Dataset<Row> withoutUnparsedColumn(Dataset<Row> table) {
        return hasUnparsedColumn(table) ? table.drop(UNPARSED) : table;
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
        Column[] present = Arrays.stream(schema.fieldNames()).map(f -> count(ColumnResolver.quoted(f)))
                .toArray(Column[]::new);
        Row counts = sample.select(present).first();
        for (int i = 0; i < counts.length(); i++) {
            if (counts.getLong(i) == 0) {
                return null;
            }
        }
        return schema;
    }
}
