package io.sparkmdn.spark;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What reading an input does with a row whose features or labels are null, NaN, infinite or of the wrong length. */
public enum InvalidRows {

    /** Fail with a message that counts the invalid rows and shows one. */
    FAIL,

    /** Filter the invalid rows out, count them and log the count at WARN. */
    DROP;

    /** The lower-case name used on the command line ({@code fail}, {@code drop}). */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code fail} or {@code drop} (case-insensitive); anything else fails with a message listing both. */
    public static InvalidRows parse(String value) {
        if (value != null) {
            for (InvalidRows mode : values()) {
                if (mode.cliName().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return mode;
                }
            }
        }
        throw new IllegalArgumentException(String.format("Invalid value for invalid rows: %s (expected one of: %s)",
                value == null ? "null" : "'" + value + "'",
                Arrays.stream(values()).map(InvalidRows::cliName).collect(Collectors.joining(", "))));
    }
}
