package io.sparkmdn.input;

import io.sparkmdn.util.Checks;
import java.util.List;
import java.util.Locale;

/**
 * Where a table is read from.
 *
 * @param path   file, directory or glob; local, {@code hdfs://} or {@code s3a://}
 * @param format {@code parquet}, {@code csv} or {@code delta} (case-insensitive); null = from the path
 *               ({@code .csv} → CSV with a header row, a directory with a {@code _delta_log} → Delta Lake,
 *               {@code .parquet} or another directory → Parquet)
 * @param schema the columns of a CSV file in Spark's DDL ({@code x DOUBLE, y DOUBLE}); null = inferred from the
 *               rows (a pass over the file); not allowed for Parquet, which carries its own
 */
public record InputSource(String path, String format, String schema) {

    /** The formats an input can have. */
    public static final List<String> FORMATS = List.of("parquet", "csv", "delta");

    public InputSource {
        Checks.checkArgument(path != null && !path.isBlank(), "Input path is empty");
        format = format == null || format.isBlank() ? null : format.trim().toLowerCase(Locale.ROOT);
        Checks.checkArgument(format == null || FORMATS.contains(format),
                "Unknown input format '%s' (expected one of: %s)", format, String.join(", ", FORMATS));
        schema = schema == null || schema.isBlank() ? null : schema.trim();
        Checks.checkArgument(schema == null || format == null || format.equals("csv"),
                "An input schema is for CSV files; %s input %s carries its own", format, path);
    }

    /** A path whose format comes from its extension, with an inferred schema. */
    public static InputSource of(String path) {
        return new InputSource(path, null, null);
    }

    /** This source with {@code path} replaced (e.g. by its fully qualified form). */
    public InputSource withPath(String newPath) {
        return new InputSource(newPath, format, schema);
    }
}
