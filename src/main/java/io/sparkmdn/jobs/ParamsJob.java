package io.sparkmdn.jobs;

import io.sparkmdn.io.AtomicOutput;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.spark.MixtureInference;
import io.sparkmdn.spark.TableWriter;
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

    @Option(names = "--model", required = true, description = "Model directory.")
    String model;
    @Option(names = "--out", required = true, description = "Output table (Parquet).")
    String out;
    @Option(names = "--overwrite", description = "Replace an existing output.")
    boolean overwrite;

    @Override
    public Integer call() {
        SparkSession session = spark.session("spark-mdn params " + out);
        try {
            Configuration conf = session.sparkContext().hadoopConfiguration();
            AtomicOutput.checkWritable(out, overwrite, conf, AtomicOutput.inputs("input", input.path(), "model", model));
            MdnModel mdn = ModelDirectory.load(model, conf);
            InferenceInput.Rows rows = input.read(session, mdn);
            var params = MixtureInference.params(rows.data(), rows.keep(), mdn);
            TableWriter.write(params, out, overwrite, "params");
            LOG.info("mixture parameters written to {}", out);
            return 0;
        } finally {
            session.stop();
        }
    }

    public static void main(String[] args) {
        System.exit(JobRunner.run(new ParamsJob(), args));
    }
}
