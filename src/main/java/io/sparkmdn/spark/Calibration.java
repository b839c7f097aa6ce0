package io.sparkmdn.spark;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.sparkmdn.math.Scoring;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.util.Checks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How well a model's predicted distributions are calibrated on labelled rows, overall and per group: the
 * coverage and mean width of the central prediction interval, the PIT deciles (each 0.1 for a calibrated
 * model), and the mean NLL and CRPS, from the {@code score} job's per-row answers ({@link MixtureScores}),
 * aggregated in Spark SQL. For d_y &gt; 1 the per-dimension answers are reported dimension by dimension.
 */
public final class Calibration {

    private static final String GROUP = "__group";
    private static final String DIM = "__dim";
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
     */
    public record Group(String group, long rows, double nll, double[] crps, double[] coverage,
                        double[] intervalWidth, double[][] pitDeciles) {

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
            return m;
        }
    }

    /** All rows' calibration and, with a group column, each group's, ordered by group value. */
    public record Report(double interval, String groupBy, Group all, List<Group> groups) {

        /** The JSON keys evaluate adds: interval, coverage, interval_width, pit_deciles, and groups. */
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("interval", interval);
            Map<String, Object> all = this.all.toJson(null);
            m.put("coverage", all.get("coverage"));
            m.put("interval_width", all.get("interval_width"));
            m.put("pit_deciles", all.get("pit_deciles"));
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
            s.append(String.format("PIT deciles (all rows%s): %s%n", all.pitDeciles().length > 1 ? ", dimension 0" : "",
                    java.util.Arrays.toString(java.util.Arrays.stream(all.pitDeciles()[0])
                            .map(v -> Math.round(v * 1000) / 1000.0).toArray())));
            return s.toString();
        }
    }

    /**
     * The calibration of {@code model} on {@code data} (features in {@link Columns#X}, labels in
     * {@link Columns#Y}), for the central {@code interval}, overall and per value of {@code groupBy} (a column of
     * {@code data}, or null).
     */
    public static Report of(Dataset<Row> data, MdnModel model, double interval, String groupBy) {
        if (groupBy != null) {
            Checks.checkArgument(List.of(data.columns()).contains(groupBy),
                    "--group-by column '%s' not found; the input's columns are: %s", groupBy,
                    String.join(", ", List.of(data.columns()).stream().filter(c -> !c.startsWith("__")).toList()));
        }
        int d = model.options().outputDim();
        Dataset<Row> input = groupBy == null ? data.withColumn(GROUP, lit(null).cast("string"))
                : data.withColumn(GROUP, col(quoted(groupBy)).cast("string"));
        Dataset<Row> scores = MixtureScores.score(input, List.of(GROUP), model,
                new Scoring(new double[] {0.5}, interval).withoutMode()); // the costliest answer, not aggregated
        Dataset<Row> perDim = d == 1
                ? scores.withColumn(DIM, lit(0))
                : scores.selectExpr(GROUP, MixtureScores.LOG_LIKELIHOOD,
                        "posexplode(arrays_zip(pit, crps, lower, upper, in_interval)) AS (" + DIM + ", z)")
                        .selectExpr(GROUP, MixtureScores.LOG_LIKELIHOOD, DIM, "z.pit AS pit", "z.crps AS crps",
                                "z.lower AS lower", "z.upper AS upper", "z.in_interval AS in_interval");
        data.sparkSession().sparkContext().setJobDescription("evaluate: calibration"
                + (groupBy == null ? "" : " per " + groupBy));
        List<Column> aggregates = new ArrayList<>(List.of(count(lit(1)).as("rows"),
                avg(col(MixtureScores.LOG_LIKELIHOOD).multiply(-1)).as("nll"), avg(col("crps")).as("crps"),
                avg(when(col("in_interval"), 1.0).otherwise(0.0)).as("coverage"),
                avg(col("upper").minus(col("lower"))).as("width")));
        Column decile = least(floor(col("pit").multiply(DECILES)), lit(DECILES - 1));
        for (int b = 0; b < DECILES; b++) {
            aggregates.add(sum(when(decile.equalTo(b), 1L).otherwise(0L)).as("d" + b));
        }
        List<Row> rows = perDim.groupBy(col(GROUP), col(DIM))
                .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
                .collectAsList();
        Map<String, List<Row>> byGroup = new java.util.TreeMap<>(java.util.Comparator.nullsLast(String::compareTo));
        for (Row r : rows) {
            byGroup.computeIfAbsent(r.isNullAt(0) ? null : r.getString(0), k -> new ArrayList<>()).add(r);
        }
        List<Group> groups = new ArrayList<>();
        for (Map.Entry<String, List<Row>> e : byGroup.entrySet()) {
            groups.add(group(e.getKey(), e.getValue(), d));
        }
        Group all = groupBy == null ? groups.get(0) : merge(groups, d);
        return new Report(interval, groupBy, all, groupBy == null ? List.of() : groups);
    }

    /** One group from its per-dimension aggregate rows (group, dim, rows, nll, crps, coverage, width, d0…d9). */
    private static Group group(String name, List<Row> dims, int d) {
        double[] crps = new double[d];
        double[] coverage = new double[d];
        double[] width = new double[d];
        double[][] deciles = new double[d][DECILES];
        long rows = 0;
        double nll = 0;
        for (Row r : dims) {
            int l = r.getInt(1);
            rows = r.getLong(2);
            nll = r.getDouble(3);
            crps[l] = r.getDouble(4);
            coverage[l] = r.getDouble(5);
            width[l] = r.getDouble(6);
            for (int b = 0; b < DECILES; b++) {
                deciles[l][b] = (double) r.getLong(7 + b) / rows;
            }
        }
        return new Group(name, rows, nll, crps, coverage, width, deciles);
    }

    /** All rows from the groups: means weighted by the groups' rows. */
    private static Group merge(List<Group> groups, int d) {
        long rows = groups.stream().mapToLong(Group::rows).sum();
        double nll = 0;
        double[] crps = new double[d];
        double[] coverage = new double[d];
        double[] width = new double[d];
        double[][] deciles = new double[d][DECILES];
        for (Group g : groups) {
            double w = (double) g.rows() / rows;
            nll += w * g.nll();
            for (int l = 0; l < d; l++) {
                crps[l] += w * g.crps()[l];
                coverage[l] += w * g.coverage()[l];
                width[l] += w * g.intervalWidth()[l];
                for (int b = 0; b < DECILES; b++) {
                    deciles[l][b] += w * g.pitDeciles()[l][b];
                }
            }
        }
        return new Group(null, rows, nll, crps, coverage, width, deciles);
    }

    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
