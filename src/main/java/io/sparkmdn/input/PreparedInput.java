package io.sparkmdn.input;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * An input table checked and ready for a job: all of its original columns, plus {@value InputTable#FEATURES_COLUMN}
 * and (with labels) {@value InputTable#LABELS_COLUMN}, arrays of finite doubles, one value per dimension.
 *
 * @param data        the valid rows (lazy; not cached)
 * @param columns     the input with every column's type and width resolved
 * @param rows        number of rows in {@code data}
 * @param droppedRows number of invalid rows filtered out (always 0 with {@link InvalidRows#ERROR})
 * @param fingerprint what identifies the data read (paths, size, rows, schema)
 */
public record PreparedInput(Dataset<Row> data, InputDescription columns, long rows, long droppedRows,
                            InputFingerprint fingerprint) {

    /** d_x, the length of every {@value InputTable#FEATURES_COLUMN} array. */
    public int inputDim() {
        return columns.inputDim();
    }

    /** d_y, the length of every {@value InputTable#LABELS_COLUMN} array; 0 without labels. */
    public int outputDim() {
        return columns.outputDim();
    }

    /** Whether {@code data} has a {@value InputTable#LABELS_COLUMN} column. */
    public boolean hasLabels() {
        return columns.hasLabels();
    }
}
