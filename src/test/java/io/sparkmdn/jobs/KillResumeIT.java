package io.sparkmdn.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.model.Checkpoints;
import io.sparkmdn.train.EpochStats;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drivers killed with SIGKILL, as a pre-empted node or a scheduler would: each job runs in its own JVM (the
 * test's classpath, the jobs' main classes), is killed mid-run, and what it leaves is checked.
 */
class KillResumeIT {

    /** A small network (the reliability under test does not need the default one) and a fixed budget. */
    private static final String TRAIN = "--epochs 5 --batch-size 128 --averaging-frequency 10 --workers 2"
            + " --mixtures 5 --hidden-layers 32,32 --activation tanh --learning-rate 0.005";
    /** How far the resumed run may end from the uninterrupted one (nats/point). */
    private static final double RESUME_TOLERANCE = 0.05;

    @TempDir
    static Path dir;

    private static String data;

    @BeforeAll
    static void data() throws Exception {
        data = dir.resolve("data").toString();
        Process p = job(dir.resolve("generate.log"), GenerateJob.class, "--rows", "40000", "--seed", "5",
                "--out", data);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("generate.log")));
    }

    @Test
    void aKilledTrainingDriverResumesFromItsLastCheckpointAndEndsAsGoodAsAnUninterruptedRun() throws Exception {
        String whole = dir.resolve("model-whole").toString();
        String killed = dir.resolve("model-killed").toString();
        finish(dir.resolve("whole.log"), TrainJob.class, args("--input", data, "--model", whole, TRAIN));

        Path log = dir.resolve("killed.log");
        Process p = job(log, TrainJob.class, args("--input", data, "--model", killed, TRAIN));
        awaitLine(log, "epoch 2/5", p, Duration.ofMinutes(4));
        p.destroyForcibly().waitFor();

        Configuration conf = new Configuration();
        assertFalse(Files.exists(Path.of(killed, ModelDirectory.METADATA_FILE)), "no model that looks complete");
        int done = Checkpoints.load(killed, conf).orElseThrow().training().epochs();
        assertTrue(done >= 2 && done < 5, "checkpoint after epoch " + done);

        finish(dir.resolve("resumed.log"), TrainJob.class, args("--input", data, "--model", killed, "--resume",
                "--epochs", "5"));
        MdnModel resumed = ModelDirectory.load(killed);
        MdnModel reference = ModelDirectory.load(whole);
        assertEquals(List.of(1, 2, 3, 4, 5), resumed.training().history().stream().map(EpochStats::epoch).toList());
        System.out.printf("killed after epoch %d and resumed: test NLL %.6f; uninterrupted: %.6f%n", done,
                resumed.training().testNll(), reference.training().testNll());
        assertEquals(reference.training().testNll(), resumed.training().testNll(), RESUME_TOLERANCE);
    }

    @Test
    void aKilledScheduledSampleRunLeavesNothingAReaderWouldTakeForComplete() throws Exception {
        String model = dir.resolve("model-sampler").toString();
        finish(dir.resolve("sampler-train.log"), TrainJob.class, args("--input", data, "--model", model,
                "--epochs", "1"));
        String out = dir.resolve("runs").toString();
        String[] run = {"--model", model, "--input", data, "--out", out, "--run-id"};
        finish(dir.resolve("run-a.log"), SampleJob.class, concat(run, "a", "--samples", "20"));

        Path log = dir.resolve("run-b.log");
        Process p = job(log, SampleJob.class, concat(run, "b", "--samples", "400"));
        awaitTemporaryRun(Path.of(out), p, log, Duration.ofMinutes(3));
        p.destroyForcibly().waitFor();

        try (Stream<Path> entries = Files.list(Path.of(out))) {
            List<String> names = entries.map(e -> e.getFileName().toString()).sorted().toList();
            assertTrue(names.contains("run_id=a"), names.toString());
            assertFalse(names.contains("run_id=b"), "the killed run must not appear complete: " + names);
            assertTrue(names.stream().filter(n -> !n.equals("run_id=a")).allMatch(n -> n.startsWith(".")),
                    "only hidden leftovers, which readers skip: " + names);
        }
        finish(dir.resolve("run-b-again.log"), SampleJob.class, concat(run, "b", "--samples", "20"));
        assertTrue(Files.exists(Path.of(out, "run_id=b", ScheduledRun.MANIFEST)), "a re-run completes the slot");
    }

    @Test
    void aKilledDeltaRunLeavesTheTableAsItWas() throws Exception {
        String model = dir.resolve("model-delta-sampler").toString();
        finish(dir.resolve("delta-train.log"), TrainJob.class, args("--input", data, "--model", model,
                "--epochs", "1"));
        String table = dir.resolve("runs-delta").toString();
        String[] run = {"--model", model, "--input", data, "--out", table, "--out-format", "delta", "--run-id"};
        finish(dir.resolve("delta-a.log"), SampleJob.class, concat(run, "a", "--samples", "5"));

        Path log = dir.resolve("delta-b.log");
        Process p = job(log, SampleJob.class, concat(run, "b", "--samples", "400"));
        Path partition = Path.of(table, "run_id=b");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (p.isAlive() && System.nanoTime() < deadline && !hasFiles(partition)) {
            Thread.sleep(50);
        }
        assertTrue(hasFiles(partition), "run b never started writing its files:\n" + read(log));
        p.destroyForcibly().waitFor();

        Path check = dir.resolve("delta-check.log");
        finish(check, ParamsJob.class, "--model", model, "--input", table, "--keep-columns", "run_id",
                "--out", dir.resolve("delta-visible").toString());
        String visible = read(dir.resolve("delta-visible").resolve(ScheduledRun.MANIFEST));
        assertTrue(visible.contains("\"rows\" : 200000"), "the table shows run a's 40000 x 5 rows alone: " + visible);
        assertFalse(Files.exists(Path.of(table, OutputOptions.MANIFESTS, "run_id=b.json")));
        try (Stream<Path> commits = Files.list(Path.of(table, "_delta_log"))) {
            assertEquals(1, commits.filter(c -> c.getFileName().toString().endsWith(".json")).count(),
                    "one commit: run a's");
        }
    }

    private static boolean hasFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("part-"));
        }
    }

    // --- processes: a job's main class in a JVM of its own

    private static Process job(Path log, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(System.getProperty("jvm.opens", "").split(" ")).stream()
                .filter(s -> !s.isBlank()).toList());
        command.addAll(List.of("-Xmx2g", "-cp", System.getProperty("java.class.path"), main.getName(),
                "--master", "local[2]"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    private static void finish(Path log, Class<?> main, String... args) throws Exception {
        Process p = job(log, main, args);
        assertTrue(p.waitFor(6, TimeUnit.MINUTES), main.getSimpleName() + " did not finish");
        assertEquals(0, p.exitValue(), () -> main.getSimpleName() + " failed:\n" + read(log));
    }

    private static void awaitLine(Path log, String text, Process p, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (read(log).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("'" + text + "' did not appear:\n" + read(log));
    }

    private static void awaitTemporaryRun(Path out, Process p, Path log, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.anyMatch(e -> e.getFileName().toString().startsWith(".run_id=b.tmp-"))) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the run never started writing:\n" + read(log));
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String[] args(String... parts) {
        List<String> all = new ArrayList<>();
        for (String part : parts) {
            all.addAll(part.startsWith("--") && part.contains(" ") ? List.of(part.split(" ")) : List.of(part));
        }
        return all.toArray(new String[0]);
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
