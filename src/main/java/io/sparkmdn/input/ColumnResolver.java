package io.sparkmdn.input;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.when;

import io.sparkmdn.util.Checks;
import io.sparkmdn.util.Names;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Finds the named feature and label columns in a table's schema, as Spark matches names, and reads each as
 * doubles: a missing name fails with the nearest existing one suggested ({@link Names#nearest}), a name that
 * matches two columns differing only in case fails as ambiguous, and a column that holds no numbers, or not the
 * kind the model recorded, fails naming its type and the expectation. Works on the schema alone (no rows read),
 * except that the dimension check runs once the widths are known.
 */
final class ColumnResolver {

    private ColumnResolver() {
    }

    /** Whether Spark matches column names case-sensitively in this session ({@code spark.sql.caseSensitive}). */
    static boolean caseSensitive(SparkSession spark) {
        return Boolean.parseBoolean(spark.conf().get("spark.sql.caseSensitive", "false"));
    }

    /** Whether {@code names} has every one of {@code columns}, as Spark matches names. */
    static boolean hasAll(String[] names, boolean caseSensitive, List<String> columns) {
        List<String> present = Arrays.asList(names);
        return columns.stream().allMatch(c -> present.stream().anyMatch(n -> sameName(n, c, caseSensitive)));
    }

    /** See {@link InputTable#resolve}. */
    static List<ColumnSpec> resolve(StructType schema, boolean caseSensitive, String name, String role,
                                    List<ColumnSpec> requested, List<ColumnSpec> model) {
        String owner = owner(role, requested, model);
        List<ColumnSpec> out = new ArrayList<>();
        for (ColumnSpec column : requested) {
            StructField field = field(schema, caseSensitive, name, owner, column.name());
            ColumnType type = typeOf(field.dataType());
            if (type == null) {
                throw new IllegalArgumentException(String.format(
                        "Column '%s' of %s has type %s in %s; expected a number, an array of numbers or an ML "
                                + "vector%s", field.name(), owner, field.dataType().simpleString(), name,
                        field.dataType().simpleString().equals("string")
                                ? " (in CSV, one non-numeric value makes the whole column a string)" : ""));
            }
            if (column.type() != null && !type.compatibleWith(column.type())) {
                throw new IllegalArgumentException(String.format(
                        "Column '%s' of %s is %s (%s) in %s; the model expects %s", field.name(), owner,
                        article(type), field.dataType().simpleString(), name, expectation(column)));
            }
            int width = type == ColumnType.NUMBER ? 1 : column.type() == null ? 0 : column.width();
            out.add(new ColumnSpec(field.name(), type, width));
        }
        return List.copyOf(out);
    }

    /** Fails when the dimensions, known once every width is, differ from the model's (or are zero). */
    static void checkDims(InputDescription columns, InputDescription model) {
        checkDim("Features", columns.features(), columns.inputDim(), model == null ? 0 : model.inputDim());
        if (columns.hasLabels()) {
            checkDim("Labels", columns.labels(), columns.outputDim(), model == null ? 0 : model.outputDim());
        }
    }

    /** The resolved columns as one {@code array<double>} (null where a value is null). */
    static Column values(List<ColumnSpec> columns) {
        List<Column> parts = columns.stream().map(ColumnResolver::values).toList();
        return parts.size() == 1 ? parts.get(0) : concat(parts.toArray(Column[]::new));
    }

    /** One resolved column as {@code array<double>}. */
    static Column values(ColumnSpec column) {
        Column c = quoted(column.name());
        return switch (column.type()) {
            case NUMBER -> when(c.isNotNull(), array(c.cast("double")));
            case ARRAY -> c.cast("array<double>");
            case VECTOR -> org.apache.spark.ml.functions.vector_to_array(c, "float64");
        };
    }

    /** {@code name} as a column, quoted for Spark's parser so names with dots or spaces stay one column. */
    static Column quoted(String name) {
        return col("`" + name.replace("`", "``") + "`");
    }

    private static boolean sameName(String field, String column, boolean caseSensitive) {
        return caseSensitive ? field.equals(column) : field.equalsIgnoreCase(column);
    }

    /**
     * The top-level field called {@code column}, matched as Spark resolves names: exactly when case-sensitive,
     * else ignoring case, where two fields that differ only in case make the name ambiguous.
     */
    private static StructField field(StructType schema, boolean caseSensitive, String name, String owner,
                                     String column) {
        StructField[] fields = schema.fields();
        List<StructField> matches = Arrays.stream(fields)
                .filter(f -> sameName(f.name(), column, caseSensitive)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        List<String> names = Arrays.stream(fields).map(StructField::name).toList();
        if (matches.size() > 1) {
            throw new IllegalArgumentException(String.format("Column '%s' of %s is ambiguous in %s: columns %s differ "
                            + "only in case; rename one, or set spark.sql.caseSensitive=true", column, owner, name,
                    matches.stream().map(StructField::name).collect(Collectors.joining(", "))));
        }
        String nearest = Names.nearest(column, names);
        throw new IllegalArgumentException(String.format("Column '%s' of %s not found in %s; columns: %s%s", column,
                owner, name, String.join(", ", names), nearest == null ? "" : "; did you mean '" + nearest + "'?"));
    }

    /** The column type of a Spark type, or null for one that holds no numbers. */
    private static ColumnType typeOf(DataType type) {
        if (type instanceof NumericType) {
            return ColumnType.NUMBER;
        }
        if (type instanceof ArrayType a && a.elementType() instanceof NumericType) {
            return ColumnType.ARRAY;
        }
        return type.equals(SQLDataTypes.VectorType()) ? ColumnType.VECTOR : null;
    }

    private static String article(ColumnType type) {
        return switch (type) {
            case NUMBER -> "a number";
            case ARRAY -> "an array of numbers";
            case VECTOR -> "an ML vector";
        };
    }

    private static String expectation(ColumnSpec column) {
        return column.type() == ColumnType.NUMBER ? "a number"
                : "an array or vector of " + column.width() + " number" + (column.width() == 1 ? "" : "s");
    }

    /** "the model's features [time, distance]" or "the features [a, b]", as messages name a role. */
    private static String owner(String role, List<ColumnSpec> requested, List<ColumnSpec> model) {
        List<String> names = InputDescription.names(requested);
        boolean model_ = model != null && names.equals(InputDescription.names(model));
        return (model_ ? "the model's " : "the ") + role + " " + names;
    }

    private static void checkDim(String role, List<ColumnSpec> columns, int dim, int expected) {
        if (dim == 0 || expected == 0) {
            return;
        }
        String described = (columns.size() == 1 ? "column " : "columns ")
                + columns.stream().map(ColumnSpec::describe).collect(Collectors.joining(", "));
        Checks.checkArgument(dim == expected, "%s have %s value%s per row (%s) but the model expects %s", role, dim,
                dim == 1 ? "" : "s", described, expected);
    }
}
