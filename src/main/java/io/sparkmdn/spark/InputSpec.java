package io.sparkmdn.spark;

import io.sparkmdn.util.Checks;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where a job's input table is and which of its columns hold the features x and the labels y.
 *
 * @param path        file, directory or glob of the table; local, {@code hdfs://} or {@code s3a://}
 * @param format      {@code parquet} or {@code csv} (case-insensitive); null or blank = from the path's extension
 *                    ({@code .csv} → CSV with a header row, {@code .parquet} or a directory → Parquet)
 * @param features    columns concatenated, in order, into x; each numeric or an array of numbers; at least one
 * @param labels      columns concatenated, in order, into y; null or empty = no labels
 * @param invalidRows what to do with rows holding null, NaN, infinite or wrongly sized values
 */
public record InputSpec(String path, String format, List<String> features, List<String> labels,
                        InvalidRows invalidRows) {

    /** The formats an input can have. */
    public static final List<String> FORMATS = List.of("parquet", "csv");

    public InputSpec {
        Checks.checkArgument(path != null && !path.isBlank(), "Input path is empty");
        format = format == null || format.isBlank() ? null : format.trim().toLowerCase(Locale.ROOT);
        Checks.checkArgument(format == null || FORMATS.contains(format),
                "Unknown input format '%s' (expected one of: %s)", format, String.join(", ", FORMATS));
        Checks.checkArgument(features != null && !features.isEmpty(), "No feature columns given for input %s", path);
        labels = labels == null ? List.of() : labels;
        Set<String> seen = new HashSet<>();
        for (List<String> columns : List.of(features, labels)) {
            for (String column : columns) {
                Checks.checkArgument(column != null && !column.isBlank(),
                        "Empty column name in features %s / labels %s", features, labels);
                Checks.checkArgument(seen.add(column),
                        "Column '%s' is named twice in features %s / labels %s", column, features, labels);
            }
        }
        features = List.copyOf(features);
        labels = List.copyOf(labels);
        Checks.checkArgument(invalidRows != null, "No invalid-rows mode given (expected one of: fail, drop)");
    }

    /** Whether the spec names label columns. */
    public boolean hasLabels() {
        return !labels.isEmpty();
    }
}
