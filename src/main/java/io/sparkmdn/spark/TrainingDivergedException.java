package io.sparkmdn.spark;

/** Training produced NaN or infinite parameters or scores; the message names the epoch and the last good one. */
public final class TrainingDivergedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;
    private final int epoch;
    private final int lastGoodEpoch;

    TrainingDivergedException(int epoch, String what, int lastGoodEpoch) {
        super("Training diverged in epoch " + epoch + ": " + what + ". "
                + (lastGoodEpoch > 0 ? "The checkpoint of epoch " + lastGoodEpoch + " is kept; "
                        : "No epoch completed, so there is no checkpoint; ")
                + "try a lower --learning-rate or --clip-gradient-norm (a checkpoint resumes with --resume)");
        this.epoch = epoch;
        this.lastGoodEpoch = lastGoodEpoch;
    }

    /** The epoch that diverged. */
    public int epoch() {
        return epoch;
    }

    /** The last epoch whose model was good, 0 if none. */
    public int lastGoodEpoch() {
        return lastGoodEpoch;
    }
}
