package io.sparkmdn.jobs;

import io.sparkmdn.spark.InputSpec;
import io.sparkmdn.spark.InvalidRows;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of the jobs that read a user's table: which columns hold x and y, and what to do with bad rows. */
public final class InputOptions {

    @Option(names = "--features", split = ",", defaultValue = "x", paramLabel = "COLS",
            description = "Feature columns (numeric or numeric arrays), concatenated in order; default: ${DEFAULT-VALUE}.")
    List<String> features;

    @Option(names = "--format", paramLabel = "parquet|csv",
            description = "Input format; default: by the path's extension (.csv is CSV, anything else Parquet).")
    String format;

    @Option(names = "--invalid-rows", defaultValue = "fail", paramLabel = "fail|drop",
            description = "Rows with null, NaN, ±Inf or wrong-length arrays: fail the job, or drop and count them; "
                    + "default: ${DEFAULT-VALUE}.")
    String invalidRows;

    /** The input spec for {@code path}, with {@code labels} as label columns (empty for none). */
    InputSpec spec(String path, List<String> labels) {
        return spec(path, features, labels);
    }

    /** The input spec for {@code path} with other feature columns than {@code --features}. */
    InputSpec spec(String path, List<String> featureColumns, List<String> labels) {
        return new InputSpec(path, format, featureColumns, labels, InvalidRows.parse(invalidRows));
    }
}
