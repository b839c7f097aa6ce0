package io.sparkmdn.jobs;

import io.sparkmdn.input.InputSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** Where a job's labelled table comes from: a path, a table or view of Spark's catalog, or a Spark SQL query. */
public final class DataSource {

    private static final Logger LOG = LoggerFactory.getLogger(DataSource.class);

    @Option(names = "--input", paramLabel = "PATH", description = "Table at a path (Parquet, CSV or Delta).")
    String path;
    @Option(names = "--table", paramLabel = "NAME", description = "A table or view of Spark's catalog.")
    String table;
    @Option(names = "--query", paramLabel = "SQL",
            description = "A Spark SQL query, e.g. \"SELECT hour(date) AS time, distance, delay FROM "
                    + "parquet.`/data/flights`\".")
    String query;

    /** The option's name before {@code --input}, the word every job now uses for what it reads: still accepted. */
    @Option(names = "--data", paramLabel = "PATH", hidden = true, description = "Deprecated: use --input.")
    void deprecatedData(String value) {
        LOG.warn("--data is deprecated and will be removed: use --input");
        path = value;
    }

    /** The source, with the format and CSV schema of {@code options} for a path. */
    InputSource source(InputOptions options) {
        return path != null ? options.source(path) : new InputSource(null, null, null, table, query);
    }

    /** How a session or a log line names it. */
    String describe() {
        return path != null ? path : table != null ? "table " + table : "query";
    }
}
