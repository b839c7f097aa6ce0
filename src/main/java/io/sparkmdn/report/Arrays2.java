package io.sparkmdn.report;

import java.util.Arrays;

/** Small helpers on row-major {@code double[]} blocks shared by the report's records and plots. */
final class Arrays2 {

    private Arrays2() {
    }

    /** Column {@code l} of a row-major block with {@code dim} values per row. */
    static double[] column(double[] values, int dim, int l) {
        double[] out = new double[values.length / dim];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i * dim + l];
        }
        return out;
    }

    /** {min, max} of the finite values, or {NaN, NaN} when there are none. */
    static double[] range(double[]... arrays) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] a : arrays) {
            for (double v : a) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return lo <= hi ? new double[] {lo, hi} : new double[] {Double.NaN, Double.NaN};
    }

    /** {@code n} evenly spaced values from {@code lo} to {@code hi} inclusive (n ≥ 2). */
    static double[] linspace(double lo, double hi, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = lo + (hi - lo) * i / (n - 1);
        }
        return out;
    }

    /** The q-quantile (0 ≤ q ≤ 1) of the finite values by nearest rank, or NaN when there are none. */
    static double quantile(double[] values, double q) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (finite.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(finite.length - 1, Math.max(0, Math.round(q * (finite.length - 1))));
        return finite[index];
    }
}
