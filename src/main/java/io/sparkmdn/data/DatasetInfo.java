package io.sparkmdn.data;

import io.sparkmdn.util.Checks;

/**
 * What a generated dataset holds, as stored beside its data files: which built-in kind and seed made it, so a
 * later job can compute the true density of its rows, and which columns hold the features and the labels.
 *
 * @param kind      name of the {@link SyntheticKind} that generated the rows (e.g. {@code seed})
 * @param seed      the generation seed
 * @param rows      number of rows (≥ 1)
 * @param inputDim  features per row d_x (≥ 1)
 * @param outputDim label values per row d_y (≥ 1)
 * @param features  column holding x (a double when d_x = 1, else an array of d_x doubles)
 * @param labels    column holding y (a double when d_y = 1, else an array of d_y doubles)
 * @param format    file format of the data files ({@code parquet} or {@code csv})
 */
public record DatasetInfo(String kind, long seed, long rows, int inputDim, int outputDim, String features,
                          String labels, String format) {

    public DatasetInfo {
        Checks.checkArgument(kind != null && !kind.isBlank(), "Dataset kind is missing");
        Checks.checkArgument(rows >= 1, "Invalid number of rows: %s (must be >= 1)", rows);
        Checks.checkArgument(inputDim >= 1 && outputDim >= 1, "Invalid dimensions d_x=%s, d_y=%s",
                inputDim, outputDim);
        Checks.checkArgument(features != null && !features.isBlank(), "Feature column name is missing");
        Checks.checkArgument(labels != null && !labels.isBlank(), "Label column name is missing");
    }

    /** The kind that generated the rows, which knows their true density; fails if this build does not know it. */
    public SyntheticKind syntheticKind() {
        return SyntheticKind.of(kind);
    }
}
