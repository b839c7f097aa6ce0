package io.sparkmdn.spark;

import io.sparkmdn.math.Conformal;
import io.sparkmdn.math.GaussianMixture;
import io.sparkmdn.math.Kolmogorov;
import io.sparkmdn.math.Scoring;
import io.sparkmdn.util.Checks;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * How well a model's predicted distributions are calibrated on labelled rows, overall and per group: the
 * coverage and mean width of central prediction intervals at several levels (raw and, for a calibrated model,
 * calibrated), the PIT deciles (each 0.1 for a calibrated model) and the Kolmogorov–Smirnov test of the PIT's
 * uniformity, and the mean NLL and CRPS, summed from the per-row answers of {@link Scoring} (those of the
 * {@code score} job) in {@link Evaluator}'s one pass. For d_y &gt; 1 the per-dimension answers are reported
 * dimension by dimension.
 */
public final class Calibration {

    private static final int DECILES = 10;
    /** Bins of each group's PIT histogram for the KS test: its distance is exact to 1/4096. */
    static final int KS_BINS = 4096;

    private Calibration() {
    }

    /**
     * The calibration of one group (or of all rows), per output dimension and, for intervals, per level.
     *
     * @param group       the group's value (as text), or null for all rows
     * @param rows        labelled rows in the group
     * @param nll         mean −log p(y | x), nats per point (joint)
     * @param crps        mean CRPS per dimension
     * @param levels      the interval levels, increasing
     * @param coverage    fraction of rows inside the central interval, per dimension and level (the answers given:
     *                    calibrated for a calibrated model)
     * @param width       mean width of the interval, per dimension and level, in the label's units
     * @param rawCoverage for a calibrated model, the coverage of the model's own interval; null otherwise
     * @param rawWidth    for a calibrated model, the mean width of the model's own interval; null otherwise
     * @param pitDeciles  fraction of rows whose PIT (the one given) falls in each tenth of [0, 1], per dimension
     * @param pitKs       the KS distance of the PIT values from uniform, per dimension
     * @param pitKsP      its p-value, per dimension
     */
    public record Group(String group, long rows, double nll, double[] crps, double[] levels, double[][] coverage,
                        double[][] width, double[][] rawCoverage, double[][] rawWidth, double[][] pitDeciles,
                        double[] pitKs, double[] pitKsP) {

        /** The figures at level index {@code j}, per dimension, from a per-dimension-and-level table. */
        static double[] atLevel(double[][] byDimension, int j) {
            return byDimension == null ? null : Arrays.stream(byDimension).mapToDouble(v -> v[j]).toArray();
        }

        Map<String, Object> toJson(String groupBy, int level) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (groupBy != null) {
                m.put(groupBy, group);
            }
            m.put("rows", rows);
            m.put("nll", nll);
            m.put("crps", scalarOrArray(crps));
            m.put("coverage", scalarOrArray(atLevel(coverage, level)));
            m.put("interval_width", scalarOrArray(atLevel(width, level)));
            m.put("pit_deciles", pitDeciles.length == 1 ? pitDeciles[0] : pitDeciles);
            m.put("pit_ks", scalarOrArray(pitKs));
            m.put("pit_ks_p", scalarOrArray(pitKsP));
            if (rawCoverage != null) {
                m.put("coverage_raw", scalarOrArray(atLevel(rawCoverage, level)));
                m.put("interval_width_raw", scalarOrArray(atLevel(rawWidth, level)));
            }
            return m;
        }
    }

    /**
     * All rows' calibration and, with a group column, each group's, ordered by group value.
     *
     * @param interval   the level the JSON's {@code coverage} and {@code interval_width} are at (one of the levels)
     * @param calibrated the model's calibration method, or null
     */
    public record Report(double interval, String groupBy, Group all, List<Group> groups, String calibrated) {

        /** The index of {@link #interval} among the levels. */
        int intervalIndex() {
            double[] levels = all.levels();
            for (int j = 0; j < levels.length; j++) {
                if (levels[j] == interval) {
                    return j;
                }
            }
            throw new IllegalStateException("The interval " + interval + " is not among " + Arrays.toString(levels));
        }

        /** The JSON keys evaluate adds: interval, coverage, interval_width, pit_deciles, and groups. */
        public Map<String, Object> toJson() {
            int j = intervalIndex();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("interval", interval);
            Map<String, Object> all = this.all.toJson(null, j);
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
                m.put("groups", groups.stream().map(g -> g.toJson(groupBy, j)).toList());
            }
            return m;
        }

        /** Every group's and all rows' figures (all rows last, with a null group). */
        public List<Group> allGroups() {
            List<Group> lines = new ArrayList<>(groups);
            lines.add(all);
            return lines;
        }

        /**
         * The report as rows of {@link #METRICS_SCHEMA}: one per group (all rows too), dimension and level, each with
         * its group's rows, NLL, CRPS, PIT deciles and KS test; {@code context} (the run's model, input and time)
         * comes first in every row: the columns of {@link #METRICS_CONTEXT}.
         */
        public List<Row> metricRows(Object... context) {
            Checks.checkArgument(context.length == METRICS_CONTEXT.size(), "The metric rows' context has %s columns",
                    METRICS_CONTEXT.size());
            List<Row> out = new ArrayList<>();
            for (Group g : allGroups()) {
                for (int l = 0; l < g.crps().length; l++) {
                    for (int j = 0; j < g.levels().length; j++) {
                        List<Object> v = new ArrayList<>(Arrays.asList(context));
                        v.addAll(Arrays.asList(groupBy, g.group(), g == all, l, g.rows(), g.nll(), g.crps()[l],
                                g.pitKs()[l], g.pitKsP()[l], boxed(g.pitDeciles()[l]), g.levels()[j],
                                g.coverage()[l][j], g.width()[l][j],
                                g.rawCoverage() == null ? null : g.rawCoverage()[l][j],
                                g.rawWidth() == null ? null : g.rawWidth()[l][j], calibrated));
                        out.add(new GenericRowWithSchema(v.toArray(), METRICS_SCHEMA));
                    }
                }
            }
            return out;
        }

        /** A readable table: one line per group (or one for all rows), dimension 0's interval figures. */
        public String table() {
            int j = intervalIndex();
            StringBuilder s = new StringBuilder(String.format("%-20s %10s %10s %10s %10s %10s%n",
                    groupBy == null ? "" : groupBy, "rows", "NLL", "CRPS", "coverage", "width"));
            for (Group g : allGroups()) {
                s.append(String.format("%-20s %10d %10.4f %10.4f %10.4f %10.4f%n",
                        g.group() == null ? "all" : g.group(), g.rows(), g.nll(), g.crps()[0], g.coverage()[0][j],
                        g.width()[0][j]));
            }
            if (calibrated != null) {
                s.append(String.format("calibrated (%s): the model's own interval covers %.4f with width %.4f "
                        + "(all rows, dimension 0)%n", calibrated, all.rawCoverage()[0][j], all.rawWidth()[0][j]));
            }
            s.append(String.format("PIT deciles (all rows%s): %s; KS distance %.4f, p-value %.3g%n",
                    all.pitDeciles().length > 1 ? ", dimension 0" : "",
                    Arrays.toString(Arrays.stream(all.pitDeciles()[0]).map(v -> Math.round(v * 1000) / 1000.0)
                            .toArray()), all.pitKs()[0], all.pitKsP()[0]));
            return s.toString();
        }
    }

    /**
     * The sums of one group's rows, added to row by row on the executors as {@link Evaluator} scores them and
     * merged on the driver: rows, NLL, and per dimension CRPS, PIT deciles and a fine PIT histogram, and per
     * dimension and level the rows inside the interval and its width (raw too, for a calibrated model).
     */
    static final class Sums implements Serializable {
        private static final long serialVersionUID = 1L;
        final double[] levels;
        long rows;
        double nll;
        final double[] crps;
        final long[][] covered;
        final double[][] width;
        final long[][] rawCovered;
        final double[][] rawWidth;
        final long[][] deciles;
        final long[][] pitBins;
        boolean calibrated;

        Sums(int d, double[] levels) {
            this.levels = levels;
            crps = new double[d];
            covered = new long[d][levels.length];
            width = new double[d][levels.length];
            rawCovered = new long[d][levels.length];
            rawWidth = new double[d][levels.length];
            deciles = new long[d][DECILES];
            pitBins = new long[d][KS_BINS];
        }

        /**
         * Adds one row: its answers {@code s} (whose interval is at level {@code interval}, one of the levels), and
         * its intervals at the other levels from its mixture {@code m} and label {@code y}, calibrated by
         * {@code conformal} (null: the model's own).
         */
        void add(Scoring.Scores s, double interval, GaussianMixture m, double[] y, Conformal conformal) {
            rows++;
            nll -= s.logLikelihood();
            calibrated |= conformal != null;
            double[] bounds = new double[2];
            for (int l = 0; l < crps.length; l++) {
                crps[l] += s.crps()[l];
                double pit = s.pit()[l];
                deciles[l][Math.min(DECILES - 1, (int) Math.floor(pit * DECILES))]++;
                pitBins[l][Math.min(KS_BINS - 1, (int) Math.floor(pit * KS_BINS))]++;
                for (int j = 0; j < levels.length; j++) {
                    boolean scored = levels[j] == interval;
                    Scoring.Scores raw = s.raw() != null ? s.raw() : s;
                    if (!scored) {
                        m.quantiles(l, new double[] {(1 - levels[j]) / 2, (1 + levels[j]) / 2}, bounds);
                    }
                    double lo = scored ? raw.lower()[l] : bounds[0];
                    double hi = scored ? raw.upper()[l] : bounds[1];
                    if (conformal != null) {
                        rawCovered[l][j] += y[l] >= lo && y[l] <= hi ? 1 : 0;
                        rawWidth[l][j] += hi - lo;
                        double[] c = scored ? new double[] {s.lower()[l], s.upper()[l]}
                                : conformal.interval(m, l, levels[j], lo, hi);
                        lo = c[0];
                        hi = c[1];
                    }
                    covered[l][j] += y[l] >= lo && y[l] <= hi ? 1 : 0;
                    width[l][j] += hi - lo;
                }
            }
        }

        Sums merge(Sums o) {
            rows += o.rows;
            nll += o.nll;
            calibrated |= o.calibrated;
            for (int l = 0; l < crps.length; l++) {
                crps[l] += o.crps[l];
                add(deciles[l], o.deciles[l]);
                add(pitBins[l], o.pitBins[l]);
                add(covered[l], o.covered[l]);
                add(rawCovered[l], o.rawCovered[l]);
                for (int j = 0; j < levels.length; j++) {
                    width[l][j] += o.width[l][j];
                    rawWidth[l][j] += o.rawWidth[l][j];
                }
            }
            return this;
        }

        private static void add(long[] to, long[] from) {
            for (int i = 0; i < to.length; i++) {
                to[i] += from[i];
            }
        }

        /** The group's figures, named {@code name} (null for all rows). */
        Group group(String name) {
            int d = crps.length;
            double[][] fractions = new double[d][DECILES];
            double[] ks = new double[d];
            double[] ksP = new double[d];
            for (int l = 0; l < d; l++) {
                for (int b = 0; b < DECILES; b++) {
                    fractions[l][b] = (double) deciles[l][b] / rows;
                }
                ks[l] = Kolmogorov.distance(pitBins[l]);
                ksP[l] = Kolmogorov.pValue(ks[l], rows);
            }
            return new Group(name, rows, nll / rows, divided(crps), levels, fractions(covered), divided(width),
                    calibrated ? fractions(rawCovered) : null, calibrated ? divided(rawWidth) : null, fractions, ks,
                    ksP);
        }

        private double[] divided(double[] sums) {
            return Arrays.stream(sums).map(v -> v / rows).toArray();
        }

        private double[][] divided(double[][] sums) {
            return Arrays.stream(sums).map(this::divided).toArray(double[][]::new);
        }

        private double[][] fractions(long[][] counts) {
            return Arrays.stream(counts).map(c -> Arrays.stream(c).mapToDouble(v -> (double) v / rows).toArray())
                    .toArray(double[][]::new);
        }
    }

    /**
     * The report from each group's sums (keyed by the group's value as text; the key null holds the rows whose
     * value is null, or every row when {@code groupBy} is null): all rows, and each group ordered by its value.
     */
    static Report report(double interval, String groupBy, Map<String, Sums> byGroup, int d, double[] levels,
                         String calibrated) {
        Sums total = new Sums(d, levels);
        List<Group> groups = new ArrayList<>();
        Map<String, Sums> ordered = new TreeMap<>(Comparator.nullsLast(String::compareTo));
        ordered.putAll(byGroup);
        for (Map.Entry<String, Sums> e : ordered.entrySet()) {
            total.merge(e.getValue());
            groups.add(e.getValue().group(e.getKey()));
        }
        return new Report(interval, groupBy, total.group(null), groupBy == null ? List.of() : groups, calibrated);
    }

    /** The context columns {@link Report#metricRows} starts every row with. */
    public static final StructType METRICS_CONTEXT = new StructType()
            .add("evaluated_at", DataTypes.StringType, false).add("model", DataTypes.StringType, false)
            .add("model_fingerprint", DataTypes.StringType, false).add("input", DataTypes.StringType, false);

    /** The columns of a run's metrics table, one row per group, dimension and interval level. */
    public static final StructType METRICS_SCHEMA = METRICS_CONTEXT
            .add("group_by", DataTypes.StringType, true).add("group", DataTypes.StringType, true)
            .add("all_rows", DataTypes.BooleanType, false).add("dimension", DataTypes.IntegerType, false)
            .add("rows", DataTypes.LongType, false).add("nll", DataTypes.DoubleType, false)
            .add("crps", DataTypes.DoubleType, false).add("pit_ks", DataTypes.DoubleType, false)
            .add("pit_ks_p", DataTypes.DoubleType, false)
            .add("pit_deciles", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("level", DataTypes.DoubleType, false).add("coverage", DataTypes.DoubleType, false)
            .add("interval_width", DataTypes.DoubleType, false).add("coverage_raw", DataTypes.DoubleType, true)
            .add("interval_width_raw", DataTypes.DoubleType, true).add("calibrated", DataTypes.StringType, true);

    private static Object boxed(double[] v) {
        return scala.collection.JavaConverters.asScalaBuffer(Arrays.stream(v).boxed().toList()).toSeq();
    }

    private static Object scalarOrArray(double[] v) {
        return v == null ? null : v.length == 1 ? (Object) v[0] : v;
    }
}
