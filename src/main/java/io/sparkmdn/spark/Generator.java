package io.sparkmdn.spark;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkmdn.data.DatasetInfo;
import io.sparkmdn.data.SyntheticKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates a built-in synthetic dataset on the executors and writes it with a description of what it holds.
 *
 * <p>Rows come from {@code spark.range(0, rows)}: each executor turns its slice of ids into rows with
 * {@link SyntheticKind#columns}, Spark SQL expressions of the id that Spark compiles into its generated code (no
 * Row object per row), whose randomness depends on (seed, id) only, so the data are the same whatever the
 * number of partitions, and nothing passes through the driver. The output directory holds the data files and
 * {@value #INFO_FILE} (a {@link DatasetInfo} as JSON; Spark skips files starting with {@code _} on read).
 */
public final class Generator {

    /** Column of the row id (long). */
    public static final String ID = "id";
    /** Column of the features x. */
    public static final String FEATURES = "x";
    /** Column of the labels y. */
    public static final String LABELS = "y";
    /** The sidecar file that describes a generated dataset. */
    public static final String INFO_FILE = "_dataset.json";
    /** The default partitioning never puts more rows than this in one partition (one output file each). */
    public static final long MAX_ROWS_PER_PARTITION = 2_000_000L;
    /** Below this many rows per partition, more partitions only add small files. */
    static final long MIN_ROWS_PER_PARTITION = 100_000L;
    /** Default partitions per core, so a slow task does not hold up the stage. */
    static final int PARTITIONS_PER_CORE = 2;

    private static final Logger LOG = LoggerFactory.getLogger(Generator.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Generator() {
    }

    /**
     * Schema of {@code kind}'s rows: {@code id} long, then {@code x} and {@code y}, each a double when its
     * dimension is 1, else an array of doubles; nothing is nullable.
     */
    public static StructType schema(SyntheticKind kind) {
        return new StructType()
                .add(ID, DataTypes.LongType, false)
                .add(FEATURES, valueType(kind.inputDim()), false)
                .add(LABELS, valueType(kind.outputDim()), false);
    }

    /**
     * Partitions for {@code rows} rows on {@code parallelism} cores: {@value #PARTITIONS_PER_CORE} per core, but no
     * partition under {@value #MIN_ROWS_PER_PARTITION} rows unless there is only one; when that would put more
     * than {@value #MAX_ROWS_PER_PARTITION} rows in a partition, enough whole waves of {@code parallelism}
     * partitions to stay under it.
     */
    public static int defaultPartitions(long rows, int parallelism) {
        long cores = Math.max(1, parallelism);
        long perCore = Math.min(PARTITIONS_PER_CORE * cores, ceilDiv(rows, MIN_ROWS_PER_PARTITION));
        long bySize = ceilDiv(rows, MAX_ROWS_PER_PARTITION);
        long partitions = bySize > perCore ? ceilDiv(bySize, cores) * cores : perCore;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, partitions));
    }

    /** Rows 0 … rows − 1 of {@code kind} with {@code seed}, lazily, in {@code partitions} partitions. */
    public static Dataset<Row> generate(SparkSession spark, SyntheticKind kind, long rows, long seed,
                                        int partitions) {
        if (rows < 1 || partitions < 1) {
            throw new IllegalArgumentException("Invalid rows " + rows + " or partitions " + partitions
                    + " (both must be >= 1)");
        }
        Column[] xy = kind.columns(seed, col(ID));
        return spark.range(0, rows, 1, partitions).select(col(ID), xy[0].as(FEATURES), xy[1].as(LABELS));
    }

    /**
     * Generates the dataset {@code options} describe and writes it, with {@value #INFO_FILE}, to
     * {@code options.out()} so that it appears complete or not at all; returns the description written.
     */
    public static DatasetInfo write(SparkSession spark, GenerateOptions options) {
        SyntheticKind kind = options.kind();
        int partitions = options.partitions() > 0 ? options.partitions()
                : defaultPartitions(options.rows(), spark.sparkContext().defaultParallelism());
        DatasetInfo info = new DatasetInfo(kind.name(), options.seed(), options.rows(), kind.inputDim(),
                kind.outputDim(), FEATURES, LABELS, options.format().id());
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Dataset<Row> data = generate(spark, kind, options.rows(), options.seed(), partitions);
        LOG.info("Generating {} rows of '{}' (seed {}) in {} partitions as {} to {}", options.rows(),
                kind.name(), options.seed(), partitions, options.format().id(), options.out());
        try {
            TableWriter.write(data, options.out(), options.format(), options.overwrite(),
                    String.format("generate %,d rows of '%s' (seed %d)", options.rows(), kind.name(), options.seed()),
                    dir -> writeInfo(info, new Path(dir, INFO_FILE), conf), Set.of());
        } finally {
            spark.sparkContext().setJobDescription(null);
        }
        return info;
    }

    /**
     * The description of the generated dataset at {@code path}, or empty if {@code path} holds none (e.g. data
     * that did not come from {@link #write}); fails naming the file if the description is unreadable.
     */
    public static Optional<DatasetInfo> readInfo(String path, Configuration conf) {
        Path file = new Path(path, INFO_FILE);
        try {
            FileSystem fs = fileSystem(file, conf);
            if (!fs.exists(file)) {
                return Optional.empty();
            }
            try (InputStream in = fs.open(file)) {
                return Optional.of(JSON.readValue(in, DatasetInfo.class));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Invalid dataset description " + file + ": " + e.getOriginalMessage(),
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeInfo(DatasetInfo info, Path file, Configuration conf) {
        try (OutputStream out = fileSystem(file, conf).create(file, false)) {
            JSON.writeValue(out, info);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The file system of a path; on the local disk the raw one, so no .crc side file appears. */
    private static FileSystem fileSystem(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    }

    private static DataType valueType(int dim) {
        return dim == 1 ? DataTypes.DoubleType : DataTypes.createArrayType(DataTypes.DoubleType, false);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
