package io.sparkmdn.model;

import io.sparkmdn.util.Checks;
import java.util.Arrays;

/**
 * Per-column standardisation z = (v − mean) / std, with statistics taken from training data.
 *
 * <p>A constant column (std = 0) keeps std = 1, so it is centred but not scaled. Statistics are accumulated
 * with a mergeable {@link Accumulator} (Chan et al.'s parallel update), so partitions of a distributed
 * dataset can each compute theirs and combine them.
 *
 * @param mean per-column mean, in the user's units
 * @param std  per-column population standard deviation (> 0, finite)
 */
public record Standardizer(double[] mean, double[] std) implements java.io.Serializable {

    public Standardizer {
        Checks.checkArgument(mean != null && std != null && mean.length == std.length && mean.length > 0,
                "Standardizer needs mean and std of the same non-zero length");
        for (int l = 0; l < std.length; l++) {
            Checks.checkArgument(Double.isFinite(mean[l]), "Invalid mean of column %s: %s", l, mean[l]);
            Checks.checkArgument(Double.isFinite(std[l]) && std[l] > 0,
                    "Invalid std of column %s: %s (must be finite and > 0)", l, std[l]);
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The statistics of row-major data with {@code dim} columns. */
    public static Standardizer fit(double[] rows, int dim) {
        Accumulator acc = new Accumulator(dim);
        for (int i = 0; i < rows.length; i += dim) {
            acc.add(rows, i);
        }
        return acc.result();
    }

    /** Number of columns. */
    public int dim() {
        return mean.length;
    }

    /** A standardised copy of row-major data. */
    public double[] apply(double[] rows) {
        int d = dim();
        Checks.checkArgument(rows.length % d == 0, "%s values are not rows of %s columns", rows.length, d);
        double[] out = new double[rows.length];
        for (int j = 0; j < rows.length; j++) {
            int l = j % d;
            out[j] = (rows[j] - mean[l]) / std[l];
        }
        return out;
    }

    /** Sum of log std: subtract it from a standardised log-density to get the log-density in user units. */
    public double logJacobian() {
        double s = 0;
        for (double v : std) {
            s += Math.log(v);
        }
        return s;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardizer s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Standardizer(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }

    /** Running count, mean and sum of squared deviations per column; mergeable across partitions. */
    public static final class Accumulator implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private long count;
        private final double[] mean;
        private final double[] m2;

        public Accumulator(int dim) {
            Checks.checkArgument(dim >= 1, "Invalid dimension: %s", dim);
            this.mean = new double[dim];
            this.m2 = new double[dim];
        }

        /** Adds the row starting at {@code offset} of {@code values}. */
        public Accumulator add(double[] values, int offset) {
            count++;
            for (int l = 0; l < mean.length; l++) {
                double delta = values[offset + l] - mean[l];
                mean[l] += delta / count;
                m2[l] += delta * (values[offset + l] - mean[l]);
            }
            return this;
        }

        /** Folds another accumulator's rows into this one. */
        public Accumulator merge(Accumulator other) {
            Checks.checkArgument(other.mean.length == mean.length, "Dimension mismatch: %s vs %s",
                    other.mean.length, mean.length);
            if (other.count == 0) {
                return this;
            }
            long n = count + other.count;
            for (int l = 0; l < mean.length; l++) {
                double delta = other.mean[l] - mean[l];
                mean[l] += delta * other.count / n;
                m2[l] += other.m2[l] + delta * delta * ((double) count * other.count / n);
            }
            count = n;
            return this;
        }

        /** Rows seen so far. */
        public long count() {
            return count;
        }

        /** The standardiser of the rows seen; fails on no rows. */
        public Standardizer result() {
            Checks.checkState(count > 0, "Cannot standardise an empty dataset (0 rows)");
            double[] std = new double[mean.length];
            for (int l = 0; l < std.length; l++) {
                double s = Math.sqrt(m2[l] / count);
                std[l] = s > 0 && Double.isFinite(s) ? s : 1.0;
            }
            return new Standardizer(mean, std);
        }
    }
}
