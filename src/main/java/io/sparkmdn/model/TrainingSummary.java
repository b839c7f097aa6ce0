package io.sparkmdn.model;

/**
 * What a training run did, stored with the model. NLLs are mean negative log-likelihoods in nats per point,
 * in the user's units; null where not measured.
 *
 * @param epochs           epochs completed
 * @param trainRows        rows trained on
 * @param testRows         rows held out for the test NLL
 * @param droppedRows      invalid rows dropped before training
 * @param trainNll         mean NLL on the training rows after the last epoch
 * @param testNll          mean NLL on the test rows after the last epoch
 * @param seconds          wall time of the training loop
 * @param samplesPerSecond training rows processed per second, over all epochs
 */
public record TrainingSummary(int epochs, long trainRows, long testRows, long droppedRows, Double trainNll,
                              Double testNll, double seconds, double samplesPerSecond) {
}
