package io.sparkmdn.input;

import io.sparkmdn.util.Checks;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The input of a run: where the table is, which of its columns hold the features x and the labels y, in order,
 * and what to do with invalid rows. Before reading, columns may be known by name only ({@link ColumnSpec#named});
 * reading resolves their types and widths, and a model keeps the resolved description so that inference finds
 * its columns by name.
 *
 * @param source      where the table is; null for a DataFrame handed over in code (the ML API)
 * @param features    columns concatenated, in order, into x; at least one
 * @param labels      columns concatenated, in order, into y; empty for none
 * @param invalidRows what to do with rows holding null, NaN, infinite or wrongly sized values
 */
public record InputDescription(InputSource source, List<ColumnSpec> features, List<ColumnSpec> labels,
                               InvalidRows invalidRows) {

    public InputDescription {
        Checks.checkArgument(features != null && !features.isEmpty(), "No feature columns given%s",
                source == null ? "" : " for input " + source.describe());
        features = List.copyOf(features);
        labels = labels == null ? List.of() : List.copyOf(labels);
        Set<String> seen = new HashSet<>();
        for (List<ColumnSpec> columns : List.of(features, labels)) {
            for (ColumnSpec column : columns) {
                Checks.checkArgument(seen.add(column.name().toLowerCase(Locale.ROOT)),
                        "Column '%s' is named twice in features %s / labels %s", column.name(), names(features),
                        names(labels));
            }
        }
        Checks.checkArgument(invalidRows != null, "No invalid-rows mode given (expected one of: error, skip)");
    }

    /** A description of columns known by name only. */
    public static InputDescription named(InputSource source, List<String> features, List<String> labels,
                                         InvalidRows invalidRows) {
        return new InputDescription(source, features.stream().map(ColumnSpec::named).toList(),
                labels.stream().map(ColumnSpec::named).toList(), invalidRows);
    }

    /**
     * The columns of a model that records none (format version 1, or trained outside a run): features in
     * {@code x} and labels in {@code y}, each a number for d = 1 and an array of d numbers otherwise.
     */
    public static InputDescription defaultColumns(int inputDim, int outputDim) {
        return new InputDescription(null, List.of(ColumnSpec.ofDim("x", inputDim)),
                List.of(ColumnSpec.ofDim("y", outputDim)), InvalidRows.ERROR);
    }

    /** The feature column names, in order. */
    public List<String> featureNames() {
        return names(features);
    }

    /** The label column names, in order. */
    public List<String> labelNames() {
        return names(labels);
    }

    /** Whether label columns are named. */
    public boolean hasLabels() {
        return !labels.isEmpty();
    }

    /** d_x: the sum of the feature widths, or 0 while one is unknown. */
    public int inputDim() {
        return dim(features);
    }

    /** d_y: the sum of the label widths, or 0 while one is unknown (or without labels). */
    public int outputDim() {
        return dim(labels);
    }

    /** This description with another source (same columns). */
    public InputDescription withSource(InputSource newSource) {
        return new InputDescription(newSource, features, labels, invalidRows);
    }

    /** This description with another invalid-rows mode. */
    public InputDescription withInvalidRows(InvalidRows mode) {
        return new InputDescription(source, features, labels, mode);
    }

    private static int dim(List<ColumnSpec> columns) {
        int d = 0;
        for (ColumnSpec c : columns) {
            if (c.width() == 0) {
                return 0;
            }
            d += c.width();
        }
        return d;
    }

    static List<String> names(List<ColumnSpec> columns) {
        return columns.stream().map(ColumnSpec::name).toList();
    }
}
