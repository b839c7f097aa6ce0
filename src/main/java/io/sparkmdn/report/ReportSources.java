package io.sparkmdn.report;

import io.sparkmdn.input.InputDescription;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.util.Checks;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Where a report's inputs are, as the pipeline wrote them; every path may be null, and the figures that need it
 * are then skipped.
 *
 * @param data      the training table (Parquet or CSV; generate's output, with its {@code _dataset.json})
 * @param model     the model directory (train's output)
 * @param params    the mixture parameters table (params' output, 1-D x)
 * @param samples   the samples table (sample's output)
 * @param metrics   the metrics file (evaluate's output)
 * @param metricsTable the metrics table of evaluate's scheduled runs ({@code evaluate --run-id}), a Delta path
 * @param features  the feature columns of data, params and samples; null = the model's own, or {@code x}
 *                  without a model
 * @param labels    the label columns of the data; null = the model's own, or {@code y} without a model
 * @param maxPoints the most training rows and samples read for the scatters (≥ 100; default 5000)
 * @param seed      seed of the row sampling and of the least-squares net (default 42)
 */
public record ReportSources(String data, String model, String params, String samples, String metrics,
                            String metricsTable, List<String> features, List<String> labels, int maxPoints,
                            long seed) {

    /** Default cap on the training rows read for the scatters. */
    public static final int DEFAULT_MAX_POINTS = 5000;

    public ReportSources {
        data = blankToNull(data);
        model = blankToNull(model);
        params = blankToNull(params);
        samples = blankToNull(samples);
        metrics = blankToNull(metrics);
        metricsTable = blankToNull(metricsTable);
        Checks.checkArgument(Arrays.asList(data, model, params, samples, metrics, metricsTable).stream()
                        .anyMatch(Objects::nonNull), "Nothing to report: give at least one of --data, --model, "
                + "--params, --samples, --metrics, --metrics-table");
        Checks.checkArgument(features == null || !features.isEmpty(), "No feature columns given");
        Checks.checkArgument(labels == null || !labels.isEmpty(), "No label columns given");
        features = features == null ? null : List.copyOf(features);
        labels = labels == null ? null : List.copyOf(labels);
        Checks.checkArgument(maxPoints >= 100, "Invalid --max-points: %s (must be >= 100)", maxPoints);
    }

    /** These sources with the columns left open taken from {@code model}'s (or {@code x}, {@code y} without one). */
    public ReportSources withColumnsOf(MdnModel model) {
        InputDescription columns = model != null ? model.columns() : InputDescription.defaultColumns(1, 1);
        return new ReportSources(data, this.model, params, samples, metrics, metricsTable,
                features != null ? features : columns.featureNames(),
                labels != null ? labels : columns.labelNames(), maxPoints, seed);
    }

    private static String blankToNull(String path) {
        return path == null || path.isBlank() ? null : path;
    }
}
