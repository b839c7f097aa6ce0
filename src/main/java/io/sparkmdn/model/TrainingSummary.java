package io.sparkmdn.model;

import java.util.List;

/**
 * What a training run did, stored with the model. NLLs are mean negative log-likelihoods in nats per point,
 * in the user's units; null where not measured.
 *
 * @param trainer          how the model was trained, e.g. "spark parameter averaging: 2 workers, batch 256"
 * @param epochs           epochs completed
 * @param trainRows        rows trained on
 * @param testRows         rows held out for the test NLL
 * @param droppedRows      invalid rows dropped before training
 * @param trainNll         mean NLL on the training rows after the last epoch
 * @param testNll          mean NLL on the test rows after the last epoch
 * @param seconds          wall time of the gradient steps, all epochs
 * @param samplesPerSecond training rows per second of gradient steps, over all epochs
 * @param history          one entry per epoch, in order
 */
public record TrainingSummary(String trainer, int epochs, long trainRows, long testRows, long droppedRows,
                              Double trainNll, Double testNll, double seconds, double samplesPerSecond,
                              List<EpochStats> history) {

    public TrainingSummary {
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** This summary with another count of dropped invalid rows. */
    public TrainingSummary withDroppedRows(long dropped) {
        return new TrainingSummary(trainer, epochs, trainRows, testRows, dropped, trainNll, testNll, seconds,
                samplesPerSecond, history);
    }

    /** The summary of a run from its per-epoch history. */
    public static TrainingSummary of(String trainer, long trainRows, long testRows, List<EpochStats> history) {
        EpochStats last = history.get(history.size() - 1);
        double seconds = history.stream().mapToDouble(EpochStats::seconds).sum();
        return new TrainingSummary(trainer, history.size(), trainRows, testRows, 0, finite(last.trainNll()),
                finite(last.testNll()), seconds, trainRows * history.size() / seconds, history);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
