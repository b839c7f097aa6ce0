package io.sparkmdn.train;

import io.sparkmdn.util.Checks;

/**
 * How the Spark trainer splits, batches, averages, schedules and stops: the training settings of a run
 * description.
 *
 * @param train              the most epochs, the batch size per worker and the seed (of the split, shuffles and
 *                           averaging)
 * @param averagingFrequency minibatches each worker fits between two parameter averagings (≥ 1)
 * @param testFraction       fraction of rows held out for the test NLL, which early stopping and the plateau
 *                           schedule watch (0 ≤ f < 1; with none they watch the training NLL)
 * @param workers            parallel workers; 0 = Spark's default parallelism
 * @param learningRateDecay  {@link LearningRateSchedule#EXPONENTIAL}'s factor per epoch: epoch e trains at
 *                           rate·decay^(e−1) (0 < decay ≤ 1)
 * @param schedule           how the learning rate changes; null (a run recorded before schedules existed) means
 *                           {@link LearningRateSchedule#EXPONENTIAL}
 * @param patience           stop after this many epochs in a row without an improvement of the watched NLL by at
 *                           least {@code minDelta}, keeping the best epoch's model (≥ 1); null: run all epochs and
 *                           keep the last (as runs recorded before early stopping existed did)
 * @param minDelta           the smallest decrease of the watched NLL, in nats, that counts as an improvement (≥ 0)
 * @param inputNoise         σ of Gaussian noise added to the standardised features of every minibatch, fresh each
 *                           time (≥ 0; 0 = off)
 * @param labelNoise         the same for the standardised labels (≥ 0; 0 = off)
 * @param scaleOut           how the batch, the learning rate and the workers adapt to the number of workers; null
 *                           (a run recorded before this setting) means {@link ScaleOut#OFF}
 */
public record SparkTrainOptions(TrainOptions train, int averagingFrequency, double testFraction, int workers,
                                double learningRateDecay, LearningRateSchedule schedule, Integer patience,
                                double minDelta, double inputNoise, double labelNoise, ScaleOut scaleOut) {

    public static final int DEFAULT_MAX_EPOCHS = 60;
    public static final int DEFAULT_AVERAGING_FREQUENCY = 50;
    public static final double DEFAULT_TEST_FRACTION = 0.1;
    public static final int DEFAULT_WORKERS = 0;
    public static final double DEFAULT_LEARNING_RATE_DECAY = 0.9;
    /** The default schedule as the command line writes it (a constant, for option annotations). */
    public static final String DEFAULT_SCHEDULE_TEXT = "exponential";
    public static final LearningRateSchedule DEFAULT_SCHEDULE = LearningRateSchedule.parse(DEFAULT_SCHEDULE_TEXT);
    public static final int DEFAULT_PATIENCE = 10;
    public static final double DEFAULT_MIN_DELTA = 0.001;

    public SparkTrainOptions {
        Checks.checkArgument(train != null, "Training options must not be null");
        checkAveragingFrequency(averagingFrequency);
        checkTestFraction(testFraction);
        checkWorkers(workers);
        checkLearningRateDecay(learningRateDecay);
        if (patience != null) {
            checkPatience(patience);
        }
        checkMinDelta(minDelta);
        checkNoise("input", inputNoise);
        checkNoise("label", labelNoise);
    }

    /**
     * Settings as a run recorded before schedules, early stopping and scale-out: exponential decay, all epochs, no
     * noise, the same batch and rate whatever the workers.
     */
    public SparkTrainOptions(TrainOptions train, int averagingFrequency, double testFraction, int workers,
                             double learningRateDecay) {
        this(train, averagingFrequency, testFraction, workers, learningRateDecay, LearningRateSchedule.EXPONENTIAL,
                null, DEFAULT_MIN_DELTA, 0, 0, ScaleOut.OFF);
    }

    /** As {@link #SparkTrainOptions(TrainOptions, int, double, int, double)}, without learning-rate decay. */
    public SparkTrainOptions(TrainOptions train, int averagingFrequency, double testFraction, int workers) {
        this(train, averagingFrequency, testFraction, workers, 1.0);
    }

    /**
     * The defaults: at most {@value #DEFAULT_MAX_EPOCHS} epochs of 512-row batches, averaging every
     * {@value #DEFAULT_AVERAGING_FREQUENCY} batches, 10% test rows, the rate × {@value #DEFAULT_LEARNING_RATE_DECAY}
     * every epoch, early stopping after
     * {@value #DEFAULT_PATIENCE} epochs without an improvement of {@value #DEFAULT_MIN_DELTA} nats, no noise,
     * {@link ScaleOut#DEFAULT}.
     */
    public static SparkTrainOptions defaults() {
        return new SparkTrainOptions(new TrainOptions(DEFAULT_MAX_EPOCHS, TrainOptions.DEFAULT_BATCH_SIZE,
                TrainOptions.DEFAULT_SEED), DEFAULT_AVERAGING_FREQUENCY, DEFAULT_TEST_FRACTION, DEFAULT_WORKERS,
                DEFAULT_LEARNING_RATE_DECAY, DEFAULT_SCHEDULE, DEFAULT_PATIENCE, DEFAULT_MIN_DELTA, 0, 0,
                ScaleOut.DEFAULT);
    }

    /** The scale-out settings, {@link ScaleOut#OFF} for a run recorded without them. */
    public ScaleOut scaleOutOrOff() {
        return ScaleOut.orOff(scaleOut);
    }

    /**
     * These settings with the schedule stretched over {@code scale} data epochs per epoch of the schedule
     * ({@link ScaleOut.Plan#epochScale()}): the most epochs and the patience times {@code scale} (rounded up), the
     * exponential decay per data epoch to the power 1/{@code scale}; the plateau schedule's wait stays
     * {@link LearningRateSchedule#PLATEAU_WAIT} data epochs. A scale of 1 returns these settings.
     */
    public SparkTrainOptions stretched(double scale) {
        Checks.checkArgument(scale >= 1 && Double.isFinite(scale), "Invalid epoch scale: %s (must be >= 1)", scale);
        if (scale == 1) {
            return this;
        }
        return new SparkTrainOptions(new TrainOptions((int) Math.ceil(train.epochs() * scale), train.batchSize(),
                train.seed()), averagingFrequency, testFraction, workers, Math.pow(learningRateDecay, 1 / scale),
                schedule, patience == null ? null : (int) Math.ceil(patience * scale), minDelta, inputNoise,
                labelNoise, scaleOut);
    }

    /** These settings with other scale-out settings. */
    public SparkTrainOptions withScaleOut(ScaleOut newScaleOut) {
        return new SparkTrainOptions(train, averagingFrequency, testFraction, workers, learningRateDecay, schedule,
                patience, minDelta, inputNoise, labelNoise, newScaleOut);
    }

    /** The schedule, {@link LearningRateSchedule#EXPONENTIAL} for a run recorded without one. */
    public LearningRateSchedule scheduleOrDefault() {
        return schedule == null ? LearningRateSchedule.EXPONENTIAL : schedule;
    }

    /**
     * The learning rate of {@code epoch} (1-based) for a base rate, where {@code progress} is where the epochs
     * before it left the run (its plateau factor).
     */
    public double learningRate(double base, int epoch, TrainingProgress progress) {
        return switch (scheduleOrDefault()) {
            case EXPONENTIAL -> base * Math.pow(learningRateDecay, epoch - 1);
            case COSINE -> {
                int last = Math.max(2, train.epochs());
                double t = Math.min(1.0, (epoch - 1) / (double) (last - 1));
                yield base * (LearningRateSchedule.COSINE_FLOOR
                        + (1 - LearningRateSchedule.COSINE_FLOOR) * 0.5 * (1 + Math.cos(Math.PI * t)));
            }
            case PLATEAU -> base * progress.rateFactor();
        };
    }

    /** These settings with another number of epochs (a resumed run may ask for more). */
    public SparkTrainOptions withEpochs(int epochs) {
        return new SparkTrainOptions(new TrainOptions(epochs, train.batchSize(), train.seed()), averagingFrequency,
                testFraction, workers, learningRateDecay, schedule, patience, minDelta, inputNoise, labelNoise,
                scaleOut);
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

    public static void checkPatience(int patience) {
        Checks.checkArgument(patience >= 1, "Invalid patience: %s (must be >= 1 epoch)", patience);
    }

    public static void checkMinDelta(double minDelta) {
        Checks.checkArgument(minDelta >= 0 && minDelta < Double.POSITIVE_INFINITY,
                "Invalid min delta: %s (must be >= 0 and finite)", minDelta);
    }

    public static void checkNoise(String which, double sigma) {
        Checks.checkArgument(sigma >= 0 && sigma < Double.POSITIVE_INFINITY,
                "Invalid %s noise: %s (must be >= 0 and finite)", which, sigma);
    }
}
