package io.sparkmdn.input;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import io.sparkmdn.util.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks every row of an input passes: each value of the resolved columns is present, not NaN and finite,
 * and each array column has its width, the one the model recorded or, for training, the one most rows have.
 * All checks are Spark SQL expressions counted in one aggregation, which also keeps the first invalid row as an
 * example; invalid rows then fail the read or are skipped as {@link InvalidRows} says. An instance gathers the
 * checks of one table's columns ({@link #withWidths}) and then applies them once ({@link #validRows}).
 */
final class RowChecks {

    private static final Logger LOG = LoggerFactory.getLogger(RowChecks.class);

    /** How many values of an array an example row shows. */
    private static final int EXAMPLE_VALUES = 8;

    /** How many distinct widths of an array column a message lists. */
    private static final int WIDTHS_SHOWN = 5;

    private final Dataset<Row> table;
    private final String name;
    private final List<Check> checks = new ArrayList<>();

    /** The checks of {@code table}'s rows; {@code name} stands for the table in messages. */
    RowChecks(Dataset<Row> table, String name) {
        this.table = table;
        this.name = name;
    }

    /** The rows that passed the checks (without the CSV reader's {@link SourceReader#UNPARSED} column), and counts. */
    record ValidRows(Dataset<Row> rows, long total, long dropped) {
    }

    /** One way a row can be invalid, for one column. */
    private record Check(String column, String what, Column when) {
    }

    /** The width a sequence column takes, and how the rows' widths were spread when they differ. */
    private record Width(int width, String spread) {
    }

    /**
     * The resolved columns with every width known: a recorded width stays; an unknown one becomes the width most
     * rows have (one aggregation per such column). Adds the checks that make a row invalid in each column.
     */
    List<ColumnSpec> withWidths(List<ColumnSpec> columns) {
        List<ColumnSpec> out = new ArrayList<>();
        for (ColumnSpec column : columns) {
            Column c = ColumnResolver.quoted(column.name());
            if (column.type() == ColumnType.NUMBER) {
                Column v = c.cast("double");
                checks.add(new Check(column.name(), "is null", v.isNull()));
                checks.add(new Check(column.name(), "is NaN", isnan(v)));
                checks.add(new Check(column.name(), "is Infinity", v.equalTo(Double.POSITIVE_INFINITY)));
                checks.add(new Check(column.name(), "is -Infinity", v.equalTo(Double.NEGATIVE_INFINITY)));
                out.add(column);
                continue;
            }
            Column values = ColumnResolver.values(column);
            Width width = column.width() > 0
                    ? new Width(column.width(), "the model's width")
                    : mostCommonWidth(column, values);
            checks.add(new Check(column.name(), "is null", c.isNull()));
            checks.add(new Check(column.name(), "contains null", anyOf(values, Column::isNull)));
            checks.add(new Check(column.name(), "contains NaN", anyOf(values, v -> isnan(v))));
            checks.add(new Check(column.name(), "contains Infinity",
                    anyOf(values, v -> v.equalTo(Double.POSITIVE_INFINITY))));
            checks.add(new Check(column.name(), "contains -Infinity",
                    anyOf(values, v -> v.equalTo(Double.NEGATIVE_INFINITY))));
            if (width.width() > 0) {
                checks.add(new Check(column.name(), "has a width other than " + width.width() + " ("
                        + width.spread() + ")", c.isNotNull().and(size(values).notEqual(width.width()))));
            }
            out.add(new ColumnSpec(column.name(), column.type(), width.width()));
        }
        return out;
    }

    /**
     * Counts the invalid rows in one aggregation, then fails or skips them as {@code columns.invalidRows()} says.
     *
     * @param columns every column with its width, from {@link #withWidths}
     * @throws SourceReader.SampledTypesDoNotFit if rows of a CSV input did not parse with its sampled types
     */
    ValidRows validRows(InputDescription columns) {
        List<ColumnSpec> all = new ArrayList<>(columns.features());
        all.addAll(columns.labels());
        List<Check> found = checks.stream()
                .map(k -> new Check(k.column(), k.what(), coalesce(k.when(), lit(false)))).toList();
        Column invalid = found.stream().map(Check::when).reduce(Column::or).orElseThrow();

        List<Column> aggregates = new ArrayList<>();
        aggregates.add(count(lit(1)));
        aggregates.add(count(when(invalid, true)));
        aggregates.add(first(when(invalid, struct(all.stream().map(c -> ColumnResolver.quoted(c.name()))
                .toArray(Column[]::new))), true));
        int firstCheck = aggregates.size();
        found.forEach(check -> aggregates.add(count(when(check.when(), true))));
        boolean sampledTypes = SourceReader.hasUnparsedColumn(table);
        if (sampledTypes) {
            aggregates.add(count(col(SourceReader.UNPARSED)));
        }
        table.sparkSession().sparkContext().setJobDescription("validate input " + name);
        Row counts = table.select(aggregates.toArray(Column[]::new)).first();
        if (sampledTypes && counts.getLong(aggregates.size() - 1) > 0) {
            throw new SourceReader.SampledTypesDoNotFit(counts.getLong(aggregates.size() - 1));
        }
        Dataset<Row> parsed = SourceReader.withoutUnparsedColumn(table);

        long total = counts.getLong(0);
        long bad = counts.getLong(1);
        Checks.checkArgument(total > 0, "Input %s has no rows", name);
        if (bad > 0) {
            String problems = problems(found, counts, firstCheck);
            String example = formatRow(counts.getStruct(2));
            Checks.checkArgument(columns.invalidRows() == InvalidRows.SKIP,
                    "%s of %s rows in %s are invalid: %s (e.g. row %s); fix them, or skip them "
                            + "(--invalid-rows skip; in Spark ML, handleInvalid 'skip')",
                    bad, total, name, problems, example);
            Checks.checkArgument(bad < total, "All %s rows of %s are invalid: %s (e.g. row %s)",
                    total, name, problems, example);
            LOG.warn("Skipped {} of {} rows of {} as invalid: {} (e.g. row {})", bad, total, name, problems, example);
        }
        Checks.checkState(columns.inputDim() > 0 && (!columns.hasLabels() || columns.outputDim() > 0),
                "Dimension unknown after validating %s", name);
        return new ValidRows(bad > 0 ? parsed.where(not(invalid)) : parsed, total, bad);
    }

    /** See {@link InputTable#checkedValues}: the same checks as {@link #validRows}, made as rows are computed. */
    static Column checkedValues(List<ColumnSpec> columns, int dim, String role) {
        Column v = ColumnResolver.values(columns);
        Column bad = invalid(v).or(size(v).notEqual(dim));
        String names = columns.stream().map(ColumnSpec::name).collect(Collectors.joining(", "));
        Column message = concat(lit("Invalid " + role + " in column" + (columns.size() == 1 ? " '" : "s [")
                        + names + (columns.size() == 1 ? "'" : "]") + ": "), coalesce(v.cast("string"), lit("null")),
                lit(" (the model needs " + dim + " finite value" + (dim == 1 ? "" : "s") + " per row)"));
        return when(bad, raise_error(message)).otherwise(v);
    }

    /** The width most non-null rows of a sequence column have (one aggregation), with the spread when mixed. */
    private Width mostCommonWidth(ColumnSpec column, Column values) {
        table.sparkSession().sparkContext().setJobDescription(
                "find the width of column '" + column.name() + "' in " + name);
        List<Row> counts = table.where(values.isNotNull()).groupBy(size(values).as("width")).count()
                .orderBy(desc("count"), col("width")).collectAsList();
        if (counts.isEmpty()) {
            return new Width(0, "");
        }
        int width = counts.get(0).getInt(0);
        String spread = counts.size() == 1 ? "" : counts.stream().limit(WIDTHS_SHOWN)
                .map(r -> "width " + r.getInt(0) + " in " + r.getLong(1) + " row" + (r.getLong(1) == 1 ? "" : "s"))
                .collect(Collectors.joining(", ", "the most common; the column has ",
                        counts.size() > WIDTHS_SHOWN ? ", … (" + counts.size() + " widths)" : ""));
        Checks.checkArgument(width > 0, "Column '%s' of %s holds empty arrays; at least one value per row is needed",
                column.name(), name);
        return new Width(width, spread.isEmpty() ? "the width of every other row" : spread);
    }

    /** True where the array is null or holds a null, NaN or infinite value; never null. */
    private static Column invalid(Column values) {
        return coalesce(values.isNull().or(exists(values, v -> v.isNull().or(isnan(v))
                .or(v.equalTo(Double.POSITIVE_INFINITY)).or(v.equalTo(Double.NEGATIVE_INFINITY)))), lit(true));
    }

    private static Column anyOf(Column array, Function<Column, Column> predicate) {
        return exists(array, predicate::apply);
    }

    /** "column 'x' is NaN in 2 rows, column 'y' is null in 1 row" for the checks that found rows. */
    private static String problems(List<Check> checks, Row counts, int firstCount) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            long n = counts.getLong(firstCount + i);
            if (n > 0) {
                Check check = checks.get(i);
                parts.add(String.format("column '%s' %s in %s row%s", check.column(), check.what(), n,
                        n == 1 ? "" : "s"));
            }
        }
        return String.join(", ", parts);
    }

    /** {@code {x=NaN, a=[1.0, null, 3.0]}}, with long arrays cut after a few values. */
    private static String formatRow(Row row) {
        if (row == null) {
            return "{}";
        }
        String[] names = row.schema().fieldNames();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            parts.add(names[i] + "=" + formatValue(row.get(i)));
        }
        return "{" + String.join(", ", parts) + "}";
    }

    private static String formatValue(Object value) {
        if (value instanceof scala.collection.Seq<?> seq) {
            List<String> shown = new ArrayList<>();
            scala.collection.Iterator<?> it = seq.iterator();
            while (it.hasNext() && shown.size() < EXAMPLE_VALUES) {
                shown.add(String.valueOf(it.next()));
            }
            int n = seq.length();
            return "[" + String.join(", ", shown) + (n > shown.size() ? ", … (" + n + " values)" : "") + "]";
        }
        return String.valueOf(value);
    }
}
