package io.sparkmdn.jobs;

import io.sparkmdn.input.ColumnSpec;
import io.sparkmdn.input.InputDescription;
import io.sparkmdn.input.InputSource;
import io.sparkmdn.input.InvalidRows;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Options of the jobs that read a user's table: its format, which columns hold x, and what to do with bad rows.
 * Jobs that read a table for a model default to the model's own columns; {@code --features} overrides them.
 */
public final class InputOptions {

    @Option(names = "--features", split = ",", paramLabel = "COLS",
            description = "Feature columns (numbers, arrays of numbers or ML vectors), concatenated in order; "
                    + "default: x for train, the model's own feature columns for the other jobs.")
    List<String> features;

    @Option(names = "--format", paramLabel = "parquet|csv",
            description = "Input format; default: by the path's extension (.csv is CSV, anything else Parquet).")
    String format;

    @Option(names = "--schema", paramLabel = "DDL",
            description = "Columns of a CSV input in Spark DDL, e.g. 'x DOUBLE, y DOUBLE'; default: inferred from "
                    + "the rows (one more pass over the file).")
    String schema;

    @Option(names = "--invalid-rows", defaultValue = "error", paramLabel = "error|skip",
            description = "Rows with null, NaN, ±Inf or wrongly sized values: fail the job (error), or skip and "
                    + "count them (skip); default: ${DEFAULT-VALUE}.")
    String invalidRows;

    /** The source at {@code path} in the format and schema given. */
    InputSource source(String path) {
        return new InputSource(path, format, schema);
    }

    /** The training input: {@code --features} (default {@code x}) and {@code labels}, by name. */
    InputDescription forTraining(InputSource source, List<String> labels) {
        return InputDescription.named(source, features == null ? List.of("x") : features, labels,
                InvalidRows.parse(invalidRows));
    }

    /**
     * The input of a job that applies {@code model}: its feature columns (or {@code --features}) and, with
     * {@code withLabels}, its label columns (or {@code labels} when given).
     */
    InputDescription forModel(InputSource source, InputDescription model, boolean withLabels, List<String> labels) {
        List<ColumnSpec> x = features == null ? model.features() : overriding(features, model.features());
        List<ColumnSpec> y = !withLabels ? List.of() : labels == null ? model.labels()
                : overriding(labels, model.labels());
        return new InputDescription(source, x, y, InvalidRows.parse(invalidRows));
    }

    /**
     * Columns named on the command line in place of the model's: one for one, each takes the type and width of
     * the model's column in its place; otherwise only their total width must match.
     */
    private static List<ColumnSpec> overriding(List<String> names, List<ColumnSpec> model) {
        List<ColumnSpec> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            ColumnSpec m = names.size() == model.size() ? model.get(i) : null;
            out.add(m == null ? ColumnSpec.named(names.get(i)) : new ColumnSpec(names.get(i), m.type(), m.width()));
        }
        return out;
    }
}
