package io.sparkmdn.nn;

import java.util.Locale;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

/** The gradient updaters an MDN can be trained with, each built from a learning rate. */
public enum Updater {
    ADAM, NADAM, AMSGRAD, RMSPROP, NESTEROVS, SGD;

    /** The DL4J updater configuration for this kind at the given learning rate. */
    public IUpdater create(double learningRate) {
        return switch (this) {
            case ADAM -> new JavaAdam(learningRate);
            case NADAM -> new Nadam(learningRate);
            case AMSGRAD -> new AMSGrad(learningRate);
            case RMSPROP -> new RmsProp(learningRate);
            case NESTEROVS -> new Nesterovs(learningRate, 0.9);
            case SGD -> new Sgd(learningRate);
        };
    }

    /** Parses a case-insensitive name such as {@code adam}; the message lists the accepted names. */
    public static Updater parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown updater: '" + name + "' (one of "
                    + java.util.Arrays.toString(values()).toLowerCase(Locale.ROOT) + ")");
        }
    }
}
