package io.sparkmdn.data;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.sin;
import static org.apache.spark.sql.functions.sqrt;

import org.apache.spark.sql.Column;

/**
 * Heteroscedastic, right-skewed noise on a 2-D input: x = (x₁, x₂) ~ U(−1, 1)², z ~ N(0, 1), and
 * y = m(x) + exp(a(x) + b·z) with m(x) = 0.8·sin(πx₁) + 0.3·x₂, a(x) = −1.2 + 0.6·x₂ and b = 0.5. Given x, y is a
 * shifted log-normal: always above m(x), skewed to the right, with a scale that grows with x₂. Its true density
 * is, for y &gt; m(x),
 * <pre>
 *   p(y | x) = exp(−½((log(y − m(x)) − a(x))/b)²) / ((y − m(x)) · b · √(2π)),
 * </pre>
 * and 0 for y ≤ m(x). A symmetric Gaussian around a mean cannot fit it; a mixture must spend components on the
 * tail.
 *
 * <p>The entropy of a log-normal whose logarithm is N(μ, σ²) is μ + ½log(2πeσ²), and E[a(x)] = −1.2 since
 * E[x₂] = 0, so the Bayes limit NLL is exactly E[a(x)] + log b + ½log(2πe) = −1.2 + log 0.5 + ½log(2πe)
 * ≈ −0.4742 nats.
 *
 * <p>A row takes four {@link RowDraws}: x₁, x₂, and z by the Box–Muller transform.
 */
public final class Skewed implements SyntheticKind {

    /** The one instance, registered as {@code skewed}. */
    public static final Skewed INSTANCE = new Skewed();

    /** Amplitude of the sine in m(x) = 0.8·sin(πx₁) + 0.3·x₂, the lower edge of y's support. */
    public static final double SHIFT_AMPLITUDE = 0.8;

    /** Slope of m(x) in x₂. */
    public static final double SHIFT_SLOPE = 0.3;

    /** a(x) at x₂ = 0: the mean of log(y − m(x)) there, and its mean over the data. */
    public static final double LOG_SCALE_INTERCEPT = -1.2;

    /** Slope of a(x) = −1.2 + 0.6·x₂ in x₂: the noise's scale grows by a factor e^1.2 ≈ 3.3 across x₂. */
    public static final double LOG_SCALE_SLOPE = 0.6;

    /** b, the standard deviation of log(y − m(x)): the larger, the more skewed y is. */
    public static final double LOG_SIGMA = 0.5;

    private static final long serialVersionUID = 1L;
    private static final double TWO_PI = 2 * Math.PI;
    /** −log b − ½log 2π, the part of log p(y | x) that is the same everywhere. */
    private static final double LOG_NORMALIZER = -Math.log(LOG_SIGMA) - 0.5 * Math.log(TWO_PI);

    private Skewed() {
    }

    @Override
    public String name() {
        return "skewed";
    }

    @Override
    public int inputDim() {
        return 2;
    }

    @Override
    public int outputDim() {
        return 1;
    }

    @Override
    public void row(long seed, long id, double[] x, double[] y) {
        double x1 = RowDraws.uniform(seed, 0, id) * 2 - 1;
        double x2 = RowDraws.uniform(seed, 1, id) * 2 - 1;
        double radius = Math.sqrt(StrictMath.log(1 - RowDraws.uniform(seed, 2, id)) * -2);
        double z = Math.cos(RowDraws.uniform(seed, 3, id) * TWO_PI) * radius;
        x[0] = x1;
        x[1] = x2;
        y[0] = shift(x1, x2) + StrictMath.exp(logScale(x2) + z * LOG_SIGMA);
    }

    @Override
    public Column[] columns(long seed, Column id) {
        Column x1 = RowDraws.uniform(seed, 0, id).multiply(2).minus(1);
        Column x2 = RowDraws.uniform(seed, 1, id).multiply(2).minus(1);
        // Spark's log and exp are StrictMath's, its sin and cos Math's, hence the same in row()
        Column radius = sqrt(log(lit(1).minus(RowDraws.uniform(seed, 2, id))).multiply(-2));
        Column z = cos(RowDraws.uniform(seed, 3, id).multiply(TWO_PI)).multiply(radius);
        Column shift = sin(x1.multiply(Math.PI)).multiply(SHIFT_AMPLITUDE).plus(x2.multiply(SHIFT_SLOPE));
        Column logScale = x2.multiply(LOG_SCALE_SLOPE).plus(LOG_SCALE_INTERCEPT);
        return new Column[] {array(x1, x2),
                RowDraws.nonNull(shift.plus(exp(logScale.plus(z.multiply(LOG_SIGMA)))))};
    }

    /** m(x) = 0.8·sin(πx₁) + 0.3·x₂: y's lower bound given x. */
    public static double shift(double x1, double x2) {
        return Math.sin(x1 * Math.PI) * SHIFT_AMPLITUDE + x2 * SHIFT_SLOPE;
    }

    /** a(x) = −1.2 + 0.6·x₂: the mean of log(y − m(x)) given x. */
    public static double logScale(double x2) {
        return x2 * LOG_SCALE_SLOPE + LOG_SCALE_INTERCEPT;
    }

    @Override
    public double trueLogDensity(double[] x, double[] y) {
        if (x.length != 2 || y.length != 1) { // plain test, no varargs boxing: called once per row
            throw new IllegalArgumentException("skewed has d_x=2, d_y=1 but got x of length " + x.length
                    + " and y of length " + y.length);
        }
        double x1 = x[0];
        double x2 = x[1];
        double yv = y[0];
        if (Double.isNaN(x1) || Double.isNaN(x2) || Double.isNaN(yv)) {
            return Double.NaN;
        }
        if (!(x1 >= -1 && x1 <= 1 && x2 >= -1 && x2 <= 1)) {
            return Double.NEGATIVE_INFINITY;
        }
        double excess = yv - shift(x1, x2);
        if (!(excess > 0)) {
            return Double.NEGATIVE_INFINITY;
        }
        double logExcess = Math.log(excess);
        double t = (logExcess - logScale(x2)) / LOG_SIGMA;
        return LOG_NORMALIZER - logExcess - 0.5 * t * t;
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
