package io.sparkmdn.train;

import io.sparkmdn.util.Checks;
import java.util.Arrays;

/**
 * Block momentum over parameter-averaging rounds (BMUF: Chen and Huo, ICASSP 2016, in Nesterov's form). After a
 * round whose workers all started from the point {@code p} and whose average is {@code a}, the driver filters the
 * round's averaged change {@code a − p} through a momentum buffer and starts the next round from a point further
 * along it:
 * <pre>
 *   Δ ← μ·Δ + η·(a − p)          the block-level smoothed change (Δ = 0 before the first round)
 *   next = p + μ·Δ + η·(a − p)   Nesterov's look-ahead: the next round starts where the momentum leads
 * </pre>
 * A steady change d per round moves the model d·η/(1 − μ) per round: with μ = 1 − 1/W and η = 1, W times, so W workers that each fit 1/W of the rows
 * move the model about as far per round as one worker fitting all of them would. μ = 0, η = 1 is plain parameter
 * averaging ({@link #isIdentity()}: the trainer then leaves DL4J's average untouched, bit for bit). The workers'
 * updater state (Adam's moments, averaged by DL4J) is kept as it is: the momentum acts on the parameters only, as
 * in SlowMo (Wang et al., ICLR 2020), whose buffer, like this one, is the driver's alone.
 *
 * <p>Not thread-safe: one instance per training run, used by the driver.
 */
public final class BlockMomentum {

    private final double momentum;
    private final double blockRate;
    private double[] delta;

    /**
     * @param momentum  μ, in [0, 1)
     * @param blockRate η, in (0, 2]
     */
    public BlockMomentum(double momentum, double blockRate) {
        checkMomentum(momentum);
        checkBlockRate(blockRate);
        this.momentum = momentum;
        this.blockRate = blockRate;
    }

    /** The momentum BMUF recommends for {@code workers} workers: 1 − 1/W (0 for one worker). */
    public static double forWorkers(int workers) {
        Checks.checkArgument(workers >= 1, "Invalid number of workers: %s (must be >= 1)", workers);
        return 1.0 - 1.0 / workers;
    }

    /** Whether this is plain averaging (μ = 0, η = 1): the averaged parameters are the next round's start. */
    public boolean isIdentity() {
        return momentum == 0 && blockRate == 1;
    }

    public double momentum() {
        return momentum;
    }

    public double blockRate() {
        return blockRate;
    }

    /**
     * One round: the point the round started from and the workers' average in, the next round's start out
     * (a new array; neither argument is changed).
     */
    public double[] step(double[] start, double[] averaged) {
        Checks.checkArgument(start.length == averaged.length,
                "Block momentum: start has %s parameters, the average %s", start.length, averaged.length);
        if (delta == null) {
            delta = new double[start.length];
        }
        Checks.checkArgument(delta.length == start.length,
                "Block momentum: the buffer has %s parameters, the round %s", delta.length, start.length);
        double[] next = new double[start.length];
        for (int i = 0; i < next.length; i++) {
            double change = blockRate * (averaged[i] - start[i]);
            delta[i] = momentum * delta[i] + change;
            next[i] = start[i] + momentum * delta[i] + change;
        }
        return next;
    }

    /** The buffer Δ (a copy; zeros before the first round, null if no round has run). */
    public double[] buffer() {
        return delta == null ? null : delta.clone();
    }

    @Override
    public String toString() {
        return "BlockMomentum(momentum=" + momentum + ", blockRate=" + blockRate
                + (delta == null ? "" : ", |Δ|=" + Math.sqrt(Arrays.stream(delta).map(d -> d * d).sum())) + ")";
    }

    public static void checkMomentum(double momentum) {
        Checks.checkArgument(momentum >= 0 && momentum < 1, "Invalid block momentum: %s (must be >= 0 and < 1)",
                momentum);
    }

    public static void checkBlockRate(double blockRate) {
        Checks.checkArgument(blockRate > 0 && blockRate <= 2,
                "Invalid block learning rate: %s (must be > 0 and <= 2)", blockRate);
    }
}
