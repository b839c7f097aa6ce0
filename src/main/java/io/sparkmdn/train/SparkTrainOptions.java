package io.sparkmdn.train;

import io.sparkmdn.util.Checks;

/**
 * How the Spark trainer splits, batches and averages: the training settings of a run description.
 *
 * @param train              epochs, batch size per worker and seed (of the split, shuffles and averaging)
 * @param averagingFrequency minibatches each worker fits between two parameter averagings (≥ 1; default 100)
 * @param testFraction       fraction of rows held out for the test NLL (0 ≤ f < 1; default 0.1)
 * @param workers            parallel workers; 0 = Spark's default parallelism (default 0)
 * @param learningRateDecay  factor applied to the learning rate after every epoch: epoch e trains at
 *                           rate·decay^(e−1) (0 < decay ≤ 1; default 1, no decay)
 */
public record SparkTrainOptions(TrainOptions train, int averagingFrequency, double testFraction, int workers,
                                double learningRateDecay) {

    public static final int DEFAULT_AVERAGING_FREQUENCY = 100;
    public static final double DEFAULT_TEST_FRACTION = 0.1;
    public static final int DEFAULT_WORKERS = 0;
    public static final double DEFAULT_LEARNING_RATE_DECAY = 1.0;

    public SparkTrainOptions {
        Checks.checkArgument(train != null, "Training options must not be null");
        checkAveragingFrequency(averagingFrequency);
        checkTestFraction(testFraction);
        checkWorkers(workers);
        checkLearningRateDecay(learningRateDecay);
    }

    /** Options without learning-rate decay. */
    public SparkTrainOptions(TrainOptions train, int averagingFrequency, double testFraction, int workers) {
        this(train, averagingFrequency, testFraction, workers, DEFAULT_LEARNING_RATE_DECAY);
    }

    /** The defaults: {@link TrainOptions#defaults()}, averaging every 100 batches, 10% test rows, no decay. */
    public static SparkTrainOptions defaults() {
        return new SparkTrainOptions(TrainOptions.defaults(), DEFAULT_AVERAGING_FREQUENCY, DEFAULT_TEST_FRACTION,
                DEFAULT_WORKERS, DEFAULT_LEARNING_RATE_DECAY);
    }

    /** The learning rate of {@code epoch} (1-based) for a base rate. */
    public double learningRate(double base, int epoch) {
        return base * Math.pow(learningRateDecay, epoch - 1);
    }

    /** These settings with another number of epochs (a resumed run may ask for more). */
    public SparkTrainOptions withEpochs(int epochs) {
        return new SparkTrainOptions(new TrainOptions(epochs, train.batchSize(), train.seed()), averagingFrequency,
                testFraction, workers, learningRateDecay);
    }

    public static void checkAveragingFrequency(int averagingFrequency) {
        Checks.checkArgument(averagingFrequency >= 1, "Invalid averaging frequency: %s (must be >= 1)",
                averagingFrequency);
    }

    public static void checkTestFraction(double testFraction) {
        Checks.checkArgument(testFraction >= 0 && testFraction < 1,
                "Invalid test fraction: %s (must be >= 0 and < 1)", testFraction);
    }

    public static void checkWorkers(int workers) {
        Checks.checkArgument(workers >= 0, "Invalid number of workers: %s (must be >= 0)", workers);
    }

    public static void checkLearningRateDecay(double decay) {
        Checks.checkArgument(decay > 0 && decay <= 1, "Invalid learning-rate decay: %s (must be > 0 and <= 1)",
                decay);
    }
}
