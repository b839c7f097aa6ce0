package io.sparkmdn.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.spark.SparkSessions;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs on a real Spark standalone cluster on loopback — a master and two workers of one core each, every
 * executor its own JVM — started by {@code jobs/cluster.sh} and driven through {@code jobs/submit.sh}, as a
 * user would. Evidence comes from Spark itself: the event log of each application. The cluster is stopped
 * after the tests, whether they pass or not.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    /** A small network (the reliability under test does not need the default one) and a fixed budget. */
    private static final String TRAIN_ARGS = "--epochs 6 --batch-size 128 --averaging-frequency 10 --workers 2"
            + " --mixtures 5 --hidden-layers 32,32 --activation tanh --learning-rate 0.005";
    /** How far a run that lost an executor may end from the undisturbed run's test NLL (nats/point). */
    private static final double FAULT_TOLERANCE = 0.15;

    @TempDir
    static Path dir;

    private static Path state;
    private static Path events;
    private static String data;
    private static double undisturbedNll;

    @BeforeAll
    static void startCluster() throws Exception {
        state = dir.resolve("cluster");
        events = Files.createDirectories(dir.resolve("events"));
        data = dir.resolve("train").toString();
        int port = freePort();
        int ui = freePort();
        Result r = run(Duration.ofMinutes(5), "jobs/cluster.sh", "start", "--workers", "2", "--cores", "1",
                "--memory", "2g", "--port", "" + port, "--webui-port", "" + ui);
        assertEquals(0, r.status, r.output);
        assertTrue(r.output.contains("spark://127.0.0.1:" + port), r.output);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        Result r = run(Duration.ofMinutes(1), "jobs/cluster.sh", "stop");
        assertEquals(0, r.status, r.output);
    }

    @Test
    @Order(1)
    void generateTrainAndSampleThroughSparkSubmitUseBothExecutors() throws Exception {
        submitOk("generate", "--rows", "40000", "--seed", "1", "--out", data);
        String model = dir.resolve("model").toString();
        Result train = submitOk(concat(List.of("train", "--input", data, "--model", model), TRAIN_ARGS));
        String samples = dir.resolve("samples").toString();
        submitOk("sample", "--model", model, "--grid", "-1:1:21", "--samples", "50", "--seed", "3", "--out", samples);

        Set<String> executors = trainingExecutors(eventLogOf("spark-mdn train"));
        assertTrue(executors.size() >= 2, "executors that ran training tasks: " + executors + "\n" + train.output);

        MdnModel m = ModelDirectory.load(model);
        assertEquals(6, m.training().history().size());
        assertTrue(m.training().trainer().contains("2 workers"), m.training().trainer());
        undisturbedNll = m.training().testNll();
        assertTrue(undisturbedNll < -1.2, "test NLL " + undisturbedNll);
        SparkSession spark = SparkSessions.create("cluster-it-check", "local[1]");
        try {
            assertEquals(21 * 50, spark.read().parquet(samples).count());
            assertEquals(40000, spark.read().parquet(data).count());
        } finally {
            spark.stop();
        }
    }

    @Test
    @Order(2)
    void trainingSurvivesTheLossOfAnExecutor() throws Exception {
        String model = dir.resolve("model-fault").toString();
        Path log = dir.resolve("train-fault.log");
        Process train = submit(log, concat(List.of("train", "--input", data, "--model", model), TRAIN_ARGS));
        try {
            awaitLine(log, "epoch 1/", Duration.ofMinutes(4));
            ProcessHandle worker = ProcessHandle.of(Long.parseLong(
                    Files.readString(state.resolve("worker-1.pid")).strip())).orElseThrow();
            List<ProcessHandle> executors = worker.children()
                    .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                    .toList();
            assertEquals(1, executors.size(), "executor JVMs under worker 1: " + executors);
            assertTrue(executors.get(0).destroyForcibly(), "kill -9 the executor");

            assertTrue(train.waitFor(8, TimeUnit.MINUTES), "training did not finish");
            String output = Files.readString(log);
            assertEquals(0, train.exitValue(), output);
        } finally {
            train.destroyForcibly();
        }
        JsonNode removed = eventsOf(eventLogOf("spark-mdn train", 1)).stream()
                .filter(e -> e.path("Event").asText().equals("SparkListenerExecutorRemoved"))
                .findFirst().orElse(null);
        assertTrue(removed != null, "the event log records the lost executor");
        double faultNll = ModelDirectory.load(model).training().testNll();
        System.out.printf("cluster test NLL: undisturbed %.4f, with a killed executor %.4f (%s)%n",
                undisturbedNll, faultNll, removed.path("Removed Reason").asText());
        assertEquals(undisturbedNll, faultNll, FAULT_TOLERANCE);
    }

    /**
     * Eight workers on two one-core executors compute what eight workers compute in one JVM: the same dealt blocks,
     * minibatches and averaging rounds, the scale-out plan's batch of 128 rows included, so the same model up to the
     * order in which Spark sums the workers' parameters.
     */
    @Test
    @Order(3)
    void eightWorkersOnTheClusterFitAsEightWorkersInOneJvm() throws Exception {
        String args = "--epochs 2 --averaging-frequency 10 --workers 8 --seed 5"
                + " --mixtures 5 --hidden-layers 32,32 --activation tanh --learning-rate 0.005";
        String clusterModel = dir.resolve("model-w8-cluster").toString();
        submitOk(concat(List.of("train", "--input", data, "--model", clusterModel), args));
        String localModel = dir.resolve("model-w8-local").toString();
        assertEquals(0, JobRunner.run(new TrainJob(),
                concat(List.of("--master", "local[2]", "--input", data, "--model", localModel), args)
                        .toArray(new String[0])));
        MdnModel cluster = ModelDirectory.load(clusterModel);
        MdnModel local = ModelDirectory.load(localModel);
        assertTrue(cluster.training().trainer().contains("8 workers, batch 128"), cluster.training().trainer());
        assertEquals(local.training().trainer(), cluster.training().trainer());
        System.out.printf("8 workers, test NLL per epoch: cluster %s, one JVM %s%n", cluster.training().history(),
                local.training().history());
        for (int e = 0; e < 2; e++) {
            assertEquals(local.training().history().get(e).testNll(), cluster.training().history().get(e).testNll(),
                    1e-3, "epoch " + (e + 1));
        }
    }

    // --- evidence from Spark's event logs

    /** Executor ids that ran tasks of jobs described "train: epoch …". */
    private static Set<String> trainingExecutors(Path eventLog) throws IOException {
        Map<Integer, String> stageJob = new HashMap<>();
        Set<String> executors = new HashSet<>();
        for (JsonNode e : eventsOf(eventLog)) {
            switch (e.path("Event").asText()) {
                case "SparkListenerJobStart" -> {
                    String description = e.path("Properties").path("spark.job.description").asText("");
                    e.path("Stage IDs").forEach(id -> stageJob.put(id.asInt(), description));
                }
                case "SparkListenerTaskEnd" -> {
                    if (stageJob.getOrDefault(e.path("Stage ID").asInt(), "").startsWith("train: epoch")) {
                        executors.add(e.path("Task Info").path("Executor ID").asText());
                    }
                }
                default -> { }
            }
        }
        return executors;
    }

    private static Path eventLogOf(String appNamePrefix) throws IOException {
        return eventLogOf(appNamePrefix, 0);
    }

    /** The {@code index}-th (by time) event log of an application whose name starts with the prefix. */
    private static Path eventLogOf(String appNamePrefix, int index) throws IOException {
        List<Path> matching = new ArrayList<>();
        try (var files = Files.list(events)) {
            for (Path p : files.sorted().toList()) {
                List<JsonNode> list = eventsOf(p);
                boolean match = list.stream().anyMatch(e -> e.path("Event").asText().equals(
                        "SparkListenerApplicationStart") && e.path("App Name").asText().startsWith(appNamePrefix));
                if (match) {
                    matching.add(p);
                }
            }
        }
        matching.sort((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()));
        assertTrue(matching.size() > index, "event logs of '" + appNamePrefix + "': " + matching);
        return matching.get(index);
    }

    private static List<JsonNode> eventsOf(Path eventLog) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> list = new ArrayList<>();
        for (String line : Files.readAllLines(eventLog, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                list.add(json.readTree(line));
            }
        }
        return list;
    }

    // --- processes

    private record Result(int status, String output) {
    }

    private static Result submitOk(List<String> args) throws Exception {
        return submitOk(args.toArray(new String[0]));
    }

    private static Result submitOk(String... args) throws Exception {
        Path log = dir.resolve(args[0] + "-" + System.nanoTime() + ".log");
        Process p = submit(log, List.of(args));
        assertTrue(p.waitFor(8, TimeUnit.MINUTES), args[0] + " did not finish");
        Result r = new Result(p.exitValue(), Files.readString(log));
        assertEquals(0, r.status, args[0] + " failed:\n" + r.output);
        return r;
    }

    private static Process submit(Path log, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("jobs/submit.sh", args.get(0),
                "--conf", "spark.eventLog.enabled=true", "--conf", "spark.eventLog.dir=" + events.toUri()));
        command.addAll(args.subList(1, args.size()));
        return process(command).redirectOutput(log.toFile()).start();
    }

    private static Result run(Duration timeout, String... command) throws Exception {
        File log = dir.resolve("cmd-" + System.nanoTime() + ".log").toFile();
        Process p = process(List.of(command)).redirectOutput(log).start();
        assertTrue(p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS), String.join(" ", command) + " timed out");
        return new Result(p.exitValue(), Files.readString(log.toPath()));
    }

    private static ProcessBuilder process(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().put("SPARK_MDN_CLUSTER_DIR", state.toString());
        return pb;
    }

    private static void awaitLine(Path log, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("'" + text + "' did not appear in " + log + ":\n" + Files.readString(log));
    }

    private static List<String> concat(List<String> head, String tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail.split(" ")));
        return all;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
