package io.sparkmdn.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * An input table checked and ready for a job: all of its original columns, plus {@value InputTable#FEATURES_COLUMN}
 * and (with labels) {@value InputTable#LABELS_COLUMN}, arrays of finite doubles, one value per dimension.
 *
 * @param data        the valid rows (lazy; not cached)
 * @param inputDim    d_x, the length of every {@value InputTable#FEATURES_COLUMN} array
 * @param outputDim   d_y, the length of every {@value InputTable#LABELS_COLUMN} array; 0 without labels
 * @param rows        number of rows in {@code data}
 * @param droppedRows number of invalid rows filtered out (always 0 with {@link InvalidRows#FAIL})
 */
public record PreparedInput(Dataset<Row> data, int inputDim, int outputDim, long rows, long droppedRows) {

    /** Whether {@code data} has a {@value InputTable#LABELS_COLUMN} column. */
    public boolean hasLabels() {
        return outputDim > 0;
    }
}
