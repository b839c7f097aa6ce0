package io.sparkmdn.bench;

import io.sparkmdn.util.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A model of the wall time of one parameter-averaging round, fitted to measured epochs and used to predict
 * training on more executors than were measured.
 *
 * <p>In one round each of the w workers fits B minibatches of b rows (B = the averaging frequency), then the
 * parameters and updater state are broadcast, gathered and averaged:
 *
 * <pre>
 *   roundSeconds(w, B, b) = B·b·c + F(w, P)        F(w, P) = f0 + f1·w + f2·P
 *   epochSeconds           = R · roundSeconds        R = ceil(N / (w·B·b))   (N rows, all workers together)
 *   efficiency             = B·b·c / (B·b·c + F)    (compute time / round time)
 *   samples/s              = w·B·b / roundSeconds   = w · efficiency / c
 *   smallest B with efficiency ≥ e:   B ≥ e·F / ((1 − e)·b·c)
 * </pre>
 *
 * where c is the seconds of compute per training row on one worker (one core) — a constant per network, since
 * it grows with the network's size — and F the fixed cost of a round: Spark's job and task scheduling (f0), the
 * broadcast and gathering that grow with the workers (f1 per worker) and with the network (f2 per parameter).
 * P counts the network's parameters (weights and biases) alone; the updater state that is averaged with them
 * (Adam: two more arrays of P) grows in proportion, so f2 is the cost per parameter including its updater
 * state. Efficiency is samples/s on w workers over w times the samples/s of one worker that had no fixed cost.
 *
 * <p>{@link #fit} finds the constants by least squares of the relative error of each observation's seconds per
 * round (epoch seconds / R); a constant that comes out negative (which would make a round cheaper with more
 * workers or parameters) is fixed at 0 and the others refitted. {@link #fitFixedCost} fits f0, f1 and f2 alone,
 * the compute cost c of each network given (from a fit where compute and fixed cost can be told apart): for few
 * observations of a setting whose fixed cost differs (a cluster of separate executor JVMs) but whose compute per
 * row on one core is the same.
 *
 * @param networks         the compute cost per row of each network fitted (names unique)
 * @param f0               fixed seconds per round (≥ 0)
 * @param f1               seconds per round per worker (≥ 0)
 * @param f2               seconds per round per network parameter (≥ 0)
 * @param observations     observations fitted (0 for a model written by hand)
 * @param rmsRelativeError root mean square of (model − measured) / measured over the observations (0 for none)
 */
public record ScaleOutModel(List<NetworkCost> networks, double f0, double f1, double f2, int observations,
                            double rmsRelativeError) {

    public ScaleOutModel {
        Checks.checkArgument(networks != null && !networks.isEmpty(), "A scale-out model needs at least one network");
        networks = List.copyOf(networks);
        Set<String> names = new HashSet<>();
        for (NetworkCost n : networks) {
            Checks.checkArgument(n != null, "Network costs must not be null");
            Checks.checkArgument(names.add(n.network()), "Network '%s' appears twice in the scale-out model",
                    n.network());
        }
        checkConstant("f0", f0);
        checkConstant("f1", f1);
        checkConstant("f2", f2);
        Checks.checkArgument(observations >= 0, "Invalid number of observations: %s (must be >= 0)", observations);
        Checks.checkArgument(Double.isFinite(rmsRelativeError) && rmsRelativeError >= 0,
                "Invalid RMS relative error: %s (must be finite and >= 0)", rmsRelativeError);
    }

    private static void checkConstant(String name, double value) {
        Checks.checkArgument(Double.isFinite(value) && value >= 0, "Invalid fixed cost %s: %s (must be finite and >= 0)",
                name, value);
    }

    /**
     * One network's compute cost.
     *
     * @param network          its name, as the observations give it
     * @param parameters       its parameter count P (≥ 1)
     * @param secondsPerSample c: seconds of compute per training row on one worker (finite, > 0)
     */
    public record NetworkCost(String network, long parameters, double secondsPerSample) {
        public NetworkCost {
            Checks.checkArgument(network != null && !network.isBlank(), "Network name is missing");
            Checks.checkArgument(parameters >= 1, "Invalid parameter count of network '%s': %s (must be >= 1)",
                    network, parameters);
            Checks.checkArgument(Double.isFinite(secondsPerSample) && secondsPerSample > 0,
                    "Invalid compute per sample of network '%s': %s s (must be finite and > 0)", network,
                    secondsPerSample);
        }
    }

    /**
     * One measured epoch.
     *
     * @param network         the network's name (observations of one network share its compute cost c)
     * @param parameters      the network's parameter count P (≥ 1)
     * @param workers         w, parallel workers (≥ 1)
     * @param batchesPerRound B, minibatches each worker fits per round (≥ 1)
     * @param batchSize       b, rows per minibatch (≥ 1)
     * @param rounds          R, averaging rounds in the epoch (≥ 1)
     * @param epochSeconds    wall time of the epoch's gradient steps (finite, > 0)
     */
    public record Observation(String network, long parameters, int workers, int batchesPerRound, int batchSize,
                              int rounds, double epochSeconds) {
        public Observation {
            Checks.checkArgument(network != null && !network.isBlank(), "Network name is missing");
            Checks.checkArgument(parameters >= 1, "Invalid parameter count of network '%s': %s (must be >= 1)",
                    network, parameters);
            checkWorkers(workers);
            checkBatches(batchesPerRound);
            checkBatchSize(batchSize);
            Checks.checkArgument(rounds >= 1, "Invalid number of rounds: %s (must be >= 1)", rounds);
            Checks.checkArgument(Double.isFinite(epochSeconds) && epochSeconds > 0,
                    "Invalid epoch seconds: %s (must be finite and > 0)", epochSeconds);
        }

        /** Measured seconds per round: epoch seconds / R. */
        public double roundSeconds() {
            return epochSeconds / rounds;
        }

        /** Rows each worker fits per round, B·b. */
        public long samplesPerWorkerPerRound() {
            return (long) batchesPerRound * batchSize;
        }
    }

    /**
     * What the model predicts for one network on {@code workers} workers (one core each, the same compute per
     * row as measured), each holding {@code rowsPerWorker} training rows (weak scaling).
     *
     * @param network              the network's name
     * @param parameters           its parameter count P
     * @param workers              w
     * @param batchesPerRound      B, the averaging frequency
     * @param batchSize            b
     * @param rowsPerWorker        training rows per worker per epoch
     * @param computeSeconds       B·b·c, seconds of gradient steps per round
     * @param fixedSeconds         F(w, P), the fixed seconds per round
     * @param roundSeconds         compute + fixed
     * @param rounds               R = ceil(rowsPerWorker / (B·b))
     * @param epochSeconds         R · roundSeconds
     * @param samplesPerSecond     w·B·b / roundSeconds, all workers together
     * @param efficiency           computeSeconds / roundSeconds
     * @param targetEfficiency     the efficiency {@code averagingForTarget} keeps
     * @param averagingForTarget   the smallest averaging frequency B with efficiency ≥ {@code targetEfficiency}
     */
    public record Prediction(String network, long parameters, int workers, int batchesPerRound, int batchSize,
                             long rowsPerWorker, double computeSeconds, double fixedSeconds, double roundSeconds,
                             int rounds, double epochSeconds, double samplesPerSecond, double efficiency,
                             double targetEfficiency, int averagingForTarget) {

        /** Samples/s of one worker: {@code samplesPerSecond / workers}. */
        public double samplesPerSecondPerWorker() {
            return samplesPerSecond / workers;
        }
    }

    /** The compute cost of the network named {@code network}. */
    public NetworkCost network(String network) {
        return networks.stream().filter(n -> n.network().equals(network)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("Unknown network '" + network + "' (the model has "
                        + networks.stream().map(NetworkCost::network).toList() + ")"));
    }

    /** F(w, P) = f0 + f1·w + f2·P: the fixed seconds of one round on {@code workers} workers. */
    public double fixedSeconds(int workers, long parameters) {
        checkWorkers(workers);
        Checks.checkArgument(parameters >= 1, "Invalid parameter count: %s (must be >= 1)", parameters);
        return f0 + f1 * workers + f2 * parameters;
    }

    /** B·b·c: the seconds of gradient steps of one worker in one round. */
    public double computeSeconds(String network, int batchesPerRound, int batchSize) {
        checkBatches(batchesPerRound);
        checkBatchSize(batchSize);
        return (double) batchesPerRound * batchSize * network(network).secondsPerSample();
    }

    /** B·b·c + F(w, P): the seconds of one round. */
    public double roundSeconds(String network, int workers, int batchesPerRound, int batchSize) {
        return computeSeconds(network, batchesPerRound, batchSize)
                + fixedSeconds(workers, network(network).parameters());
    }

    /** R · round seconds: an epoch of {@code rounds} rounds. */
    public double epochSeconds(String network, int workers, int batchesPerRound, int batchSize, int rounds) {
        Checks.checkArgument(rounds >= 1, "Invalid number of rounds: %s (must be >= 1)", rounds);
        return rounds * roundSeconds(network, workers, batchesPerRound, batchSize);
    }

    /** B·b·c / (B·b·c + F): the fraction of a round spent on gradient steps. */
    public double efficiency(String network, int workers, int batchesPerRound, int batchSize) {
        return computeSeconds(network, batchesPerRound, batchSize)
                / roundSeconds(network, workers, batchesPerRound, batchSize);
    }

    /**
     * The smallest averaging frequency B (≥ 1) whose efficiency on {@code workers} workers is at least
     * {@code target}: ceil(target·F / ((1 − target)·b·c)).
     */
    public int averagingFrequencyFor(String network, int workers, int batchSize, double target) {
        Checks.checkArgument(target > 0 && target < 1, "Invalid target efficiency: %s (must be > 0 and < 1)", target);
        checkBatchSize(batchSize);
        NetworkCost n = network(network);
        double bound = target * fixedSeconds(workers, n.parameters()) / ((1 - target) * batchSize
                * n.secondsPerSample());
        Checks.checkArgument(bound < Integer.MAX_VALUE, "No averaging frequency below %s reaches efficiency %s",
                Integer.MAX_VALUE, target);
        int b = (int) Math.max(1, Math.ceil(bound));
        // ceil of a rounded quotient may land one off the exact boundary
        while (b > 1 && efficiency(network, workers, b - 1, batchSize) >= target) {
            b--;
        }
        while (efficiency(network, workers, b, batchSize) < target) {
            b++;
        }
        return b;
    }

    /**
     * The prediction for {@code workers} workers averaging every {@code batchesPerRound} minibatches of
     * {@code batchSize} rows, each worker holding {@code rowsPerWorker} rows (weak scaling), with the smallest
     * averaging frequency that keeps {@code targetEfficiency}.
     */
    public Prediction predict(String network, int workers, int batchesPerRound, int batchSize, long rowsPerWorker,
                              double targetEfficiency) {
        Checks.checkArgument(rowsPerWorker >= 1, "Invalid rows per worker: %s (must be >= 1)", rowsPerWorker);
        NetworkCost n = network(network);
        double compute = computeSeconds(network, batchesPerRound, batchSize);
        double fixed = fixedSeconds(workers, n.parameters());
        double round = compute + fixed;
        long perRound = (long) batchesPerRound * batchSize;
        int rounds = (int) Math.min(Integer.MAX_VALUE, (rowsPerWorker + perRound - 1) / perRound);
        return new Prediction(network, n.parameters(), workers, batchesPerRound, batchSize, rowsPerWorker, compute,
                fixed, round, rounds, rounds * round, workers * perRound / round, compute / round, targetEfficiency,
                averagingFrequencyFor(network, workers, batchSize, targetEfficiency));
    }

    /** The model's seconds per round for an observation's network and plan. */
    public double roundSeconds(Observation o) {
        return roundSeconds(o.network(), o.workers(), o.batchesPerRound(), o.batchSize());
    }

    /** The model's epoch seconds for an observation's network and plan. */
    public double epochSeconds(Observation o) {
        return o.rounds() * roundSeconds(o);
    }

    // --- the trainer's plan (SparkTrainer's, restated: the bench sees only its public interface)

    /**
     * Averaging rounds per epoch as the Spark trainer plans them: ceil(N / (b·w·A)), at least 1 (the formula of
     * {@code SparkTrainer.roundsPerEpoch}).
     */
    public static int roundsPerEpoch(long trainRows, int batchSize, int workers, int averagingFrequency) {
        Checks.checkArgument(trainRows >= 0, "Invalid number of training rows: %s (must be >= 0)", trainRows);
        checkBatchSize(batchSize);
        checkWorkers(workers);
        checkBatches(averagingFrequency);
        long rowsPerRound = (long) batchSize * workers * averagingFrequency;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (trainRows + rowsPerRound - 1) / rowsPerRound));
    }

    /**
     * Minibatches per worker per round: the batches of a partition when the N rows are dealt evenly into R·w
     * partitions, ceil(ceil(N / (R·w)) / b). The trainer counts its fullest partition instead
     * ({@code SparkTrainer.mostBatchesInAPartition}); rows are dealt by a hash, so that can be one batch more.
     */
    public static int batchesPerRound(long trainRows, int batchSize, int workers, int rounds) {
        Checks.checkArgument(trainRows >= 0, "Invalid number of training rows: %s (must be >= 0)", trainRows);
        checkBatchSize(batchSize);
        checkWorkers(workers);
        Checks.checkArgument(rounds >= 1, "Invalid number of rounds: %s (must be >= 1)", rounds);
        long parts = (long) rounds * workers;
        long rowsPerPartition = (trainRows + parts - 1) / parts;
        return (int) Math.max(1, (rowsPerPartition + batchSize - 1) / batchSize);
    }

    // --- the fit

    /**
     * The constants fitted to {@code observations}: one compute cost c per network, f0, f1 and f2, by least squares
     * of the relative error of each observation's seconds per round. The observations must determine them: at
     * least two networks of different parameter counts, two worker counts, and for each network two values of
     * B·b.
     */
    public static ScaleOutModel fit(List<Observation> observations) {
        Checks.checkArgument(observations != null && !observations.isEmpty(), "No observations to fit");
        Map<String, Long> parameters = new LinkedHashMap<>();
        Map<String, Set<Long>> samples = new LinkedHashMap<>();
        Set<Integer> workers = new HashSet<>();
        for (Observation o : observations) {
            Checks.checkArgument(o != null, "Observations must not be null");
            Long p = parameters.putIfAbsent(o.network(), o.parameters());
            Checks.checkArgument(p == null || p == o.parameters(),
                    "Network '%s' is observed with two parameter counts: %s and %s", o.network(), p, o.parameters());
            samples.computeIfAbsent(o.network(), k -> new HashSet<>()).add(o.samplesPerWorkerPerRound());
            workers.add(o.workers());
        }
        Checks.checkArgument(new HashSet<>(parameters.values()).size() >= 2,
                "The observations cover networks of one parameter count only (%s): f2 (per parameter) needs two",
                parameters);
        Checks.checkArgument(workers.size() >= 2,
                "The observations cover one worker count only (%s): f1 (per worker) needs two", workers);
        samples.forEach((network, values) -> Checks.checkArgument(values.size() >= 2,
                "Network '%s' is observed at one value of batches per round × batch size only (%s): its compute "
                        + "per sample needs two", network, values));

        List<String> names = new ArrayList<>(parameters.keySet());
        int k = names.size();
        int unknowns = k + 3; // c per network, then f0, f1, f2
        Checks.checkArgument(observations.size() >= unknowns,
                "%s observations cannot determine %s constants", observations.size(), unknowns);
        double[][] a = new double[observations.size()][unknowns];
        double[] y = new double[observations.size()];
        for (int i = 0; i < observations.size(); i++) {
            Observation o = observations.get(i);
            double scale = 1 / o.roundSeconds(); // relative error: every row divided by its measured value
            a[i][names.indexOf(o.network())] = o.samplesPerWorkerPerRound() * scale;
            a[i][k] = scale;
            a[i][k + 1] = o.workers() * scale;
            a[i][k + 2] = o.parameters() * scale;
            y[i] = 1;
        }
        double[] x = nonNegativeLeastSquares(a, y);
        List<NetworkCost> costs = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            Checks.checkArgument(x[j] > 0, "The compute per sample of network '%s' fits as %s s: its epochs do "
                    + "not take longer with more rows per round", names.get(j), x[j]);
            costs.add(new NetworkCost(names.get(j), parameters.get(names.get(j)), x[j]));
        }
        return scored(costs, x[k], x[k + 1], x[k + 2], observations);
    }

    /**
     * The fixed-cost constants f0, f1 and f2 fitted to {@code observations} with each network's compute cost c
     * given ({@code networks}, e.g. {@link #networks()} of a model fitted by {@link #fit}), by least squares of the
     * relative error of each observation's seconds per round: (F(w, P) − (measured − B·b·c)) / measured. A
     * constant that comes out negative is fixed at 0 and the others refitted. Three unknowns: the observations
     * must cover two parameter counts, two worker counts and be at least three. The model keeps all of
     * {@code networks}, observed or not.
     */
    public static ScaleOutModel fitFixedCost(List<NetworkCost> networks, List<Observation> observations) {
        Checks.checkArgument(networks != null && !networks.isEmpty(), "No compute costs to fit the fixed cost with");
        Checks.checkArgument(observations != null && !observations.isEmpty(), "No observations to fit");
        Map<String, NetworkCost> costs = new LinkedHashMap<>();
        networks.forEach(n -> costs.put(n.network(), n));
        Set<Long> parameters = new HashSet<>();
        Set<Integer> workers = new HashSet<>();
        for (Observation o : observations) {
            Checks.checkArgument(o != null, "Observations must not be null");
            NetworkCost n = costs.get(o.network());
            Checks.checkArgument(n != null, "Network '%s' has no compute cost to fit the fixed cost with (costs of %s)",
                    o.network(), costs.keySet());
            Checks.checkArgument(n.parameters() == o.parameters(),
                    "Network '%s' is observed with %s parameters, its compute cost is of %s", o.network(),
                    o.parameters(), n.parameters());
            parameters.add(o.parameters());
            workers.add(o.workers());
        }
        Checks.checkArgument(parameters.size() >= 2,
                "The observations cover networks of one parameter count only (%s): f2 (per parameter) needs two",
                parameters);
        Checks.checkArgument(workers.size() >= 2,
                "The observations cover one worker count only (%s): f1 (per worker) needs two", workers);
        Checks.checkArgument(observations.size() >= 3, "%s observations cannot determine 3 constants",
                observations.size());
        double[][] a = new double[observations.size()][3];
        double[] y = new double[observations.size()];
        for (int i = 0; i < observations.size(); i++) {
            Observation o = observations.get(i);
            double scale = 1 / o.roundSeconds(); // relative error: every row divided by its measured value
            a[i][0] = scale;
            a[i][1] = o.workers() * scale;
            a[i][2] = o.parameters() * scale;
            y[i] = 1 - o.samplesPerWorkerPerRound() * costs.get(o.network()).secondsPerSample() * scale;
        }
        double[] x = nonNegativeLeastSquares(a, y);
        return scored(networks, x[0], x[1], x[2], observations);
    }

    /** The model of these constants with its RMS relative error of the round seconds over {@code observations}. */
    private static ScaleOutModel scored(List<NetworkCost> costs, double f0, double f1, double f2,
                                        List<Observation> observations) {
        ScaleOutModel unscored = new ScaleOutModel(costs, f0, f1, f2, observations.size(), 0);
        double sum = 0;
        for (Observation o : observations) {
            double rel = unscored.roundSeconds(o) / o.roundSeconds() - 1;
            sum += rel * rel;
        }
        return new ScaleOutModel(costs, f0, f1, f2, observations.size(), Math.sqrt(sum / observations.size()));
    }

    /**
     * Least squares of a·x ≈ y with x ≥ 0: an unconstrained fit, then while a coefficient is negative the most
     * negative one is fixed at 0 and the rest refitted.
     */
    static double[] nonNegativeLeastSquares(double[][] a, double[] y) {
        int n = a[0].length;
        boolean[] free = new boolean[n];
        Arrays.fill(free, true);
        while (true) {
            int[] cols = IntStream.range(0, n).filter(j -> free[j]).toArray();
            double[][] sub = new double[a.length][cols.length];
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < cols.length; j++) {
                    sub[i][j] = a[i][cols[j]];
                }
            }
            double[] s = leastSquares(sub, y);
            double[] x = new double[n];
            int worst = -1;
            for (int j = 0; j < cols.length; j++) {
                x[cols[j]] = s[j];
                if (s[j] < 0 && (worst < 0 || s[j] < x[worst])) {
                    worst = cols[j];
                }
            }
            if (worst < 0) {
                return x;
            }
            free[worst] = false;
        }
    }

    /**
     * Least squares of a·x ≈ y (a: m × n, m ≥ n) by Householder QR, the columns scaled to unit largest value first
     * (their units differ by orders of magnitude). Fails when the columns are (nearly) dependent.
     */
    static double[] leastSquares(double[][] a, double[] y) {
        int m = a.length;
        int n = a[0].length;
        Checks.checkArgument(m >= n, "%s equations cannot determine %s unknowns", m, n);
        double[][] r = new double[m][n];
        double[] b = y.clone();
        double[] colScale = new double[n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                colScale[j] = Math.max(colScale[j], Math.abs(a[i][j]));
            }
            Checks.checkArgument(colScale[j] > 0, "Unknown %s multiplies only zeros: the observations do not "
                    + "determine it", j);
            for (int i = 0; i < m; i++) {
                r[i][j] = a[i][j] / colScale[j];
            }
        }
        double[] diag = new double[n];
        for (int j = 0; j < n; j++) {
            double norm = 0;
            for (int i = j; i < m; i++) {
                norm = Math.hypot(norm, r[i][j]);
            }
            double alpha = r[j][j] > 0 ? -norm : norm;
            diag[j] = alpha;
            double[] v = new double[m];
            for (int i = j; i < m; i++) {
                v[i] = r[i][j];
            }
            v[j] -= alpha;
            double vv = 0;
            for (int i = j; i < m; i++) {
                vv += v[i] * v[i];
            }
            if (vv > 0) {
                for (int col = j; col < n; col++) {
                    double dot = 0;
                    for (int i = j; i < m; i++) {
                        dot += v[i] * r[i][col];
                    }
                    double f = 2 * dot / vv;
                    for (int i = j; i < m; i++) {
                        r[i][col] -= f * v[i];
                    }
                }
                double dot = 0;
                for (int i = j; i < m; i++) {
                    dot += v[i] * b[i];
                }
                double f = 2 * dot / vv;
                for (int i = j; i < m; i++) {
                    b[i] -= f * v[i];
                }
            }
        }
        double largest = 0;
        for (double d : diag) {
            largest = Math.max(largest, Math.abs(d));
        }
        double[] x = new double[n];
        for (int j = n - 1; j >= 0; j--) {
            Checks.checkArgument(Math.abs(r[j][j]) > 1e-10 * largest,
                    "The observations do not determine the constants (unknown %s depends on the others)", j);
            double s = b[j];
            for (int col = j + 1; col < n; col++) {
                s -= r[j][col] * x[col];
            }
            x[j] = s / r[j][j];
        }
        for (int j = 0; j < n; j++) {
            x[j] /= colScale[j];
        }
        return x;
    }

    private static void checkWorkers(int workers) {
        Checks.checkArgument(workers >= 1, "Invalid number of workers: %s (must be >= 1)", workers);
    }

    private static void checkBatches(int batchesPerRound) {
        Checks.checkArgument(batchesPerRound >= 1, "Invalid batches per round (averaging frequency): %s (must be >= 1)",
                batchesPerRound);
    }

    private static void checkBatchSize(int batchSize) {
        Checks.checkArgument(batchSize >= 1, "Invalid batch size: %s (must be >= 1)", batchSize);
    }
}
