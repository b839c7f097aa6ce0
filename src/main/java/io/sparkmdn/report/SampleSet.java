package io.sparkmdn.report;

import io.sparkmdn.util.Checks;

/**
 * Draws of y from the MDN, one per row, with the x each was drawn at (1-D x), in the user's units.
 *
 * @param x   the x of each draw
 * @param y   the draws, row-major: {@code y[i·dim + l]}
 * @param dim output dimension d_y (≥ 1)
 */
public record SampleSet(double[] x, double[] y, int dim) {

    public SampleSet {
        Checks.checkArgument(dim >= 1, "Invalid output dimension: %s (must be >= 1)", dim);
        Checks.checkArgument(y.length == x.length * dim, "Sample set has %s x but %s y values for d=%s",
                x.length, y.length, dim);
    }

    /** Number of draws. */
    public int size() {
        return x.length;
    }

    /** The values of output dimension {@code l}, one per draw. */
    public double[] column(int l) {
        return Arrays2.column(y, dim, l);
    }

    /** Number of distinct x values. */
    public int distinctX() {
        return (int) java.util.Arrays.stream(x).distinct().count();
    }

    /** The draws made at exactly {@code at}. */
    public SampleSet at(double at) {
        int n = 0;
        for (double v : x) {
            if (v == at) {
                n++;
            }
        }
        double[] xs = new double[n];
        double[] ys = new double[n * dim];
        int j = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] == at) {
                xs[j] = at;
                System.arraycopy(y, i * dim, ys, j * dim, dim);
                j++;
            }
        }
        return new SampleSet(xs, ys, dim);
    }
}
