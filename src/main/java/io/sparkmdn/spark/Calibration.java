package io.sparkmdn.spark;

import io.sparkmdn.math.Scoring;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How well a model's predicted distributions are calibrated on labelled rows, overall and per group: the
 * coverage and mean width of the central prediction interval, the PIT deciles (each 0.1 for a calibrated
 * model), and the mean NLL and CRPS, summed from the per-row answers of {@link Scoring} (those of the
 * {@code score} job) in {@link Evaluator}'s one pass. For d_y &gt; 1 the per-dimension answers are reported
 * dimension by dimension.
 */
public final class Calibration {

    private static final int DECILES = 10;

    private Calibration() {
    }

    /**
     * The calibration of one group (or of all rows), per output dimension.
     *
     * @param group         the group's value (as text), or null for all rows
     * @param rows          labelled rows in the group
     * @param nll           mean −log p(y | x), nats per point (joint)
     * @param crps          mean CRPS per dimension
     * @param coverage      fraction of rows inside the central interval, per dimension
     * @param intervalWidth mean width of the interval, per dimension, in the label's units
     * @param pitDeciles    fraction of rows whose PIT falls in each tenth of [0, 1], per dimension
     * @param rawCoverage   for a calibrated model, the coverage of the model's own interval; null otherwise
     * @param rawWidth      for a calibrated model, the mean width of the model's own interval; null otherwise
     */
    public record Group(String group, long rows, double nll, double[] crps, double[] coverage,
                        double[] intervalWidth, double[][] pitDeciles, double[] rawCoverage, double[] rawWidth) {

        Map<String, Object> toJson(String groupBy) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (groupBy != null) {
                m.put(groupBy, group);
            }
            m.put("rows", rows);
            m.put("nll", nll);
            m.put("crps", crps.length == 1 ? crps[0] : crps);
            m.put("coverage", coverage.length == 1 ? coverage[0] : coverage);
            m.put("interval_width", intervalWidth.length == 1 ? intervalWidth[0] : intervalWidth);
            m.put("pit_deciles", pitDeciles.length == 1 ? pitDeciles[0] : pitDeciles);
            if (rawCoverage != null) {
                m.put("coverage_raw", rawCoverage.length == 1 ? rawCoverage[0] : rawCoverage);
                m.put("interval_width_raw", rawWidth.length == 1 ? rawWidth[0] : rawWidth);
            }
            return m;
        }
    }

    /** All rows' calibration and, with a group column, each group's, ordered by group value. */
    public record Report(double interval, String groupBy, Group all, List<Group> groups, String calibrated) {

        /** The JSON keys evaluate adds: interval, coverage, interval_width, pit_deciles, and groups. */
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("interval", interval);
            Map<String, Object> all = this.all.toJson(null);
            m.put("coverage", all.get("coverage"));
            m.put("interval_width", all.get("interval_width"));
            m.put("pit_deciles", all.get("pit_deciles"));
            m.put("calibrated", calibrated);
            if (calibrated != null) {
                m.put("coverage_raw", all.get("coverage_raw"));
                m.put("interval_width_raw", all.get("interval_width_raw"));
            }
            if (groupBy != null) {
                m.put("group_by", groupBy);
                m.put("groups", groups.stream().map(g -> g.toJson(groupBy)).toList());
            }
            return m;
        }

        /** A readable table: one line per group (or one for all rows), dimension 0's interval figures. */
        public String table() {
            StringBuilder s = new StringBuilder(String.format("%-20s %10s %10s %10s %10s %10s%n",
                    groupBy == null ? "" : groupBy, "rows", "NLL", "CRPS", "coverage", "width"));
            List<Group> lines = new ArrayList<>(groups);
            lines.add(all);
            for (Group g : lines) {
                s.append(String.format("%-20s %10d %10.4f %10.4f %10.4f %10.4f%n",
                        g.group() == null ? "all" : g.group(), g.rows(), g.nll(), g.crps()[0], g.coverage()[0],
                        g.intervalWidth()[0]));
            }
            if (calibrated != null) {
                s.append(String.format("calibrated (%s): the model's own interval covers %.4f with width %.4f "
                        + "(all rows, dimension 0)%n", calibrated, all.rawCoverage()[0], all.rawWidth()[0]));
            }
            s.append(String.format("PIT deciles (all rows%s): %s%n", all.pitDeciles().length > 1 ? ", dimension 0" : "",
                    java.util.Arrays.toString(java.util.Arrays.stream(all.pitDeciles()[0])
                            .map(v -> Math.round(v * 1000) / 1000.0).toArray())));
            return s.toString();
        }
    }

    /**
     * The sums of one group's rows, added to row by row on the executors as {@link Evaluator} scores them and
     * merged on the driver: rows, NLL, and per dimension CRPS, rows inside the interval, interval width and PIT
     * deciles.
     */
    static final class Sums implements Serializable {
        private static final long serialVersionUID = 1L;
        long rows;
        double nll;
        final double[] crps;
        final long[] covered;
        final double[] width;
        final long[][] deciles;
        final long[] rawCovered;
        final double[] rawWidth;
        boolean calibrated;

        Sums(int d) {
            crps = new double[d];
            covered = new long[d];
            width = new double[d];
            deciles = new long[d][DECILES];
            rawCovered = new long[d];
            rawWidth = new double[d];
        }

        /** Adds one row's answers. */
        void add(Scoring.Scores s) {
            rows++;
            nll -= s.logLikelihood();
            for (int l = 0; l < crps.length; l++) {
                crps[l] += s.crps()[l];
                covered[l] += s.inInterval()[l] ? 1 : 0;
                width[l] += s.upper()[l] - s.lower()[l];
                deciles[l][Math.min(DECILES - 1, (int) Math.floor(s.pit()[l] * DECILES))]++;
                if (s.raw() != null) {
                    rawCovered[l] += s.raw().inInterval()[l] ? 1 : 0;
                    rawWidth[l] += s.raw().upper()[l] - s.raw().lower()[l];
                }
            }
            calibrated |= s.raw() != null;
        }

        Sums merge(Sums o) {
            rows += o.rows;
            nll += o.nll;
            for (int l = 0; l < crps.length; l++) {
                crps[l] += o.crps[l];
                covered[l] += o.covered[l];
                width[l] += o.width[l];
                for (int b = 0; b < DECILES; b++) {
                    deciles[l][b] += o.deciles[l][b];
                }
                rawCovered[l] += o.rawCovered[l];
                rawWidth[l] += o.rawWidth[l];
            }
            calibrated |= o.calibrated;
            return this;
        }

        /** The group's means, named {@code name} (null for all rows). */
        Group group(String name) {
            int d = crps.length;
            double[] coverage = new double[d];
            double[] rawCoverage = new double[d];
            double[][] fractions = new double[d][DECILES];
            for (int l = 0; l < d; l++) {
                coverage[l] = (double) covered[l] / rows;
                rawCoverage[l] = (double) rawCovered[l] / rows;
                for (int b = 0; b < DECILES; b++) {
                    fractions[l][b] = (double) deciles[l][b] / rows;
                }
            }
            return new Group(name, rows, nll / rows, divided(crps, rows), coverage, divided(width, rows), fractions,
                    calibrated ? rawCoverage : null, calibrated ? divided(rawWidth, rows) : null);
        }

        private static double[] divided(double[] sums, long n) {
            return Arrays.stream(sums).map(v -> v / n).toArray();
        }
    }

    /**
     * The report from each group's sums (keyed by the group's value as text; the key null holds the rows whose
     * value is null, or every row when {@code groupBy} is null): all rows, and each group ordered by its value.
     */
    static Report report(double interval, String groupBy, Map<String, Sums> byGroup, int d, String calibrated) {
        Sums total = new Sums(d);
        List<Group> groups = new ArrayList<>();
        Map<String, Sums> ordered = new TreeMap<>(Comparator.nullsLast(String::compareTo));
        ordered.putAll(byGroup);
        for (Map.Entry<String, Sums> e : ordered.entrySet()) {
            total.merge(e.getValue());
            groups.add(e.getValue().group(e.getKey()));
        }
        return new Report(interval, groupBy, total.group(null), groupBy == null ? List.of() : groups, calibrated);
    }
}
