package io.sparkmdn.jobs;

import io.sparkmdn.input.InputSource;
import picocli.CommandLine.Option;

/** Where a job's labelled table comes from: a path, a table or view of Spark's catalog, or a Spark SQL query. */
public final class DataSource {

    @Option(names = "--data", paramLabel = "PATH", description = "Table at a path (Parquet, CSV or Delta).")
    String path;
    @Option(names = "--table", paramLabel = "NAME", description = "A table or view of Spark's catalog.")
    String table;
    @Option(names = "--query", paramLabel = "SQL",
            description = "A Spark SQL query, e.g. \"SELECT hour(date) AS time, distance, delay FROM "
                    + "parquet.`/data/flights`\".")
    String query;

    /** The source, with the format and CSV schema of {@code options} for a path. */
    InputSource source(InputOptions options) {
        return path != null ? options.source(path) : new InputSource(null, null, null, table, query);
    }

    /** How a session or a log line names it. */
    String describe() {
        return path != null ? path : table != null ? "table " + table : "query";
    }
}
