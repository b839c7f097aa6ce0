package io.sparkmdn.io;

import java.util.Locale;

/**
 * What a job does when its output already exists: Spark's save modes, less {@code append} (every output here is
 * written whole). With a scheduled run ({@code --run-id}) the output is that run.
 */
public enum WriteMode {
    /** Refuse, naming the output: the default. */
    ERROR,
    /** Replace it, once the new output is complete. */
    OVERWRITE,
    /** Leave it as it is and skip the job: what a scheduler rerunning a finished day wants. */
    IGNORE;

    /** The words {@code --mode} takes. */
    public static final String CHOICES = "error|overwrite|ignore";

    /** The mode a word names; Spark's {@code errorifexists} and {@code default} mean {@link #ERROR}. */
    public static WriteMode parse(String word) {
        String w = word.trim().toLowerCase(Locale.ROOT);
        return switch (w) {
            case "error", "errorifexists", "default" -> ERROR;
            case "overwrite" -> OVERWRITE;
            case "ignore" -> IGNORE;
            default -> throw new IllegalArgumentException("Invalid --mode '" + word + "' (one of error, overwrite, "
                    + "ignore" + (w.equals("append") ? "; every output is written whole, so append is not one" : "")
                    + ")");
        };
    }

    /** The word for this mode. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether an existing output may be replaced. */
    public boolean replaces() {
        return this == OVERWRITE;
    }

    /**
     * Whether the job should write an output that {@code exists}: true when it does not exist or may be replaced,
     * false when it exists and is to be left alone; when it exists and this is {@link #ERROR}, fails with a message
     * naming it ({@code what}, such as "Output path", and {@code name}).
     */
    public boolean proceed(boolean exists, String what, String name) {
        if (exists && this == ERROR) {
            throw new IllegalArgumentException(refusal(what, name));
        }
        return !exists || this == OVERWRITE;
    }

    /** The message refusing to replace an existing output. */
    static String refusal(String what, String name) {
        return what + " already exists: " + name
                + " (use --mode overwrite to replace it, or --mode ignore to leave it and skip the job)";
    }
}
