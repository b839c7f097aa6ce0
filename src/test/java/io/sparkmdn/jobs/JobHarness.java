package io.sparkmdn.jobs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

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
        String[] withMaster = new String[args.length + 2];
        withMaster[0] = "--master";
        withMaster[1] = master;
        System.arraycopy(args, 0, withMaster, 2, args.length);
        Result r = run(job, withMaster);
        org.junit.jupiter.api.Assertions.assertEquals(0, r.status(),
                () -> job.getClass().getSimpleName() + " failed:\n" + r.err());
        return r;
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
