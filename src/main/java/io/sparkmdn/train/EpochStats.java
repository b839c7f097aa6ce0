package io.sparkmdn.train;

/**
 * One epoch of training, as reported to listeners and kept in the history.
 *
 * @param epoch            1-based epoch number
 * @param trainNll         mean NLL of the training rows after the epoch (nats per point, user units); measured
 *                         on a fixed sample of about 20k of them where there are more
 * @param testNll          mean NLL of the test rows after the epoch, or NaN without test rows
 * @param seconds          wall time of the epoch's gradient steps
 * @param samplesPerSecond training rows per second in this epoch
 */
public record EpochStats(int epoch, double trainNll, double testNll, double seconds, double samplesPerSecond) {
}
