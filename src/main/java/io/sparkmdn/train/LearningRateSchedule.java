package io.sparkmdn.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the learning rate changes from epoch to epoch (the rate of epoch 1 is always the base rate).
 * <ul>
 *   <li>{@link #PLATEAU}: halve the rate whenever {@link #PLATEAU_WAIT} epochs in a row fail to
 *       improve the watched NLL by the minimum delta, as Keras' and PyTorch's reduce-on-plateau do. It needs no
 *       tuning, adapts to how fast a problem converges, and pairs with early stopping: a plateau first costs a
 *       smaller step, then the run.</li>
 *   <li>{@link #EXPONENTIAL} (the default, with decay 0.9): multiply the rate by the learning-rate decay after
 *       every epoch (decay 1 keeps it constant). In the sweep on three problems (bench/HISTORY.md) it fitted the
 *       hardest one best: it reaches the small steps the last hundredths of a nat need, where the plateau
 *       schedule, reset by every small improvement, stayed near the base rate until patience ran out.</li>
 *   <li>{@link #COSINE}: anneal from the base rate at epoch 1 to {@link #COSINE_FLOOR} of it at the last epoch
 *       ({@code --epochs}) along half a cosine.</li>
 * </ul>
 */
public enum LearningRateSchedule {
    PLATEAU, EXPONENTIAL, COSINE;

    /** Epochs in a row without improvement after which {@link #PLATEAU} halves the rate. */
    public static final int PLATEAU_WAIT = 2;
    /** The factor {@link #PLATEAU} applies on each plateau. */
    public static final double PLATEAU_FACTOR = 0.5;
    /** The fraction of the base rate {@link #COSINE} ends at. */
    public static final double COSINE_FLOOR = 0.01;

    /** The name the command line, configuration and model directory use: {@code plateau}, {@code exponential}, … */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The schedule called {@code name} (any case); fails naming the value and the known schedules. */
    @JsonCreator
    public static LearningRateSchedule parse(String name) {
        for (LearningRateSchedule s : values()) {
            if (s.label().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown learning-rate schedule: '" + name + "' (known: "
                + Arrays.stream(values()).map(LearningRateSchedule::label).collect(Collectors.joining(", ")) + ")");
    }
}
