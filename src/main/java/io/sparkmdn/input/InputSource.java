package io.sparkmdn.input;

import io.sparkmdn.util.Checks;
import java.util.List;
import java.util.Locale;

/**
 * Where a table is read from: a path, a table or view of Spark's catalog, or a Spark SQL query (exactly one).
 *
 * @param path   file, directory or glob; local, {@code hdfs://} or {@code s3a://}
 * @param format {@code parquet}, {@code csv} or {@code delta} (case-insensitive); null = from the path
 *               ({@code .csv} → CSV with a header row, a directory with a {@code _delta_log} → Delta Lake,
 *               {@code .parquet} or another directory → Parquet)
 * @param schema the columns of a CSV file in Spark's DDL ({@code x DOUBLE, y DOUBLE}); null = inferred from the
 *               rows (a pass over the file); not allowed for Parquet, which carries its own
 * @param table  a table or view of Spark's catalog, e.g. {@code analytics.flights}
 * @param query  a Spark SQL query whose result is the input, e.g.
 *               {@code SELECT hour(date) AS time, distance, delay FROM parquet.`/data/flights`}
 */
public record InputSource(String path, String format, String schema, String table, String query) {

    /** The formats an input can have. */
    public static final List<String> FORMATS = List.of("parquet", "csv", "delta");

    public InputSource {
        path = blankToNull(path);
        table = blankToNull(table);
        query = blankToNull(query);
        int given = (path != null ? 1 : 0) + (table != null ? 1 : 0) + (query != null ? 1 : 0);
        Checks.checkArgument(given == 1, given == 0 ? "No input given (a path, a table or a query)"
                : "Give one input: a path, a table or a query, not %s", given);
        Checks.checkArgument(path != null || format == null && schema == null,
                "A format or schema is for an input path, not for %s", table != null ? "a table" : "a query");
        format = format == null || format.isBlank() ? null : format.trim().toLowerCase(Locale.ROOT);
        Checks.checkArgument(format == null || FORMATS.contains(format),
                "Unknown input format '%s' (expected one of: %s)", format, String.join(", ", FORMATS));
        schema = schema == null || schema.isBlank() ? null : schema.trim();
        Checks.checkArgument(schema == null || format == null || format.equals("csv"),
                "An input schema is for CSV files; %s input %s carries its own", format, path);
    }

    /** A path in the given format (null = from the path) with a CSV schema (null = inferred). */
    public InputSource(String path, String format, String schema) {
        this(path, format, schema, null, null);
    }

    /** A path whose format comes from its extension, with an inferred schema. */
    public static InputSource of(String path) {
        return new InputSource(path, null, null);
    }

    /** A table or view of Spark's catalog. */
    public static InputSource ofTable(String table) {
        return new InputSource(null, null, null, table, null);
    }

    /** The result of a Spark SQL query. */
    public static InputSource ofQuery(String query) {
        return new InputSource(null, null, null, null, query);
    }

    /** This source with {@code path} replaced (e.g. by its fully qualified form); a table or query stays. */
    public InputSource withPath(String newPath) {
        return path == null ? this : new InputSource(newPath, format, schema, null, null);
    }

    /** How messages name the input: its path, {@code table NAME} or {@code query [SQL]}. */
    public String describe() {
        return path != null ? path : table != null ? "table " + table : "query [" + query + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
