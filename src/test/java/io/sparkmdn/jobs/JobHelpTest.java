package io.sparkmdn.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.input.InvalidRows;
import io.sparkmdn.model.RunDescription;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.train.TrainOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every job answers --help with its options; configuration precedence is command line > file > default. */
class JobHelpTest {

    static Stream<Arguments> jobs() {
        return Stream.of(
                Arguments.of(new TrainJob(), List.of("--input", "--model", "--features", "--labels", "--epochs",
                        "--batch-size", "--averaging-frequency", "--mixtures", "--invalid-rows", "--mode")),
                Arguments.of(new ParamsJob(), List.of("--model", "--input", "--grid", "--out", "--keep-columns")),
                Arguments.of(new SampleJob(), List.of("--model", "--input", "--grid", "--samples", "--seed",
                        "--temperature", "--out")),
                Arguments.of(new EvaluateJob(), List.of("--model", "--input", "--out", "--baseline-rows")),
                Arguments.of(new ReportJob(), List.of("--data", "--model", "--params", "--samples", "--metrics",
                        "--out")),
                Arguments.of(new ScoreJob(), List.of("--model", "--input", "--out", "--keep-columns")),
                Arguments.of(new CalibrateJob(), List.of("--model", "--input", "--held-out", "--out", "--method",
                        "--levels", "--allow-training-rows", "--mode", "exchangeable")),
                Arguments.of(new ModelJob(), List.of("--model")),
                Arguments.of(new GenerateJob(), List.of("--kind", "--rows", "--out")),
                Arguments.of(new io.sparkmdn.bench.BenchJob(), List.of("--quick", "--large", "--sections", "--out")));
    }

    @ParameterizedTest
    @MethodSource("jobs")
    void helpListsTheOptions(Object job, List<String> options) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = JobRunner.run(job, new String[] {"--help"});
        } finally {
            System.setOut(saved);
        }
        String help = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, status);
        for (String option : options) {
            assertTrue(help.contains(option), option + " missing from:\n" + help);
        }
        assertTrue(help.contains("--config"), help);
        assertTrue(job instanceof ModelJob || help.contains("--master"), "every job that starts Spark: " + help);
        assertTrue(help.contains("Exit codes:") && help.contains("2   a problem to fix"), help);
    }

    @Test
    void theOldDataOptionStillNamesTheInputButIsNoLongerAdvertised() {
        for (String option : List.of("--input", "--data")) {
            TrainJob job = new TrainJob();
            String[] args = {option, "d", "--model", "m"};
            JobRunner.commandLine(job, args).parseArgs(args);
            assertEquals("d", job.data.path, option);
        }
        String[] both = {"--input", "d", "--data", "e", "--model", "m"};
        assertThrows(picocli.CommandLine.ParameterException.class,
                () -> JobRunner.commandLine(new TrainJob(), both).parseArgs(both), "one input at a time");
        String help = JobRunner.commandLine(new EvaluateJob(), new String[0]).getUsageMessage();
        assertTrue(help.contains("--input") && !help.contains("--data"), help);
    }

    @Test
    void configurationKeysMayBeScopedToAJobAndAnUnknownKeyNamesTheNearestOne() throws Exception {
        Path conf = Files.createTempFile("mdn", ".properties");
        try {
            Files.writeString(conf, "seed = 3\ntrain.seed = 7\nsample.seed = 9\nsamples = 12\n");
            TrainJob train = new TrainJob();
            String[] args = {"--config", conf.toString(), "--input", "d", "--model", "m"};
            JobRunner.commandLine(train, args).parseArgs(args);
            assertEquals(7L, train.seed, "the job's own key wins over the unscoped one");
            SampleJob sample = new SampleJob();
            String[] sampleArgs = {"--config", conf.toString(), "--model", "m", "--input", "x", "--out", "o"};
            JobRunner.commandLine(sample, sampleArgs).parseArgs(sampleArgs);
            assertEquals(9L, sample.seed);
            assertEquals(12, sample.samples, "an unscoped key of another job's option is that job's");

            Files.writeString(conf, "mixture = 3\n");
            assertEquals("Unknown configuration key 'mixture' in " + conf + ": no option of any job has that name; "
                    + "did you mean 'mixtures'?", assertThrows(IllegalArgumentException.class,
                    () -> JobRunner.commandLine(new TrainJob(), args)).getMessage());
            Files.writeString(conf, "train.samples = 3\n");
            assertEquals("Configuration key 'train.samples' of " + conf + ": job train has no option 'samples' "
                    + "(report, sample have it)", assertThrows(IllegalArgumentException.class,
                    () -> JobRunner.commandLine(new SampleJob(), sampleArgs)).getMessage());
            Files.writeString(conf, "train.mixturs = 3\n");
            assertEquals("Unknown configuration key 'mixturs' in " + conf + ": no option of job train has that "
                    + "name; did you mean 'mixtures'?", assertThrows(IllegalArgumentException.class,
                    () -> JobRunner.commandLine(new TrainJob(), args)).getMessage());
            Files.writeString(conf, "trian.seed = 3\n");
            assertTrue(assertThrows(IllegalArgumentException.class, () -> JobRunner.commandLine(new TrainJob(), args))
                    .getMessage().startsWith("Unknown job 'trian' in configuration key 'trian.seed'"));
        } finally {
            Files.delete(conf);
        }
    }

    @Test
    void theShippedConfigurationHasNoUnknownKey() {
        for (Object job : List.of(new TrainJob(), new SampleJob(), new GenerateJob(), new ScoreJob())) {
            String[] args = {"--config", "conf/spark-mdn.properties"};
            JobRunner.commandLine(job, args); // throws on a key no job has
        }
    }

    @Test
    void commandLineBeatsConfigFileBeatsBuiltInDefault() throws Exception {
        Path conf = Files.createTempFile("mdn", ".properties");
        Files.writeString(conf, "epochs = 3\nmixtures = 7\nmaster = local[3]\n");
        try {
            TrainJob job = new TrainJob();
            String[] args = {"--config", conf.toString(), "--data", "d", "--model", "m", "--epochs", "4"};
            JobRunner.commandLine(job, args).parseArgs(args);
            assertEquals(4, job.epochs, "command line wins");
            assertEquals(7, job.mixtures, "config file fills what the command line leaves out");
            assertEquals("local[3]", job.spark.master);
            assertEquals(TrainOptions.DEFAULT_BATCH_SIZE, job.batchSize, "built-in default last");
            RunDescription run = job.requested();
            assertEquals(new MdnOptions(1, 1, 7, MdnOptions.DEFAULT_HIDDEN_LAYERS, MdnOptions.DEFAULT_ACTIVATION,
                    MdnOptions.DEFAULT_LEARNING_RATE, MdnOptions.DEFAULT_UPDATER, MdnOptions.DEFAULT_SIGMA_FLOOR,
                    MdnOptions.DEFAULT_SEED, MdnOptions.DEFAULT_DATA_TYPE, 0), run.network(),
                    "the options' built-in defaults are the record's");
            assertEquals(4, run.training().train().epochs());
            assertEquals(List.of("x"), run.input().featureNames());
            assertEquals(List.of("y"), run.input().labelNames());
            assertEquals(InvalidRows.ERROR, run.input().invalidRows());
        } finally {
            Files.delete(conf);
        }
    }

    @Test
    void aMissingConfigFileIsNamed() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> JobRunner.commandLine(new TrainJob(), new String[] {"--config", "/nowhere/x.properties"}));
        assertEquals("Configuration file not found: /nowhere/x.properties", e.getMessage());
    }
}
