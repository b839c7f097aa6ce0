package io.sparkmdn.spark;

import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** File formats a job can write a table in. */
public enum DataFormat {
    /** Apache Parquet: typed, compressed, holds array columns. */
    PARQUET,
    /** Comma-separated text with a header line: scalar columns only. */
    CSV;

    /** The lower-case name used on command lines and in metadata, e.g. {@code parquet}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format named {@code id} (case-insensitive); fails naming the known formats if there is none. */
    public static DataFormat of(String id) {
        for (DataFormat f : values()) {
            if (f.id().equalsIgnoreCase(id.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("Unknown format: '" + id + "' (known: "
                + String.join(", ", Arrays.stream(values()).map(DataFormat::id).toList()) + ")");
    }

    /** The format a path's extension implies: CSV for {@code .csv}, else Parquet. */
    public static DataFormat forPath(String path) {
        return path.toLowerCase(Locale.ROOT).endsWith(".csv") ? CSV : PARQUET;
    }

    /** Writes {@code data} as a directory of files in this format at {@code path}, which must not exist. */
    public void write(Dataset<Row> data, String path) {
        switch (this) {
            case PARQUET -> data.write().parquet(path);
            case CSV -> data.write().option("header", true).csv(path);
            default -> throw new IllegalStateException("Unhandled format " + this);
        }
    }
}
