package io.sparkmdn.input;

import io.sparkmdn.util.Checks;

/**
 * One input column that feeds x or y: its name, what it holds and how many values it gives per row.
 *
 * @param name  the column's name in the table (matched as Spark resolves names)
 * @param type  what it holds; null when not yet known (a column named on a command line, before reading)
 * @param width values per row: 1 for a number, the array or vector length otherwise; 0 when not yet known
 */
public record ColumnSpec(String name, ColumnType type, int width) {

    public ColumnSpec {
        Checks.checkArgument(name != null && !name.isBlank(), "Empty column name");
        Checks.checkArgument(width >= 0, "Invalid width of column '%s': %s (must be >= 0)", name, width);
        Checks.checkArgument(type != ColumnType.NUMBER || width == 1,
                "Column '%s' is a number but has width %s", name, width);
        Checks.checkArgument(type != null || width == 0, "Column '%s' has a width but no type", name);
    }

    /** A column known by name only, to be resolved against a table. */
    public static ColumnSpec named(String name) {
        return new ColumnSpec(name, null, 0);
    }

    /** A column of d values: a number when d = 1, else an array of d numbers. */
    public static ColumnSpec ofDim(String name, int d) {
        return new ColumnSpec(name, d == 1 ? ColumnType.NUMBER : ColumnType.ARRAY, d);
    }

    /** This column under another name, with the same type and width. */
    public ColumnSpec withName(String newName) {
        return new ColumnSpec(newName, type, width);
    }

    /** {@code name}, {@code name[3]} for an array or {@code name<3>} for a vector, as messages show it. */
    public String describe() {
        if (type == null || type == ColumnType.NUMBER) {
            return name;
        }
        String w = width == 0 ? "" : Integer.toString(width);
        return type == ColumnType.ARRAY ? name + "[" + w + "]" : name + "<" + w + ">";
    }
}
