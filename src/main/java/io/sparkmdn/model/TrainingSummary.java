package io.sparkmdn.model;

import io.sparkmdn.train.EpochStats;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a training run did, stored with the model. NLLs are mean negative log-likelihoods in nats per point,
 * in the user's units; null where not measured.
 *
 * @param trainer          how the model was trained, e.g. "spark parameter averaging: 2 workers, batch 256"
 * @param epochs           epochs completed
 * @param trainRows        rows trained on
 * @param testRows         rows held out for the test NLL
 * @param droppedRows      invalid rows dropped before training
 * @param trainNll         mean NLL on the training rows of the model kept (the best epoch's, or the last's)
 * @param testNll          mean NLL on the test rows of the model kept
 * @param seconds          wall time of the gradient steps, all epochs
 * @param samplesPerSecond training rows per second of gradient steps, over all epochs
 * @param history          one entry per epoch, in order
 * @param bestEpoch        the epoch whose model was kept (early stopping), or null where the last one was kept
 *                         (runs without early stopping, and models saved before it existed)
 * @param stopReason       why training ended, e.g. "early stop after epoch 23: …; best epoch 18"; null where not
 *                         recorded
 * @param phases           wall seconds of each phase of the run that trained the model, in the order they first
 *                         ran (JVM start for a job in a JVM of its own, Spark session, reading, counting, epochs'
 *                         gradient steps, NLL evaluation and checkpoints); empty where not recorded (checkpoints,
 *                         and models saved before it existed)
 */
public record TrainingSummary(String trainer, int epochs, long trainRows, long testRows, long droppedRows,
                              Double trainNll, Double testNll, double seconds, double samplesPerSecond,
                              List<EpochStats> history, Integer bestEpoch, String stopReason,
                              Map<String, Double> phases) {

    public TrainingSummary {
        history = history == null ? List.of() : List.copyOf(history);
        phases = phases == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(phases));
    }

    /** This summary with another count of dropped invalid rows. */
    public TrainingSummary withDroppedRows(long dropped) {
        return new TrainingSummary(trainer, epochs, trainRows, testRows, dropped, trainNll, testNll, seconds,
                samplesPerSecond, history, bestEpoch, stopReason, phases);
    }

    /** This summary with the wall seconds of the run's phases. */
    public TrainingSummary withPhases(Map<String, Double> runPhases) {
        return new TrainingSummary(trainer, epochs, trainRows, testRows, droppedRows, trainNll, testNll, seconds,
                samplesPerSecond, history, bestEpoch, stopReason, runPhases);
    }

    /** The summary of a run that keeps its last epoch, from its per-epoch history. */
    public static TrainingSummary of(String trainer, long trainRows, long testRows, List<EpochStats> history) {
        return of(trainer, trainRows, testRows, history, null, null);
    }

    /**
     * The summary of a run from its per-epoch history, keeping epoch {@code bestEpoch} (null: the last), having
     * ended for {@code stopReason} (null while it goes on).
     */
    public static TrainingSummary of(String trainer, long trainRows, long testRows, List<EpochStats> history,
                                     Integer bestEpoch, String stopReason) {
        EpochStats kept = bestEpoch == null ? history.get(history.size() - 1) : history.get(bestEpoch - 1);
        double seconds = history.stream().mapToDouble(EpochStats::seconds).sum();
        return new TrainingSummary(trainer, history.size(), trainRows, testRows, 0, finite(kept.trainNll()),
                finite(kept.testNll()), seconds, trainRows * history.size() / seconds, history, bestEpoch,
                stopReason, null);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
