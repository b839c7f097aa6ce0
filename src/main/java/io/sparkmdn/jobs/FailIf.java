package io.sparkmdn.jobs;

import io.sparkmdn.util.Checks;
import io.sparkmdn.util.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;

/**
 * The thresholds of {@code evaluate --fail-if}, such as {@code coverage<0.88} or {@code pit_ks_p@0.9<0.01}: a
 * metric of the metrics table, an optional interval level after {@code @}, {@code <} or {@code >}, a number. A
 * metric row crosses a threshold when its value is on the named side of it; rows with no value (a raw coverage
 * of an uncalibrated model) cross none.
 *
 * @param metric the metric's column
 * @param level  the interval level it applies to, or null for every level
 * @param below  true for {@code <}, false for {@code >}
 * @param bound  the threshold
 */
record FailIf(String metric, Double level, boolean below, double bound) {

    /** The metrics a threshold may name. */
    static final List<String> METRICS = List.of("coverage", "coverage_raw", "interval_width", "interval_width_raw",
            "pit_ks", "pit_ks_p", "nll", "crps");
    /** The exit code of a run that crossed a threshold, after its metrics were written. */
    static final int EXIT_CODE = 3;

    private static final Pattern FORM = Pattern.compile("([a-z_]+)(?:@([0-9.]+))?\\s*([<>])\\s*(-?[0-9.eE+-]+)");

    /** Parses one threshold; fails naming the text and what is wrong. */
    static FailIf parse(String text) {
        Matcher m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
        Checks.checkArgument(m.matches(), "Invalid --fail-if '%s' (the form is METRIC<NUMBER or METRIC>NUMBER, "
                + "optionally METRIC@LEVEL, e.g. coverage@0.9<0.88; metrics: %s)", text, String.join(", ", METRICS));
        String metric = m.group(1);
        Checks.checkArgument(METRICS.contains(metric), "Unknown metric '%s' in --fail-if '%s'%s (metrics: %s)",
                metric, text, Names.nearest(metric, METRICS) == null ? ""
                        : "; did you mean " + Names.nearest(metric, METRICS) + "?",
                String.join(", ", METRICS));
        try {
            return new FailIf(metric, m.group(2) == null ? null : Double.valueOf(m.group(2)), m.group(3).equals("<"),
                    Double.parseDouble(m.group(4)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid number in --fail-if '" + text + "'");
        }
    }

    /** One line per metric row of {@code rows} that crosses this threshold: what, where and its value. */
    List<String> crossings(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            double rowLevel = r.getDouble(r.fieldIndex("level"));
            if (level != null && Math.abs(level - rowLevel) > 1e-9) {
                continue;
            }
            int i = r.fieldIndex(metric);
            if (r.isNullAt(i)) {
                continue;
            }
            double v = r.getDouble(i);
            if (below ? v < bound : v > bound) {
                boolean all = r.getBoolean(r.fieldIndex("all_rows"));
                String group = all ? "all rows" : r.getString(r.fieldIndex("group_by")) + " = "
                        + (r.isNullAt(r.fieldIndex("group")) ? "null" : r.getString(r.fieldIndex("group")));
                out.add(String.format(Locale.ROOT, "%s (dimension %d, level %s): %s %.4g", group,
                        r.getInt(r.fieldIndex("dimension")), rowLevel, metric, v));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return metric + (level == null ? "" : "@" + level) + (below ? "<" : ">") + bound;
    }
}
