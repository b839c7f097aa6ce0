package io.sparkmdn.jobs;

import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.spark.MixtureInference;
import io.sparkmdn.spark.TableWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Draws samples of y from each input row's mixture, in long format. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Draw N samples of y ~ p(y|x) for every input row (long format: one row per sample).")
public final class SampleJob implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(SampleJob.class);

    @Mixin SparkOptions spark;
    @Mixin InferenceInput input;

    @Option(names = "--model", required = true, description = "Model directory.")
    String model;
    @Option(names = "--out", required = true, description = "Output table (Parquet, or CSV for 1-D y).")
    String out;
    @Option(names = "--samples", defaultValue = "100", description = "Samples per input row; default: ${DEFAULT-VALUE}.")
    int samples;
    @Option(names = "--seed", defaultValue = "42", description = "Sampling seed; default: ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--temperature", defaultValue = "1.0",
            description = "Scales the logits by 1/T and σ by T; 0 gives the most probable component's mean; "
                    + "default: ${DEFAULT-VALUE}.")
    double temperature;
    @Option(names = "--overwrite", description = "Replace an existing output.")
    boolean overwrite;

    @Override
    public Integer call() {
        SparkSession session = spark.session("spark-mdn sample " + out);
        try {
            MdnModel mdn = ModelDirectory.load(model, session.sparkContext().hadoopConfiguration());
            var drawn = MixtureInference.sample(input.read(session, mdn), input.keep(), mdn, samples, seed,
                    temperature);
            TableWriter.write(drawn, out, overwrite, "sample");
            LOG.info("{} samples per row written to {}", samples, out);
            return 0;
        } finally {
            session.stop();
        }
    }

    public static void main(String[] args) {
        System.exit(JobRunner.run(new SampleJob(), args));
    }
}
