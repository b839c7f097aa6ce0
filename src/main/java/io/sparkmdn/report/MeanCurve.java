package io.sparkmdn.report;

import io.sparkmdn.util.Checks;

/**
 * A point prediction along 1-D x, such as the least-squares net's E[y | x], in the user's units.
 *
 * @param x   increasing x values (at least 2)
 * @param y   the prediction at each x, row-major: {@code y[i·dim + l]}
 * @param dim output dimension d_y (≥ 1)
 */
public record MeanCurve(double[] x, double[] y, int dim) {

    public MeanCurve {
        Checks.checkArgument(dim >= 1, "Invalid output dimension: %s (must be >= 1)", dim);
        Checks.checkArgument(x.length >= 2, "A curve needs at least 2 points, got %s", x.length);
        Checks.checkArgument(y.length == x.length * dim, "Curve has %s x but %s y values for d=%s",
                x.length, y.length, dim);
        for (int i = 1; i < x.length; i++) {
            Checks.checkArgument(x[i] > x[i - 1], "Curve x must increase: x[%s]=%s after %s", i, x[i], x[i - 1]);
        }
    }

    /** Number of points. */
    public int size() {
        return x.length;
    }

    /** The values of output dimension {@code l} along x. */
    public double[] column(int l) {
        return Arrays2.column(y, dim, l);
    }
}
