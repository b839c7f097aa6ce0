package io.sparkmdn.jobs;

import io.sparkmdn.data.DatasetInfo;
import io.sparkmdn.data.SyntheticKind;
import io.sparkmdn.io.AtomicOutput;
import io.sparkmdn.spark.DataFormat;
import io.sparkmdn.spark.GenerateOptions;
import io.sparkmdn.spark.Generator;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Job: generates a built-in synthetic dataset with Spark and writes it, with its description, to a directory. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generates a built-in synthetic dataset (id, x, y) on the executors and writes it as "
                + "Parquet or CSV, with _dataset.json describing the kind, seed and true density.")
public final class GenerateJob implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(GenerateJob.class);

    @Mixin
    SparkOptions spark;

    @Option(names = "--kind", defaultValue = GenerateOptions.DEFAULT_KIND,
            description = "Dataset kind: seed, twin-circle or skewed (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--rows", defaultValue = "" + GenerateOptions.DEFAULT_ROWS,
            description = "Number of rows (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--seed", defaultValue = "" + GenerateOptions.DEFAULT_SEED,
            description = "Generation seed; the same seed and rows give the same data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (any Hadoop path).")
    String out;

    @Option(names = "--partitions",
            description = "Spark partitions = output files (default: 2 per core, at most 2M rows each).")
    Integer partitions;

    @Option(names = "--out-format", paramLabel = "parquet|csv|delta", description = "parquet, csv or delta "
            + "(default: csv if --out ends in .csv, else parquet); delta writes a Delta Lake table in one commit.")
    String format;

    /** The option's name before {@code --out-format}, which every job now uses for what it writes: still accepted. */
    @Option(names = "--format", hidden = true, description = "Deprecated: use --out-format.")
    void deprecatedFormat(String value) {
        LOG.warn("generate's --format is deprecated and will be removed: use --out-format (--format names the "
                + "input's format in the other jobs)");
        format = value;
    }

    @Mixin WriteModeOption mode;

    /** Runs the job: {@code generate --out DIR [options]}. */
    public static void main(String[] args) {
        System.exit(JobRunner.run(new GenerateJob(), args));
    }

    @Override
    public Integer call() {
        GenerateOptions options = new GenerateOptions(SyntheticKind.of(kind), rows, seed,
                partitions == null ? 0 : partitions, out, format == null ? null : DataFormat.of(format),
                mode.get().replaces());
        SparkSession session = spark.session("spark-mdn generate");
        try {
            if (!AtomicOutput.prepare(out, mode.get(), session.sparkContext().hadoopConfiguration(), Map.of())) {
                return 0;
            }
            long start = System.nanoTime();
            DatasetInfo info = Generator.write(session, options);
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.info("Wrote {} rows of '{}' to {} in {} s ({} rows/s)", info.rows(), info.kind(), out,
                    String.format("%.1f", seconds), String.format("%,.0f", info.rows() / seconds));
            return 0;
        } finally {
            session.stop();
        }
    }
}
