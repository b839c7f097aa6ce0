package io.sparkmdn.jobs;

import io.sparkmdn.io.AtomicOutput;
import io.sparkmdn.report.Report;
import io.sparkmdn.report.ReportBuilder;
import io.sparkmdn.report.ReportCollector;
import io.sparkmdn.report.ReportSources;
import io.sparkmdn.report.ReportWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Draws a run's figures from the pipeline's outputs and writes them with an HTML page. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Plot a run from its outputs (data, model, params, samples, metrics): PNG figures and "
                + "an HTML page with the metrics. Every input is optional; figures that need a missing one are "
                + "skipped and listed.")
public final class ReportJob implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ReportJob.class);

    @Mixin SparkOptions spark;

    @Option(names = "--data", description = "Training table (Parquet or CSV), e.g. generate's output.")
    String data;
    @Option(names = "--model", description = "Model directory (train's output).")
    String model;
    @Option(names = "--params", description = "Mixture parameters table (params' output, 1-D x).")
    String params;
    @Option(names = "--samples", paramLabel = "PATH", description = "Samples table (sample's output).")
    String samples;
    @Option(names = "--metrics", paramLabel = "FILE.json", description = "Metrics file (evaluate's output).")
    String metrics;
    @Option(names = "--metrics-table", paramLabel = "PATH",
            description = "Metrics table of evaluate's scheduled runs (evaluate --run-id): calibration run after run.")
    String metricsTable;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Report directory to write.")
    String out;
    @Mixin WriteModeOption mode;
    @Option(names = "--features", split = ",", paramLabel = "COLS",
            description = "Feature columns of data, params and samples; default: the model's own (x without "
                    + "--model).")
    List<String> features;
    @Option(names = "--labels", split = ",", paramLabel = "COLS",
            description = "Label columns of the data; default: the model's own (y without --model).")
    List<String> labels;
    @Option(names = "--max-points", defaultValue = "" + ReportSources.DEFAULT_MAX_POINTS,
            description = "Most training rows read for the scatters and the least-squares net; "
                    + "default: ${DEFAULT-VALUE}.")
    int maxPoints;
    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of the row sampling and the least-squares net; default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() {
        ReportSources sources = new ReportSources(data, model, params, samples, metrics, metricsTable, features, labels,
                maxPoints, seed);
        SparkSession session = spark.session("spark-mdn report " + out);
        try {
            Configuration conf = session.sparkContext().hadoopConfiguration();
            if (!AtomicOutput.prepare(out, mode.get(), conf, AtomicOutput.inputs("data", data, "model", model,
                    "params", params, "samples", samples, "metrics", metrics, "metrics table", metricsTable))) {
                return 0;
            }
            Report report = ReportBuilder.build(ReportCollector.collect(session, sources));
            ReportWriter.write(report, "spark-mdn report: " + (model != null ? model : data != null ? data : out),
                    out, mode.get().replaces(), conf);
            if (!report.skipped().isEmpty()) {
                LOG.warn("skipped {} figure(s):\n  - {}", report.skipped().size(),
                        String.join("\n  - ", report.skipped()));
            }
            LOG.info("report with {} figures written to {}", report.figures().size(),
                    new Path(out, Report.INDEX));
            return 0;
        } finally {
            session.stop();
        }
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(JobRunner.run(new ReportJob(), args));
    }
}
