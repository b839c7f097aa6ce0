package io.sparkmdn.model;

import io.sparkmdn.input.InputFingerprint;
import io.sparkmdn.math.Conformal;
import io.sparkmdn.util.Checks;

/**
 * A model's conformal calibration and where it came from, stored in the model directory as
 * {@value ModelDirectory#CALIBRATION_FILE}.
 *
 * @param conformal   the calibration itself
 * @param source      {@link #TABLE} (labelled rows the model did not train on) or {@link #HELD_OUT} (the rows its
 *                    training held out for the test NLL, which early stopping saw: the guarantee then leans on
 *                    early stopping having chosen little from them)
 * @param input       the rows' table as the calibrate run named it
 * @param data        their fingerprint (paths, bytes, rows, schema); null for held-out rows
 * @param createdAt   when the calibration was made (ISO-8601)
 */
public record ModelCalibration(Conformal conformal, String source, String input, InputFingerprint data,
                               String createdAt) {

    /** Calibrated on a table of its own. */
    public static final String TABLE = "table";
    /** Calibrated on the training run's held-out rows. */
    public static final String HELD_OUT = "held-out";

    public ModelCalibration {
        Checks.checkArgument(conformal != null, "A calibration needs its conformal tables");
        Checks.checkArgument(TABLE.equals(source) || HELD_OUT.equals(source),
                "Invalid calibration source: %s (table or held-out)", source);
    }
}
