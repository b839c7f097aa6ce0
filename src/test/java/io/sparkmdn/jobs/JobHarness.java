package io.sparkmdn.jobs;

import io.sparkmdn.data.SeedToy;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.spark.SparkSessions;
import io.sparkmdn.local.LocalTrainer;
import io.sparkmdn.train.TrainOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/** Runs a job in this JVM as its main would, capturing the exit status and what it prints on stderr. */
final class JobHarness {

    record Result(int status, String err) {
        /** The last line printed on stderr (the job's one-line error), stripped. */
        String lastLine() {
            String[] lines = err.strip().split("\n");
            return lines[lines.length - 1].strip();
        }
    }

    private JobHarness() {
    }

    /** Runs {@code job} on {@code master} and fails the test, with what it printed, unless it exits with 0. */
    static Result ok(String master, Object job, String... args) {
        Result r = run(job, withMaster(master, args));
        org.junit.jupiter.api.Assertions.assertEquals(0, r.status(),
                () -> job.getClass().getSimpleName() + " failed:\n" + r.err());
        return r;
    }

    /**
     * Runs {@code job} on {@code master} and fails the test unless it exits with 2 and a last line starting
     * "error: " + {@code message}, having written nothing at its last argument (the output path).
     */
    static void bad(String master, Object job, String message, String... args) {
        Result r = run(job, withMaster(master, args));
        org.junit.jupiter.api.Assertions.assertEquals(2, r.status(), r.err());
        org.junit.jupiter.api.Assertions.assertTrue(r.lastLine().startsWith("error: " + message), r.lastLine());
        String written = args[args.length - 1];
        org.junit.jupiter.api.Assertions.assertFalse(java.nio.file.Files.exists(Path.of(written)),
                "nothing written: " + written);
    }

    private static String[] withMaster(String master, String[] args) {
        String[] withMaster = new String[args.length + 2];
        withMaster[0] = "--master";
        withMaster[1] = master;
        System.arraycopy(args, 0, withMaster, 2, args.length);
        return withMaster;
    }

    /** Runs {@code action} in a local[2] session of its own, stopped after (the jobs stop theirs, too). */
    static <T> T withSpark(Function<SparkSession, T> action) {
        SparkSession spark = SparkSessions.create("job-test", "local[2]");
        try {
            return action.apply(spark);
        } finally {
            spark.stop();
        }
    }

    /** A small model (K=5, 2×32 tanh, one epoch on 2000 seed-toy rows) saved at {@code path}; returns the path. */
    static String smallModel(Path path) {
        ModelDirectory.save(LocalTrainer.fit(MdnOptions.defaults(), new TrainOptions(1, 128, 1),
                SeedToy.generate(1, 0, 2000), null), path.toString(), false);
        return path.toString();
    }

    static Result run(Object job, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            int status = JobRunner.run(job, args);
            return new Result(status, bytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }
}
