package io.sparkmdn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmdn.bench.BenchResults.PeerComparison;
import io.sparkmdn.bench.BenchResults.PeerRun;
import io.sparkmdn.data.SeedToy;
import io.sparkmdn.train.EpochStats;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.model.TrainingSummary;
import io.sparkmdn.spark.DataFormat;
import io.sparkmdn.spark.GenerateOptions;
import io.sparkmdn.spark.Generator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our {@code jobs/train.sh} against a plain PyTorch MDN ({@code bench/pytorch_mdn.py}), each a whole process
 * from start to model saved, on the same CSV rows, with the same network, batch, optimiser and schedule, for
 * 10 epochs without early stopping. Runs when a {@code python3} that imports {@code torch} is found (Debian:
 * {@code apt-get install python3-torch}); otherwise the section says it skipped.
 */
final class PeerBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(PeerBenchmark.class);

    /** What is compared: the same network and optimiser, in our flags and in the script's. */
    record Network(String name, List<String> ourFlags, List<String> peerFlags) {
    }

    /** 1→32 tanh→32 tanh→K=5, batch 256, Adam 0.005 at a constant rate: the small network. */
    static final Network TINY = new Network("tiny (1→32 tanh→32 tanh→K=5, batch 256, adam 0.005, constant)",
            List.of("--mixtures", "5", "--hidden-layers", "32,32", "--activation", "tanh", "--learning-rate",
                    "0.005", "--batch-size", "256", "--learning-rate-decay", "1"),
            List.of("--mixtures", "5", "--hidden", "32,32", "--activation", "tanh", "--learning-rate", "0.005",
                    "--batch-size", "256", "--learning-rate-decay", "1"));

    /** Our defaults, spelled out for the script (K=20, three ReLU layers of 64, batch 512, Adam 0.01 × 0.9). */
    static final Network DEFAULT = new Network("default (1→64 relu→64 relu→64 relu→K=20, batch 512, adam 0.01, "
            + "×0.9 per epoch)", List.of(),
            List.of("--mixtures", "20", "--hidden", "64,64,64", "--activation", "relu", "--learning-rate", "0.01",
                    "--batch-size", "512", "--learning-rate-decay", "0.9"));

    private final SparkSession spark;
    private final BenchOptions options;
    private final Path scratch;

    PeerBenchmark(SparkSession spark, BenchOptions options, Path scratch) {
        this.spark = spark;
        this.options = options;
        this.scratch = scratch;
    }

    void run(BenchResults results) {
        String python = findPython();
        if (python == null) {
            results.peerSkipped = "no python3 that imports torch (on Debian: apt-get install python3-torch)";
            LOG.warn("PyTorch peer skipped: {}", results.peerSkipped);
            return;
        }
        Path trainScript = Path.of("jobs", "train.sh");
        Path peerScript = Path.of("bench", "pytorch_mdn.py");
        if (!Files.isRegularFile(trainScript) || !Files.isRegularFile(peerScript)) {
            results.peerSkipped = "run from the repository root (no " + trainScript + " or " + peerScript + ")";
            LOG.warn("PyTorch peer skipped: {}", results.peerSkipped);
            return;
        }
        try {
            compare(results, python, trainScript, peerScript);
        } finally {
            Benchmarks.deleteBelow(scratch);
        }
    }

    private void compare(BenchResults results, String python, Path trainScript, Path peerScript) {
        String data = scratch.resolve("peer-seed.csv").toString();
        Generator.write(spark, new GenerateOptions(SeedToy.INSTANCE, options.peerRows(), 1, 1, data,
                DataFormat.CSV, true));
        results.peerPython = python + " " + output(List.of(python, "-c", "import torch; print(torch.__version__)"))
                .strip();
        // one unmeasured run first: after a build, jobs/lib.sh's first job writes the class-data archive as it
        // exits, which every later job starts from; the comparison is of those later runs
        warmUp(trainScript, data);
        for (Network network : List.of(TINY, DEFAULT)) {
            List<PeerRun> ours = new ArrayList<>();
            List<PeerRun> theirs = new ArrayList<>();
            for (int rep = 0; rep < options.peerRepeats(); rep++) {
                // alternate who goes first, so neither always runs on a warmer machine
                if (rep % 2 == 0) {
                    ours.add(ours(network, trainScript, data, rep));
                    theirs.add(theirs(network, python, peerScript, data, rep));
                } else {
                    theirs.add(theirs(network, python, peerScript, data, rep));
                    ours.add(ours(network, trainScript, data, rep));
                }
            }
            results.peerRuns.addAll(ours);
            results.peerRuns.addAll(theirs);
            results.peerComparisons.add(compare(network.name(), ours, theirs));
        }
    }

    private void warmUp(Path script, String data) {
        long begin = System.nanoTime();
        output(List.of("bash", script.toString(), "--input", data, "--model", scratch.resolve("peer-warm-up").toString(),
                "--mode", "overwrite", "--master", "local[2]", "--epochs", "1", "--no-early-stopping"));
        LOG.info("warm-up run of {} (not measured): {} s", script, String.format("%.1f", (System.nanoTime() - begin) / 1e9));
    }

    private PeerRun ours(Network network, Path script, String data, int rep) {
        String model = scratch.resolve("peer-model-" + rep).toString();
        List<String> command = new ArrayList<>(List.of("bash", script.toString(), "--input", data, "--model", model,
                "--mode", "overwrite", "--master", "local[2]", "--epochs", Integer.toString(options.peerEpochs()),
                "--no-early-stopping"));
        command.addAll(network.ourFlags());
        long begin = System.nanoTime();
        output(command);
        double wall = (System.nanoTime() - begin) / 1e9;
        TrainingSummary summary = ModelDirectory.load(model).training();
        List<EpochStats> history = summary.history();
        PeerRun run = new PeerRun(network.name(), "spark-mdn train local[2]", summary.trainRows(),
                history.stream().map(EpochStats::samplesPerSecond).toList(),
                history.stream().map(EpochStats::testNll).toList(), wall, summary.phases());
        LOG.info("ours, {}: steady {} samples/s, wall {} s, phases {}", network.name(),
                String.format("%.0f", run.steadySamplesPerSecond()), String.format("%.1f", wall), run.phases());
        return run;
    }

    private PeerRun theirs(Network network, String python, Path script, String data, int rep) {
        Path stats = scratch.resolve("peer-torch-" + rep + ".json");
        List<String> command = new ArrayList<>(List.of(python, script.toString(), "--data", data, "--out",
                stats.toString(), "--epochs", Integer.toString(options.peerEpochs()), "--threads", "2"));
        command.addAll(network.peerFlags());
        long begin = System.nanoTime();
        output(command);
        double wall = (System.nanoTime() - begin) / 1e9;
        try {
            JsonNode json = new ObjectMapper().readTree(stats.toFile());
            List<Double> speed = new ArrayList<>();
            List<Double> nll = new ArrayList<>();
            json.get("epochs").forEach(e -> {
                speed.add(e.get("samplesPerSecond").asDouble());
                nll.add(e.get("testNll").asDouble());
            });
            Map<String, Double> phases = new LinkedHashMap<>();
            phases.put("start and read CSV", json.get("secondsBeforeFirstEpoch").asDouble());
            PeerRun run = new PeerRun(network.name(), "PyTorch " + json.get("torch").asText() + ", 2 threads",
                    json.get("trainRows").asLong(), speed, nll, wall, phases);
            LOG.info("PyTorch, {}: steady {} samples/s, wall {} s", network.name(),
                    String.format("%.0f", run.steadySamplesPerSecond()), String.format("%.1f", wall));
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the PyTorch peer's statistics " + stats, e);
        }
    }

    /** Medians over the repeats: speed and wall ratios (ours / theirs), final and best test NLL gaps. */
    static PeerComparison compare(String network, List<PeerRun> ours, List<PeerRun> theirs) {
        double speedRatio = Benchmarks.median(ours.stream().map(PeerRun::steadySamplesPerSecond).toList())
                / Benchmarks.median(theirs.stream().map(PeerRun::steadySamplesPerSecond).toList());
        double wallRatio = Benchmarks.median(ours.stream().map(PeerRun::wallSeconds).toList())
                / Benchmarks.median(theirs.stream().map(PeerRun::wallSeconds).toList());
        double finalGap = Benchmarks.median(ours.stream().map(PeerRun::finalTestNll).toList())
                - Benchmarks.median(theirs.stream().map(PeerRun::finalTestNll).toList());
        double bestGap = Benchmarks.median(ours.stream().map(PeerRun::bestTestNll).toList())
                - Benchmarks.median(theirs.stream().map(PeerRun::bestTestNll).toList());
        return new PeerComparison(network, speedRatio, wallRatio, finalGap, bestGap);
    }

    /** A python3 that imports torch: the one on the PATH, else Debian's; null when neither does. */
    static String findPython() {
        for (String python : List.of("python3", "/usr/bin/python3")) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return python;
                }
            } catch (IOException e) {
                // not installed: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /** Runs {@code command}, returning its output (stdout and stderr); fails naming the command if it fails. */
    private static String output(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) {
                String tail = out.length() > 4000 ? out.substring(out.length() - 4000) : out;
                throw new IllegalStateException("Benchmark command failed (exit " + rc + "): "
                        + String.join(" ", command) + "\n" + tail);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", command), e);
        }
    }
}
