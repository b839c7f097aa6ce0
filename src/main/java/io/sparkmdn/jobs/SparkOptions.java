package io.sparkmdn.jobs;

import io.sparkmdn.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Options every job shares: where Spark runs and where defaults come from. */
public final class SparkOptions {

    @Option(names = "--master", defaultValue = "local[*]",
            description = "Spark master URL (default: ${DEFAULT-VALUE}); ignored when spark-submit sets one.")
    String master;

    @Option(names = JobRunner.CONFIG_OPTION, paramLabel = "FILE",
            description = "Configuration file of defaults (keys = long option names); "
                    + "default: $" + JobRunner.CONFIG_ENV + " when set.")
    String config;

    /** A session for the job named {@code appName}. */
    public SparkSession session(String appName) {
        return SparkSessions.create(appName, master);
    }
}
