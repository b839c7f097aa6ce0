package io.sparkmdn.data;

import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.sin;

import java.util.Arrays;
import org.apache.spark.sql.Column;

/**
 * The seed toy problem: y ~ U(0, 1), x = sin(2πy) + 0.2·u·(cos(2πy) + 2), u ~ U(0, 1). Predicting y from x is
 * one-to-many: one x has up to three plausible y, which a least-squares net can only average.
 *
 * <p>Each row's randomness is two {@link RowDraws} of (seed, row id), so the same seed and ids give the same rows
 * however the ids are split across threads or partitions, in Java ({@link #row}) and in Spark SQL
 * ({@link #columns}) alike.
 *
 * <p>The true conditional density follows from Bayes' rule. Given y, x is uniform on the band
 * [s(y), s(y) + w(y)] with s(y) = sin 2πy and w(y) = 0.2(cos 2πy + 2), and p(y) = 1 on [0, 1), so
 * <pre>
 *   p(y | x) = 1{s(y) ≤ x ≤ s(y) + w(y)} / (w(y) · Z(x)),     Z(x) = ∫₀¹ 1{s(y) ≤ x ≤ s(y) + w(y)} / w(y) dy.
 * </pre>
 * Z(x) is exact here: the band's edges cross x where sin θ = x or √1.04·sin(θ + φ) + 0.4 = x (θ = 2πy,
 * tan φ = 0.2), roots with a closed form, and 1/w has the antiderivative
 * (5/(π√3))·atan2(sin πy, √3 cos πy), continuous on [0, 1].
 */
public final class SeedToy implements SyntheticKind {

    /** The one instance, registered as {@code seed}. */
    public static final SeedToy INSTANCE = new SeedToy();

    private static final long serialVersionUID = 1L;
    private static final double TWO_PI = 2 * Math.PI;
    /** Amplitude and phase of s(y) + w(y) − 0.4 = sin θ + 0.2 cos θ = R sin(θ + φ). */
    private static final double UPPER_AMPLITUDE = Math.sqrt(1.04);
    private static final double UPPER_PHASE = Math.atan2(0.2, 1.0);
    /** ∫ dy / w(y) = ANTIDERIVATIVE_SCALE · atan2(sin πy, √3 cos πy). */
    private static final double ANTIDERIVATIVE_SCALE = 5.0 / (Math.PI * Math.sqrt(3.0));
    private static final double SQRT3 = Math.sqrt(3.0);

    private SeedToy() {
    }

    /** The row with the given id as {x, y}. */
    public static double[] row(long seed, long id) {
        double[] x = new double[1];
        double[] y = new double[1];
        INSTANCE.row(seed, id, x, y);
        return new double[] {x[0], y[0]};
    }

    /** Rows with ids [firstId, firstId + rows) as 1-D x and 1-D y. */
    public static XYData generate(long seed, long firstId, int rows) {
        return INSTANCE.rows(seed, firstId, rows);
    }

    @Override
    public String name() {
        return "seed";
    }

    @Override
    public int inputDim() {
        return 1;
    }

    @Override
    public int outputDim() {
        return 1;
    }

    @Override
    public void row(long seed, long id, double[] x, double[] y) {
        double yv = RowDraws.uniform(seed, 0, id);
        double u = RowDraws.uniform(seed, 1, id);
        double theta = yv * TWO_PI;
        x[0] = Math.sin(theta) + u * 0.2 * (Math.cos(theta) + 2);
        y[0] = yv;
    }

    @Override
    public Column[] columns(long seed, Column id) {
        Column yv = RowDraws.uniform(seed, 0, id);
        Column u = RowDraws.uniform(seed, 1, id);
        Column theta = yv.multiply(TWO_PI);
        return new Column[] {RowDraws.nonNull(sin(theta).plus(u.multiply(0.2).multiply(cos(theta).plus(2)))), yv};
    }

    @Override
    public double trueLogDensity(double[] x, double[] y) {
        if (x.length != 1 || y.length != 1) { // plain test, no varargs boxing: called once per row
            throw new IllegalArgumentException("seed has d_x=1, d_y=1 but got x of length " + x.length
                    + " and y of length " + y.length);
        }
        double xv = x[0];
        double yv = y[0];
        if (Double.isNaN(xv) || Double.isNaN(yv)) {
            return Double.NaN;
        }
        if (!(yv >= 0 && yv <= 1) || !inBand(xv, yv)) {
            return Double.NEGATIVE_INFINITY;
        }
        return -Math.log(width(yv)) - Math.log(normalizer(xv));
    }

    /**
     * Z(x) = ∫₀¹ 1{s(y) ≤ x ≤ s(y) + w(y)} / w(y) dy, the density of x up to p(y) = 1; 0 outside the x support
     * [−1, 0.4 + √1.04].
     */
    public static double normalizer(double x) {
        double[] cuts = bandEdges(x);
        double z = 0;
        for (int i = 0; i + 1 < cuts.length; i++) {
            double a = cuts[i];
            double b = cuts[i + 1];
            // The band test is constant between consecutive edges: test the midpoint.
            if (b > a && inBand(x, 0.5 * (a + b))) {
                z += inverseWidthIntegral(b) - inverseWidthIntegral(a);
            }
        }
        return z;
    }

    /** 0, 1 and every y in [0, 1) where s(y) = x or s(y) + w(y) = x, sorted (at most six values). */
    private static double[] bandEdges(double x) {
        double[] cuts = new double[6];
        int n = 0;
        cuts[n++] = 0.0;
        cuts[n++] = 1.0;
        if (Math.abs(x) <= 1) {
            double t = Math.asin(x);
            cuts[n++] = toUnit(t);
            cuts[n++] = toUnit(Math.PI - t);
        }
        double c = (x - 0.4) / UPPER_AMPLITUDE;
        if (Math.abs(c) <= 1) {
            double t = Math.asin(c);
            cuts[n++] = toUnit(t - UPPER_PHASE);
            cuts[n++] = toUnit(Math.PI - t - UPPER_PHASE);
        }
        double[] edges = Arrays.copyOf(cuts, n);
        Arrays.sort(edges);
        return edges;
    }

    /** The y in [0, 1) of angle θ = 2πy, θ taken modulo 2π. */
    private static double toUnit(double theta) {
        double y = theta / TWO_PI;
        y -= Math.floor(y);
        return y < 1 ? y : 0;
    }

    /** Whether x lies in the band [s(y), s(y) + w(y)] of y. */
    private static boolean inBand(double x, double y) {
        double s = Math.sin(TWO_PI * y);
        return s <= x && x <= s + width(y);
    }

    /** w(y) = 0.2(cos 2πy + 2), the band's width. */
    private static double width(double y) {
        return 0.2 * (Math.cos(TWO_PI * y) + 2);
    }

    /** ∫₀^y dt / w(t) for y in [0, 1]. */
    private static double inverseWidthIntegral(double y) {
        return ANTIDERIVATIVE_SCALE * Math.atan2(Math.sin(Math.PI * y), SQRT3 * Math.cos(Math.PI * y));
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
