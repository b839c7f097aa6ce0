package io.sparkmdn.train;

import io.sparkmdn.util.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * How training adapts to the number of workers, so that more workers cost less time and never the fit.
 *
 * <p>Synchronous parameter averaging of W workers, each fitting minibatches of b rows, makes about one
 * sequential step per W·b rows: the fit per epoch follows the global batch W·b, not W. With a fixed b, 32 workers
 * make 16 times fewer steps per epoch than 2 and end twice as far from the Bayes limit (bench/HISTORY.md).
 * So each worker's minibatch is {@code globalBatch ÷ W} rows, between {@code minBatchSize} and the run's
 * {@code --batch-size}; where the smallest minibatch still makes the global batch larger than
 * {@code globalBatch}, the learning rate grows with the square root of the excess (the rule for Adam-like
 * updaters: the gradient's noise falls with the square root of the batch), and the schedule (decay, patience, the
 * most epochs) counts epochs of {@code globalBatch}-row steps rather than passes over the data, so that a pass of
 * a few large steps is not treated as a pass of many small ones. Below {@code globalBatch ÷ batchSize}
 * workers (two, with the defaults) nothing changes. Data too small for the workers asked for (fewer than
 * {@code minRowsPerWorker} training rows each) trains on fewer workers, and the plan says so.
 *
 * @param globalBatch      rows per averaged step the worker batch is scaled toward; 0 = off (every worker fits
 *                         minibatches of the run's batch size, at the run's learning rate, as runs recorded before
 *                         this setting did)
 * @param minBatchSize     the smallest minibatch a worker is given (≥ 1): below about 128 rows a minibatch costs
 *                         almost as much as a full one
 * @param minRowsPerWorker the fewest training rows a worker gets; fewer workers are used where the data has fewer
 *                         per worker (0 = no floor)
 * @param blockMomentum    μ of {@link BlockMomentum} over averaging rounds (0 = plain averaging)
 */
public record ScaleOut(int globalBatch, int minBatchSize, int minRowsPerWorker, double blockMomentum) {

    public static final int DEFAULT_GLOBAL_BATCH = 1024;
    public static final int DEFAULT_MIN_BATCH_SIZE = 128;
    public static final int DEFAULT_MIN_ROWS_PER_WORKER = 2048;
    public static final double DEFAULT_BLOCK_MOMENTUM = 0;

    /** The defaults. */
    public static final ScaleOut DEFAULT = new ScaleOut(DEFAULT_GLOBAL_BATCH, DEFAULT_MIN_BATCH_SIZE,
            DEFAULT_MIN_ROWS_PER_WORKER, DEFAULT_BLOCK_MOMENTUM);

    /** Fixed batch and rate whatever the workers, every worker used, no block momentum: runs recorded before. */
    public static final ScaleOut OFF = new ScaleOut(0, 1, 0, 0);

    public ScaleOut {
        checkGlobalBatch(globalBatch);
        checkMinBatchSize(minBatchSize);
        checkMinRowsPerWorker(minRowsPerWorker);
        BlockMomentum.checkMomentum(blockMomentum);
    }

    public static void checkGlobalBatch(int globalBatch) {
        Checks.checkArgument(globalBatch >= 0, "Invalid global batch: %s (must be >= 0; 0 = off)", globalBatch);
    }

    public static void checkMinBatchSize(int minBatchSize) {
        Checks.checkArgument(minBatchSize >= 1, "Invalid min batch size: %s (must be >= 1)", minBatchSize);
    }

    public static void checkMinRowsPerWorker(int minRowsPerWorker) {
        Checks.checkArgument(minRowsPerWorker >= 0, "Invalid min rows per worker: %s (must be >= 0)",
                minRowsPerWorker);
    }

    /** These settings, or {@link #OFF} for a run recorded without them (null). */
    public static ScaleOut orOff(ScaleOut recorded) {
        return recorded == null ? OFF : recorded;
    }

    /**
     * What a run does with {@code requestedWorkers} workers on {@code trainRows} rows and a largest minibatch of
     * {@code batchSize} rows.
     *
     * @param workers            the workers used (≤ requested)
     * @param batchSize          rows per minibatch on each worker
     * @param learningRateFactor the factor on the schedule's learning rate
     * @param epochScale         data epochs per epoch of the schedule (≥ 1): where the global batch is k times
     *                           {@code globalBatch}, an epoch makes k times fewer steps, so the schedule's decay,
     *                           patience and most epochs are counted in epochs of {@code globalBatch}-row steps
     * @param notes              what was changed and why, for the log and the model's summary (empty: nothing)
     */
    public record Plan(int workers, int batchSize, double learningRateFactor, double epochScale,
                       List<String> notes) {

        public Plan {
            notes = List.copyOf(notes);
        }

        /** Rows per averaged step: workers × batch. */
        public long globalBatch() {
            return (long) workers * batchSize;
        }
    }

    /** The plan for a run; see the class comment. */
    public Plan plan(long trainRows, int requestedWorkers, int batchSize) {
        Checks.checkArgument(requestedWorkers >= 1, "Invalid number of workers: %s (must be >= 1)",
                requestedWorkers);
        Checks.checkArgument(batchSize >= 1, "Invalid batch size: %s (must be >= 1)", batchSize);
        List<String> notes = new ArrayList<>();
        int workers = requestedWorkers;
        if (minRowsPerWorker > 0 && trainRows < (long) minRowsPerWorker * workers) {
            workers = (int) Math.max(1, trainRows / minRowsPerWorker);
            notes.add(String.format("%d of %d workers: %d training rows give each of more workers fewer than %d "
                    + "(min rows per worker)", workers, requestedWorkers, trainRows, minRowsPerWorker));
        }
        if (globalBatch == 0) {
            return new Plan(workers, batchSize, 1.0, 1.0, notes);
        }
        int batch = Math.min(batchSize, Math.max(minBatchSize, globalBatch / workers));
        if (batch != batchSize) {
            notes.add(String.format("batch %d per worker (global batch %d ÷ %d workers, at least %d)", batch,
                    globalBatch, workers, Math.min(batchSize, minBatchSize)));
        }
        long global = (long) workers * batch;
        double scale = Math.max(1.0, (double) global / globalBatch);
        double factor = Math.sqrt(scale);
        if (scale > 1) {
            notes.add(String.format("learning rate × %.3f (√ of %d workers × %d rows ÷ global batch %d)", factor,
                    workers, batch, globalBatch));
            notes.add(String.format("the schedule's decay, patience and most epochs count epochs of %d-row steps: "
                    + "%.3f data epochs each", globalBatch, scale));
        }
        return new Plan(workers, batch, factor, scale, notes);
    }
}
