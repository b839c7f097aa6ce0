package io.sparkmdn.train;

import java.util.List;

/**
 * Where a run stands after some epochs, replayed from their history alone, so a resumed run carries on exactly
 * where it stopped: the best epoch of the watched NLL (the test NLL, or the training NLL for a run without test
 * rows), the epochs since it, the plateau schedule's rate factor, and whether to stop.
 *
 * @param bestEpoch  the epoch with the lowest watched NLL among those that improved on the best before them by
 *                   at least the min delta (0 before the first epoch)
 * @param bestNll    its watched NLL (+∞ before the first epoch)
 * @param sinceBest  epochs since the best one
 * @param rateFactor the plateau schedule's factor on the base rate for the next epoch
 * @param stopReason why training stops now, or null to go on
 */
public record TrainingProgress(int bestEpoch, double bestNll, int sinceBest, double rateFactor, String stopReason) {

    /** The state before any epoch. */
    public static final TrainingProgress START = new TrainingProgress(0, Double.POSITIVE_INFINITY, 0, 1.0, null);

    /** The progress after {@code history} under {@code settings}. */
    public static TrainingProgress of(List<EpochStats> history, SparkTrainOptions settings) {
        int best = 0;
        double bestNll = Double.POSITIVE_INFINITY;
        int since = 0;
        int sinceChange = 0;
        double factor = 1.0;
        for (EpochStats e : history) {
            double nll = watched(e);
            if (best == 0 || nll < bestNll - settings.minDelta()) {
                best = e.epoch();
                bestNll = nll;
                since = 0;
                sinceChange = 0;
            } else {
                since++;
                sinceChange++;
                if (sinceChange >= LearningRateSchedule.PLATEAU_WAIT) {
                    factor *= LearningRateSchedule.PLATEAU_FACTOR;
                    sinceChange = 0;
                }
            }
        }
        String reason = null;
        int done = history.size();
        if (settings.patience() != null && best > 0 && since >= settings.patience()) {
            reason = String.format("early stop after epoch %d: no improvement of at least %s nats in %d epochs; "
                    + "best epoch %d", done, settings.minDelta(), since, best);
        } else if (done >= settings.train().epochs()) {
            reason = "reached the maximum of " + settings.train().epochs() + " epochs"
                    + (settings.patience() == null ? "" : "; best epoch " + best);
        }
        return new TrainingProgress(best, bestNll, since, factor, reason);
    }

    /** The NLL early stopping watches: the test NLL, or the training NLL where there are no test rows. */
    public static double watched(EpochStats e) {
        return Double.isNaN(e.testNll()) ? e.trainNll() : e.testNll();
    }

    /** Whether training stops here. */
    public boolean stops() {
        return stopReason != null;
    }
}
