package io.sparkmdn.report;

import io.sparkmdn.math.GaussianMixture;
import io.sparkmdn.util.Checks;

/**
 * A conditional density p(y | x) tabulated on a grid of 1-D x and 1-D y, for heat maps.
 *
 * @param x      increasing x values (the columns, at least 2)
 * @param y      increasing y values (the rows, at least 2)
 * @param values p(y_j | x_i) at {@code values[j·x.length + i]}; finite and ≥ 0
 */
public record DensityGrid(double[] x, double[] y, double[] values) {

    /** A conditional log-density log p(y | x) of 1-D x and y. */
    @FunctionalInterface
    public interface LogDensity {
        /** log p(y | x) in nats; −∞ outside the support. */
        double logDensity(double x, double y);
    }

    public DensityGrid {
        Checks.checkArgument(x.length >= 2 && y.length >= 2, "A density grid needs at least 2×2 points, got %s×%s",
                x.length, y.length);
        Checks.checkArgument(values.length == x.length * y.length, "Density grid of %s×%s has %s values",
                x.length, y.length, values.length);
        for (double v : values) {
            Checks.checkArgument(Double.isFinite(v) && v >= 0, "Invalid density value on the grid: %s", v);
        }
    }

    /** p(y | x) on the grid {@code xs} × {@code ys} from a log-density (−∞ and NaN count as 0). */
    public static DensityGrid of(double[] xs, double[] ys, LogDensity density) {
        double[] values = new double[xs.length * ys.length];
        for (int j = 0; j < ys.length; j++) {
            for (int i = 0; i < xs.length; i++) {
                double p = Math.exp(density.logDensity(xs[i], ys[j]));
                values[j * xs.length + i] = Double.isFinite(p) ? p : 0;
            }
        }
        return new DensityGrid(xs, ys, values);
    }

    /** The mixtures of {@code curve} (1-D y) on {@code xs} × {@code ys}, each x taking the nearest x of the curve. */
    public static DensityGrid of(MixtureCurve curve, double[] xs, double[] ys) {
        Checks.checkArgument(curve.dim() == 1, "A density grid needs 1-D y, the mixtures have d=%s", curve.dim());
        double[] values = new double[xs.length * ys.length];
        double[] point = new double[1];
        for (int i = 0; i < xs.length; i++) {
            GaussianMixture column = curve.mixtures().mixture(curve.nearest(xs[i]));
            for (int j = 0; j < ys.length; j++) {
                point[0] = ys[j];
                double p = Math.exp(column.logDensity(point));
                values[j * xs.length + i] = Double.isFinite(p) ? p : 0;
            }
        }
        return new DensityGrid(xs, ys, values);
    }

    /** The largest value on the grid. */
    public double max() {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** The q-quantile of the grid's values (0 ≤ q ≤ 1). */
    public double quantile(double q) {
        return Arrays2.quantile(values, q);
    }
}
