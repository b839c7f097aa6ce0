package io.sparkmdn.report;

import io.sparkmdn.math.MixtureBatch;
import io.sparkmdn.util.Checks;

/**
 * The MDN's mixture p(y | x) along 1-D x: α, μ and σ of each component at increasing x, in the user's units,
 * as the params job writes them or the model predicts them on a grid.
 *
 * @param x        increasing x values (at least 2)
 * @param mixtures the mixture at each x (same row order)
 */
public record MixtureCurve(double[] x, MixtureBatch mixtures) {

    public MixtureCurve {
        Checks.checkArgument(x.length >= 2, "A mixture curve needs at least 2 x values, got %s", x.length);
        Checks.checkArgument(mixtures.size() == x.length, "Mixture curve has %s x but %s mixtures",
                x.length, mixtures.size());
        for (int i = 1; i < x.length; i++) {
            Checks.checkArgument(x[i] > x[i - 1], "Mixture curve x must increase: x[%s]=%s after %s",
                    i, x[i], x[i - 1]);
        }
    }

    /** Number of x values. */
    public int size() {
        return x.length;
    }

    /** Components per mixture K. */
    public int components() {
        return mixtures.mixtures();
    }

    /** Output dimension d_y. */
    public int dim() {
        return mixtures.dim();
    }

    /** Index of the x value nearest to {@code v}. */
    public int nearest(double v) {
        int i = java.util.Arrays.binarySearch(x, v);
        if (i >= 0) {
            return i;
        }
        int above = -i - 1;
        if (above == 0) {
            return 0;
        }
        if (above == x.length) {
            return x.length - 1;
        }
        return v - x[above - 1] <= x[above] - v ? above - 1 : above;
    }
}
