package io.sparkmdn.jobs;

import io.sparkmdn.io.WriteMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * {@code --mode error|overwrite|ignore}: what every job that writes does when its output (or, with
 * {@code --run-id}, its run) exists. {@code --overwrite}, the word before it, is still accepted with a warning.
 */
public final class WriteModeOption {

    private static final Logger LOG = LoggerFactory.getLogger(WriteModeOption.class);

    private WriteMode mode = WriteMode.ERROR;
    /**
     * The mode a deprecated option chose. Kept apart because picocli sets an option that the command line does not
     * name to its default after the options it names, whatever their order.
     */
    private WriteMode deprecated;

    @Option(names = "--mode", paramLabel = WriteMode.CHOICES, defaultValue = "error",
            description = "When the output (with --run-id: the run) exists: error refuses, overwrite replaces it once "
                    + "the new one is complete, ignore leaves it and skips the job; default: ${DEFAULT-VALUE}.")
    void mode(String word) {
        mode = WriteMode.parse(word);
    }

    /** The option before {@code --mode}: still accepted. */
    @Option(names = "--overwrite", hidden = true, description = "Deprecated: use --mode overwrite.")
    void deprecatedOverwrite(boolean value) {
        if (value) {
            LOG.warn("--overwrite is deprecated and will be removed: use --mode overwrite");
            deprecated = WriteMode.OVERWRITE;
        }
    }

    /** A deprecated option's choice, which {@code --mode}'s default does not override. */
    void deprecatedChoice(WriteMode chosen) {
        deprecated = chosen;
    }

    /** The mode chosen. */
    WriteMode get() {
        return deprecated != null ? deprecated : mode;
    }
}
