package io.sparkmdn.spark;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;

/** File formats a job can write a table in. */
public enum DataFormat {
    /** Apache Parquet: typed, compressed, holds array columns. */
    PARQUET,
    /** Comma-separated text with a header line: scalar columns only. */
    CSV,
    /** A Delta Lake table: Parquet files and a transaction log; written in one commit ({@link DeltaOutput}). */
    DELTA;

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
        write(data, path, Set.of());
    }

    /**
     * Writes {@code data} as {@link #write(Dataset, String)} does; in Parquet, the columns named in
     * {@code plainEncoded} skip dictionary encoding, which costs a hash lookup per value and pays only for columns
     * with few distinct values per file that are worth the space.
     */
    public void write(Dataset<Row> data, String path, Set<String> plainEncoded) {
        switch (this) {
            case PARQUET -> {
                DataFrameWriter<Row> writer = data.write();
                for (StructField field : data.schema().fields()) {
                    if (plainEncoded.contains(field.name())) {
                        writer = writer.option("parquet.enable.dictionary#" + leafPath(field), "false");
                    }
                }
                writer.parquet(path);
            }
            case CSV -> data.write().option("header", true).csv(path);
            case DELTA -> data.write().format("delta").save(path);
            default -> throw new IllegalStateException("Unhandled format " + this);
        }
    }

    /** Reads a table this format wrote at {@code path}. */
    public Dataset<Row> read(SparkSession spark, String path) {
        return switch (this) {
            case PARQUET -> spark.read().parquet(path);
            case CSV -> spark.read().option("header", true).option("inferSchema", true).csv(path);
            case DELTA -> spark.read().format("delta").load(path);
        };
    }

    /** The Parquet column path of a field's values: {@code name}, or {@code name.list.element} per array level. */
    static String leafPath(StructField field) {
        StringBuilder path = new StringBuilder(field.name());
        for (DataType t = field.dataType(); t instanceof ArrayType array; t = array.elementType()) {
            path.append(".list.element");
        }
        return path.toString();
    }
}
