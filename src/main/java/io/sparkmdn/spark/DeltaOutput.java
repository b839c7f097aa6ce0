package io.sparkmdn.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import io.sparkmdn.util.Checks;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Writes a job's output as a Delta Lake table, in one commit: readers of the table see the whole output or
 * nothing, on HDFS and object stores alike (no rename involved), and a killed job leaves the table as it was.
 *
 * <p>A scheduled run writes its rows with a {@value #RUN_ID} column, partitioned by it, and replaces only its
 * own run ({@code replaceWhere run_id = 'ID'}), so runs never touch each other. An output without a run id
 * replaces the whole table in one commit. The table is named by a path, or by a catalog name. Each commit
 * carries the job's manifest as its user metadata, so {@code DESCRIBE HISTORY} says what produced each run.
 */
public final class DeltaOutput {

    /** The partition column of scheduled runs. */
    public static final String RUN_ID = "run_id";

    private DeltaOutput() {
    }

    /**
     * A Delta table, by path or catalog name (exactly one of them).
     *
     * @param path  the table's directory (any Hadoop path)
     * @param table the table's name in Spark's catalog (e.g. {@code analytics.samples})
     */
    public record Target(String path, String table) {
        public Target {
            Checks.checkArgument((path == null) != (table == null), "A Delta output is a path or a table, not both");
        }

        /** How messages name it. */
        public String describe() {
            return path != null ? path : "table " + table;
        }
    }

    /** Whether the target exists as a Delta table. */
    public static boolean exists(SparkSession spark, Target target) {
        return target.path() != null ? DeltaTable.isDeltaTable(spark, target.path())
                : spark.catalog().tableExists(target.table());
    }

    /** Whether the target holds rows of run {@code runId}. */
    public static boolean hasRun(SparkSession spark, Target target, String runId) {
        if (!exists(spark, target)) {
            return false;
        }
        Dataset<Row> table = target.path() != null ? spark.read().format("delta").load(target.path())
                : spark.table(target.table());
        Checks.checkArgument(java.util.Arrays.asList(table.columns()).contains(RUN_ID),
                "%s is a Delta table without a %s column: not written by scheduled runs", target.describe(), RUN_ID);
        return !table.where(col(RUN_ID).equalTo(runId)).limit(1).isEmpty();
    }

    /**
     * Commits {@code rows} to the target: as run {@code runId} (replacing only that run's rows), or, without a run
     * id, as the whole table (replacing it when {@code replace}, else only where none exists).
     *
     * @param userMetadata the commit's user metadata (the job's manifest as JSON)
     * @return the number of rows the commit wrote
     */
    public static long write(Dataset<Row> rows, Target target, String runId, boolean replace, String userMetadata) {
        SparkSession spark = rows.sparkSession();
        if (target.path() != null) {
            checkDeltaOrAbsent(spark, target.path());
        }
        try {
            if (target.path() != null) {
                pathWriter(rows, runId, replace).option("userMetadata", userMetadata).save(target.path());
            } else {
                writeTable(rows, target.table(), runId, replace, userMetadata);
            }
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                throw e;
            }
            // Delta reports schema mismatches and concurrent writers as AnalysisExceptions; name the table once
            throw new IllegalArgumentException("Cannot write Delta table " + target.describe() + ": "
                    + e.getMessage(), e);
        }
        return rowsOfLastCommit(spark, target);
    }

    /** The writer of a path table: a run replaces its own partition, a whole output the table. */
    private static DataFrameWriter<Row> pathWriter(Dataset<Row> rows, String runId, boolean replace) {
        if (runId != null) {
            return withRunId(rows, runId).write().format("delta").partitionBy(RUN_ID).mode(SaveMode.Overwrite)
                    .option("replaceWhere", runCondition(runId));
        }
        return rows.write().format("delta").mode(replace ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
                .option("overwriteSchema", String.valueOf(replace));
    }

    /**
     * Writes a catalog table through Spark's DataFrameWriterV2 (a V2 catalog table takes no replaceWhere option):
     * created on the first write, a run overwrites the rows its condition selects.
     */
    private static void writeTable(Dataset<Row> rows, String table, String runId, boolean replace,
                                   String userMetadata) {
        SparkSession spark = rows.sparkSession();
        String key = "spark.databricks.delta.commitInfo.userMetadata";
        spark.conf().set(key, userMetadata);
        try {
            boolean exists = spark.catalog().tableExists(table);
            if (runId != null) {
                Dataset<Row> run = withRunId(rows, runId);
                if (exists) {
                    run.writeTo(table).overwrite(org.apache.spark.sql.functions.expr(runCondition(runId)));
                } else {
                    run.writeTo(table).using("delta").partitionedBy(col(RUN_ID),
                            scala.collection.JavaConverters.asScalaBuffer(java.util.List.<org.apache.spark.sql.Column>of()))
                            .create();
                }
            } else if (exists && replace) {
                rows.writeTo(table).using("delta").createOrReplace();
            } else {
                rows.writeTo(table).using("delta").create();
            }
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalArgumentException(e.getMessage(), e);
        } finally {
            spark.conf().unset(key);
        }
    }

    private static Dataset<Row> withRunId(Dataset<Row> rows, String runId) {
        Checks.checkArgument(!java.util.Arrays.asList(rows.columns()).contains(RUN_ID),
                "The output already has a column '%s'; a scheduled run adds its own", RUN_ID);
        return rows.withColumn(RUN_ID, lit(runId));
    }

    private static String runCondition(String runId) {
        return RUN_ID + " = '" + runId.replace("'", "''") + "'";
    }

    /** Fails when {@code path} exists but is not a Delta table (its files would be left beside the new table's). */
    private static void checkDeltaOrAbsent(SparkSession spark, String path) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
            boolean exists = p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
            Checks.checkArgument(!exists || DeltaTable.isDeltaTable(spark, path),
                    "%s exists and is not a Delta table; remove it or write the Delta output elsewhere", path);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot check " + path + ": " + e.getMessage(), e);
        }
    }

    /** The number of rows the table's latest commit wrote, from its operation metrics. */
    private static long rowsOfLastCommit(SparkSession spark, Target target) {
        DeltaTable table = target.path() != null ? DeltaTable.forPath(spark, target.path())
                : DeltaTable.forName(spark, target.table());
        Row last = table.history(1).select("operationMetrics").first();
        java.util.Map<String, String> metrics = last.getJavaMap(0);
        String written = metrics == null ? null : metrics.get("numOutputRows");
        return written == null ? -1 : Long.parseLong(written);
    }
}
