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
