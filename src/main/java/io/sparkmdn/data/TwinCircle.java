package io.sparkmdn.data;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.sin;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;

import io.sparkmdn.math.GaussianMixture;
import org.apache.spark.sql.Column;

/**
 * Two noisy points on the unit circle: x ~ U(−1, 1), m(x) = (cos πx, sin πx), and y = ±m(x) + N(0, 0.1²·I)
 * with the sign a fair coin. The true conditional density is the two-component mixture
 * ½N(y; m(x), 0.1²I) + ½N(y; −m(x), 0.1²I): bimodal in two dimensions, which a single Gaussian cannot fit.
 *
 * <p>With the modes 20σ apart the components barely overlap, so the Bayes limit NLL is the mixture's entropy
 * log 2 + 1 + log(2π·0.1²) ≈ −1.0742 nats to well within 10⁻⁵⁰.
 *
 * <p>A row takes four {@link RowDraws}: x, the sign, and the noise by the Box–Muller transform.
 */
public final class TwinCircle implements SyntheticKind {

    /** The one instance, registered as {@code twin-circle}. */
    public static final TwinCircle INSTANCE = new TwinCircle();

    /** Standard deviation of the noise around each mode, per output dimension. */
    public static final double NOISE_SIGMA = 0.1;

    private static final long serialVersionUID = 1L;
    private static final double TWO_PI = 2 * Math.PI;
    private static final double[] EQUAL_WEIGHTS = {0.5, 0.5};
    private static final double[] NOISE_SIGMAS = {NOISE_SIGMA, NOISE_SIGMA, NOISE_SIGMA, NOISE_SIGMA};

    private TwinCircle() {
    }

    @Override
    public String name() {
        return "twin-circle";
    }

    @Override
    public int inputDim() {
        return 1;
    }

    @Override
    public int outputDim() {
        return 2;
    }

    @Override
    public void row(long seed, long id, double[] x, double[] y) {
        double xv = RowDraws.uniform(seed, 0, id) * 2 - 1;
        double sign = RowDraws.uniform(seed, 1, id) < 0.5 ? 1.0 : -1.0;
        double radius = Math.sqrt(StrictMath.log(1 - RowDraws.uniform(seed, 2, id)) * -2) * NOISE_SIGMA;
        double angle = RowDraws.uniform(seed, 3, id) * TWO_PI;
        double theta = xv * Math.PI;
        x[0] = xv;
        y[0] = Math.cos(theta) * sign + Math.cos(angle) * radius;
        y[1] = Math.sin(theta) * sign + Math.sin(angle) * radius;
    }

    @Override
    public Column[] columns(long seed, Column id) {
        Column xv = RowDraws.uniform(seed, 0, id).multiply(2).minus(1);
        Column sign = when(RowDraws.uniform(seed, 1, id).lt(0.5), 1.0).otherwise(-1.0);
        // Spark's log is StrictMath.log, hence StrictMath in row()
        Column radius = sqrt(log(lit(1).minus(RowDraws.uniform(seed, 2, id))).multiply(-2)).multiply(NOISE_SIGMA);
        Column angle = RowDraws.uniform(seed, 3, id).multiply(TWO_PI);
        Column theta = xv.multiply(Math.PI);
        return new Column[] {xv, array(
                RowDraws.nonNull(cos(theta).multiply(sign).plus(cos(angle).multiply(radius))),
                RowDraws.nonNull(sin(theta).multiply(sign).plus(sin(angle).multiply(radius))))};
    }

    /** The true p(y | x) as a mixture; defined for every finite x, though data only has x in [−1, 1). */
    public static GaussianMixture trueMixture(double x) {
        double c = Math.cos(Math.PI * x);
        double s = Math.sin(Math.PI * x);
        return new GaussianMixture(EQUAL_WEIGHTS, new double[] {c, s, -c, -s}, NOISE_SIGMAS, 2);
    }

    @Override
    public double trueLogDensity(double[] x, double[] y) {
        if (x.length != 1 || y.length != 2) { // plain test, no varargs boxing: called once per row
            throw new IllegalArgumentException("twin-circle has d_x=1, d_y=2 but got x of length " + x.length
                    + " and y of length " + y.length);
        }
        double xv = x[0];
        if (Double.isNaN(xv)) {
            return Double.NaN;
        }
        if (!(xv >= -1 && xv <= 1)) {
            return Double.NEGATIVE_INFINITY;
        }
        return trueMixture(xv).logDensity(y);
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
