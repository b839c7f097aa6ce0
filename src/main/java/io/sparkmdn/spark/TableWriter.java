package io.sparkmdn.spark;

import io.sparkmdn.io.AtomicOutput;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;

/**
 * Writes a job's output table so that it appears whole or not at all: Parquet or CSV through {@link AtomicOutput}
 * (a hidden directory renamed into place), Delta Lake in one commit ({@link DeltaOutput}).
 */
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
        write(table, path, DataFormat.forPath(path), overwrite, description, finish, plainEncoded);
    }

    /**
     * Writes {@code table} to {@code path} in {@code format}; {@code finish} gets the not-yet-visible directory
     * (for Parquet and CSV) or the table's directory after the commit (for Delta, which replaces an existing
     * table in one commit when {@code overwrite}).
     */
    public static void write(Dataset<Row> table, String path, DataFormat format, boolean overwrite,
                             String description, Consumer<String> finish, Set<String> plainEncoded) {
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
        if (format == DataFormat.DELTA) {
            AtomicOutput.checkWritable(path, overwrite, spark.sparkContext().hadoopConfiguration());
            DeltaOutput.write(table, new DeltaOutput.Target(path, null), null, overwrite, description);
            finish.accept(path);
            return;
        }
        AtomicOutput.write(path, overwrite, spark.sparkContext().hadoopConfiguration(), tmp -> {
            format.write(table, tmp, plainEncoded);
            finish.accept(tmp);
        });
    }
}
