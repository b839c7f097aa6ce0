package io.sparkmdn.jobs;

import io.sparkmdn.io.AtomicOutput;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.spark.MixtureInference;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes each input row's mixture parameters α, μ, σ. */
@Command(name = "params", mixinStandardHelpOptions = true,
        description = "Write the mixture parameters (alpha, mu, sigma) of p(y|x) for every input row.")
public final class ParamsJob implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ParamsJob.class);

    @Mixin SparkOptions spark;
    @Mixin InferenceInput input;
    @Mixin OutputOptions output;

    @Option(names = "--model", required = true, description = "Model directory.")
    String model;

    @Override
    public Integer call() {
        Instant started = Instant.now();
        SparkSession session = spark.session("spark-mdn params " + output.describe());
        try {
            Configuration conf = session.sparkContext().hadoopConfiguration();
            if (!output.prepare(session, AtomicOutput.inputs("input", input.path(), "model", model))) {
                return 0;
            }
            MdnModel mdn = ModelDirectory.load(model, conf);
            InferenceInput.Rows rows = input.read(session, mdn);
            Map<String, Object> manifest = output.manifest(model, conf, input, rows, started);
            output.write(MixtureInference.params(rows.data(), rows.keep(), mdn), "params", manifest, Set.of());
            LOG.info("mixture parameters written to {}", output.describe());
            return 0;
        } finally {
            session.stop();
        }
    }

    public static void main(String[] args) {
        System.exit(JobRunner.run(new ParamsJob(), args));
    }
}
