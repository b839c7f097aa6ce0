package io.sparkmdn.train;

import io.sparkmdn.util.Checks;

/**
 * How long and in what steps to train.
 *
 * @param epochs    passes over the training data (≥ 1; default 10)
 * @param batchSize rows per gradient step (≥ 1; default 512)
 * @param seed      seed of the per-epoch shuffling (default 42)
 */
public record TrainOptions(int epochs, int batchSize, long seed) {

    public static final int DEFAULT_EPOCHS = 10;
    public static final int DEFAULT_BATCH_SIZE = 512;
    public static final long DEFAULT_SEED = 42L;

    public TrainOptions {
        checkEpochs(epochs);
        checkBatchSize(batchSize);
    }

    public static void checkEpochs(int epochs) {
        Checks.checkArgument(epochs >= 1, "Invalid number of epochs: %s (must be >= 1)", epochs);
    }

    public static void checkBatchSize(int batchSize) {
        Checks.checkArgument(batchSize >= 1, "Invalid batch size: %s (must be >= 1)", batchSize);
    }

    /** Ten epochs of 512-row batches. */
    public static TrainOptions defaults() {
        return new TrainOptions(DEFAULT_EPOCHS, DEFAULT_BATCH_SIZE, DEFAULT_SEED);
    }
}
