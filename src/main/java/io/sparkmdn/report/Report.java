package io.sparkmdn.report;

import io.sparkmdn.util.Checks;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a report holds: its figures in order, the evaluation metrics, the inputs it was made from, and what it
 * left out and why.
 *
 * @param figures the figures, with distinct file names
 * @param metrics the evaluate job's metrics, or null without them
 * @param sources one line per input read, e.g. "model: /data/model"
 * @param skipped one line per figure left out, saying why
 */
public record Report(List<Figure> figures, Metrics metrics, List<String> sources, List<String> skipped) {

    /** The name of the report's HTML page in its directory. */
    public static final String INDEX = "index.html";

    public Report {
        figures = List.copyOf(figures);
        sources = List.copyOf(sources);
        skipped = List.copyOf(skipped);
        Set<String> files = new HashSet<>();
        for (Figure f : figures) {
            Checks.checkArgument(files.add(f.file()), "Two figures are named %s", f.file());
        }
    }
}
