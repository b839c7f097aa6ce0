package io.sparkmdn.input;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What reading an input does with a row whose features or labels are null, NaN, infinite or of the wrong width.
 * The names are Spark ML's {@code handleInvalid} words, so the jobs ({@code --invalid-rows}) and the ML API
 * ({@code handleInvalid}) say the same thing.
 */
public enum InvalidRows {

    /** Fail with a message that counts the invalid rows per column and problem, and shows one. */
    ERROR,

    /** Filter the invalid rows out, count them and log the count at WARN. */
    SKIP;

    private static final Logger LOG = LoggerFactory.getLogger(InvalidRows.class);

    /** The lower-case name used on command lines, in Params and in metadata ({@code error}, {@code skip}). */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code error} or {@code skip} (case-insensitive). The words of version 0.1's command line, {@code fail}
     * and {@code drop}, are still read, with a warning; anything else fails with a message listing the names.
     */
    @JsonCreator
    public static InvalidRows parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (InvalidRows mode : values()) {
            if (mode.id().equals(v)) {
                return mode;
            }
        }
        InvalidRows legacy = switch (v) {
            case "fail" -> ERROR;
            case "drop" -> SKIP;
            default -> null;
        };
        if (legacy != null) {
            LOG.warn("invalid-rows '{}' is the old name of '{}'; use '{}'", v, legacy.id(), legacy.id());
            return legacy;
        }
        throw new IllegalArgumentException(String.format("Invalid value for invalid rows: %s (expected one of: %s)",
                value == null ? "null" : "'" + value + "'",
                Arrays.stream(values()).map(InvalidRows::id).collect(Collectors.joining(", "))));
    }
}
