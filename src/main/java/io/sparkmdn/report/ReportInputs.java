package io.sparkmdn.report;

import io.sparkmdn.data.SyntheticKind;
import io.sparkmdn.data.XYData;
import io.sparkmdn.train.EpochStats;
import io.sparkmdn.util.Checks;
import java.util.List;

/**
 * Everything a report is drawn from, as plain in-memory records; any part may be missing (null, or empty for
 * lists), and the figures that need it are then skipped.
 *
 * @param data         a sample of the training rows, or null
 * @param dataRows     rows in the whole training table (≥ the sample's size; 0 without data)
 * @param truth        the built-in kind that generated the data, which knows the true density, or null
 * @param leastSquares the least-squares net's prediction along x (1-D x), or null
 * @param mixtures     the MDN's α, μ, σ along x (1-D x), or null
 * @param samples      MDN draws of y, or null
 * @param history      per-epoch train and test NLL of the model; empty without a model
 * @param metrics      the evaluate job's metrics, or null
 * @param runs         calibration run after run, from evaluate's metrics table, or null
 * @param sources      one line per input read, e.g. "model: /data/model"
 * @param notes        one line per figure that could not be prepared from the inputs given, saying why
 */
public record ReportInputs(XYData data, long dataRows, SyntheticKind truth, MeanCurve leastSquares,
                           MixtureCurve mixtures, SampleSet samples, List<EpochStats> history, Metrics metrics,
                           CalibrationRuns runs, List<String> sources, List<String> notes) {

    public ReportInputs {
        Checks.checkArgument(data == null || dataRows >= data.size(),
                "The data sample has %s rows, more than the %s rows of the table", data == null ? 0 : data.size(),
                dataRows);
        history = history == null ? List.of() : List.copyOf(history);
        sources = sources == null ? List.of() : List.copyOf(sources);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** Output dimension d_y as the inputs show it, or 0 when none says. */
    public int outputDim() {
        if (data != null) {
            return data.outputDim();
        }
        if (mixtures != null) {
            return mixtures.dim();
        }
        if (samples != null) {
            return samples.dim();
        }
        return leastSquares != null ? leastSquares.dim() : 0;
    }
}
