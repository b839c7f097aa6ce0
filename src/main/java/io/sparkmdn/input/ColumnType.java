package io.sparkmdn.input;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What an input column holds: one number, an array of numbers, or a Spark ML vector. */
public enum ColumnType {

    /** A numeric scalar (byte, short, int, long, float, double, decimal): one value. */
    NUMBER,

    /** An array of numbers: as many values as the column's width. */
    ARRAY,

    /** A Spark ML {@code Vector} (dense or sparse): as many values as its size. */
    VECTOR;

    /** The lower-case name used in metadata and messages. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ColumnType parse(String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }

    /** Whether a column of this type can stand for one of {@code expected}: a number for a number, else any sequence. */
    public boolean compatibleWith(ColumnType expected) {
        return (this == NUMBER) == (expected == NUMBER);
    }
}
