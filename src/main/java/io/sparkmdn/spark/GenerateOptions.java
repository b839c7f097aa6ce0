package io.sparkmdn.spark;

import io.sparkmdn.data.SyntheticKind;
import io.sparkmdn.util.Checks;
import java.util.Objects;

/**
 * What {@link Generator#write} generates and where.
 *
 * @param kind       the built-in dataset (default {@code seed})
 * @param rows       number of rows, ids 0 … rows − 1 (≥ 1; default 1,000,000)
 * @param seed       generation seed: the same seed and rows give the same data (default 42)
 * @param partitions Spark partitions, one output file each (≥ 1), or 0 for
 *                   {@link Generator#defaultPartitions(long, int)}
 * @param out        output directory (any Hadoop path)
 * @param format     file format; null means by extension (CSV for {@code .csv}, else Parquet)
 * @param overwrite  whether an existing {@code out} may be replaced (default false)
 */
public record GenerateOptions(SyntheticKind kind, long rows, long seed, int partitions, String out,
                              DataFormat format, boolean overwrite) {

    public static final String DEFAULT_KIND = "seed";
    public static final long DEFAULT_ROWS = 1_000_000L;
    public static final long DEFAULT_SEED = 42L;

    public GenerateOptions {
        Objects.requireNonNull(kind, "kind");
        Checks.checkArgument(rows >= 1, "Invalid number of rows: %s (must be >= 1)", rows);
        Checks.checkArgument(partitions >= 0, "Invalid number of partitions: %s (must be >= 1, or 0 for the default)",
                partitions);
        Checks.checkArgument(out != null && !out.isBlank(), "Output path is missing");
        if (format == null) {
            format = DataFormat.forPath(out);
        }
        Checks.checkArgument(format != DataFormat.CSV || (kind.inputDim() == 1 && kind.outputDim() == 1),
                "CSV holds only scalar columns but dataset kind '%s' has d_x=%s, d_y=%s: use parquet",
                kind.name(), kind.inputDim(), kind.outputDim());
    }
}
