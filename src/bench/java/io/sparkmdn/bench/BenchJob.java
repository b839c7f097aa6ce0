package io.sparkmdn.bench;

import io.sparkmdn.jobs.JobRunner;
import io.sparkmdn.jobs.SparkOptions;
import io.sparkmdn.model.MdnModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the benchmarks and writes the Markdown and JSON reports. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark training, the defaults' fit, generation and sampling side by side; write "
                + "bench/results/.")
public final class BenchJob implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(BenchJob.class);

    @Mixin SparkOptions spark;

    @Option(names = "--out", defaultValue = "bench/results", description = "Report folder; default: ${DEFAULT-VALUE}.")
    String out;
    @Option(names = "--name", defaultValue = "latest", description = "Report file name; default: ${DEFAULT-VALUE}.")
    String name;
    @Option(names = "--quick", description = "Tiny sizes: a smoke run of every section.")
    boolean quick;
    @Option(names = "--large", description = "Add 10^8 rows to generation and sampling, and the seed toy at 2M "
            + "rows (and 64 workers) to the scaling section: hours on 2 cores.")
    boolean large;
    @Option(names = "--sections", split = ",", defaultValue = "training,peer,defaults,throughput,rows,scaling",
            description = "Sections to run (fidelity: the old name of defaults; rows: wall time against rows; "
                    + "scaling: time to a good model against workers; calibration: conformal calibration of "
                    + "miscalibrated models; scaleout: the older fitted model of a round's cost); default: "
                    + "${DEFAULT-VALUE}.")
    java.util.List<String> sections;
    @Option(names = "--history", defaultValue = "bench/HISTORY.md",
            description = "Markdown appended to the report (the history of changes and their effect).")
    String history;

    @Override
    public Integer call() throws IOException {
        BenchOptions options = quick ? BenchOptions.quick() : large ? BenchOptions.large() : BenchOptions.standard();
        BenchResults results = new BenchResults();
        results.startedAt = Instant.now().toString();
        results.machine = Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
        long start = System.nanoTime();
        Path scratch = Files.createTempDirectory("mdn-bench");
        SparkSession session = spark.session("spark-mdn bench");
        try {
            Benchmarks bench = new Benchmarks(session, options, scratch);
            if (sections.contains("training")) {
                bench.training(results);
            }
            if (sections.contains("peer")) {
                new PeerBenchmark(session, options, scratch).run(results);
            }
            // throughput samples and scores with the seed kind's model from the defaults section
            MdnModel model = sections.contains("defaults") || sections.contains("fidelity")
                    || sections.contains("throughput") ? bench.defaults(results) : null;
            if (sections.contains("throughput")) {
                bench.throughput(results, model);
            }
            if (sections.contains("rows")) {
                bench.trainingScaling(results);
            }
            if (sections.contains("scaling")) {
                results.timeToFit = new TimeToFitBenchmark(session, quick ? TimeToFitBenchmark.Options.quick()
                        : large ? TimeToFitBenchmark.Options.large() : TimeToFitBenchmark.Options.standard()).run();
                results.timeToFitPlot = name + "-scaling.png";
                Files.createDirectories(Path.of(out));
                TimeToFitBenchmark.writePlot(results.timeToFit, Path.of(out, results.timeToFitPlot));
            }
            if (sections.contains("calibration")) {
                results.calibration = new CalibrationBenchmark(session, quick ? CalibrationBenchmark.Options.quick()
                        : CalibrationBenchmark.Options.standard()).run();
            }
            if (sections.contains("scaleout")) {
                results.scaleOut = (quick ? ScaleOutBenchmark.quick(session, scratch)
                        : ScaleOutBenchmark.standard(session, scratch)).run();
            }
        } finally {
            session.stop();
            Files.deleteIfExists(scratch);
        }
        results.wallSeconds = (System.nanoTime() - start) / 1e9;
        String historyText = Files.exists(Path.of(history)) ? Files.readString(Path.of(history)) : "";
        BenchReport.write(results, Path.of(out), name, historyText);
        LOG.info("report written to {}/{}.md and .json", out, name);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(JobRunner.run(new BenchJob(), args));
    }
}
