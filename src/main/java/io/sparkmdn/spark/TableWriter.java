package io.sparkmdn.spark;

import io.sparkmdn.io.AtomicOutput;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;

/** Writes a job's output table atomically, as Parquet, or as CSV when the path ends in {@code .csv}. */
public final class TableWriter {

    private TableWriter() {
    }

    /** Writes {@code table} to {@code path}; refuses an existing path unless {@code overwrite}. */
    public static void write(Dataset<Row> table, String path, boolean overwrite, String description) {
        write(table, path, overwrite, description, tmp -> { });
    }

    /**
     * Writes {@code table} to {@code path}, then calls {@code finish} with the not-yet-visible output directory
     * (to add a manifest, say) before the output is moved into place.
     */
    public static void write(Dataset<Row> table, String path, boolean overwrite, String description,
                             Consumer<String> finish) {
        write(table, path, overwrite, description, finish, Set.of());
    }

    /**
     * Writes as {@link #write(Dataset, String, boolean, String, Consumer)} does, with the columns named in
     * {@code plainEncoded} written without dictionary encoding (see {@link DataFormat#write(Dataset, String, Set)}).
     */
    public static void write(Dataset<Row> table, String path, boolean overwrite, String description,
                             Consumer<String> finish, Set<String> plainEncoded) {
        DataFormat format = DataFormat.forPath(path);
        if (format == DataFormat.CSV) {
            String[] arrays = Arrays.stream(table.schema().fields())
                    .filter(f -> f.dataType() instanceof ArrayType).map(StructField::name).toArray(String[]::new);
            if (arrays.length > 0) {
                throw new IllegalArgumentException("CSV cannot hold the array columns " + String.join(", ", arrays)
                        + " of " + path + "; write Parquet (a path not ending in .csv)");
            }
        }
        var spark = table.sparkSession();
        spark.sparkContext().setJobDescription(description + " → " + path);
        AtomicOutput.write(path, overwrite, spark.sparkContext().hadoopConfiguration(), tmp -> {
            format.write(table, tmp, plainEncoded);
            finish.accept(tmp);
        });
    }
}
