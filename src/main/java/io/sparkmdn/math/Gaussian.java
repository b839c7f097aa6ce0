package io.sparkmdn.math;

import org.apache.commons.numbers.gamma.Erfc;

/**
 * Univariate normal density and distribution functions on primitive doubles.
 *
 * <p>These are hot-path helpers: arguments are not validated, so {@code sigma} must be finite and
 * {@code > 0}; NaN arguments give NaN. Distribution functions go through {@link Erfc} rather
 * than {@code 1 - erf}, so both tails keep full relative accuracy (e.g. {@code standardCdf(-10)}
 * is about 7.62e-24, not 0).
 */
public final class Gaussian {

    /** ½·log(2π), the log normalising constant of the standard normal density. */
    public static final double LOG_SQRT_2PI = 0.91893853320467274178;

    /** 1/√(2π), the standard normal density at 0. */
    public static final double INV_SQRT_2PI = 0.39894228040143267794;

    /** √2. */
    static final double SQRT2 = 1.41421356237309504880;

    private Gaussian() {
    }

    /** Log density of N(mu, sigma²) at {@code x}. */
    public static double logPdf(double x, double mu, double sigma) {
        double z = (x - mu) / sigma;
        return -0.5 * z * z - Math.log(sigma) - LOG_SQRT_2PI;
    }

    /** Density of N(mu, sigma²) at {@code x}. */
    public static double pdf(double x, double mu, double sigma) {
        double z = (x - mu) / sigma;
        return Math.exp(-0.5 * z * z) * INV_SQRT_2PI / sigma;
    }

    /** Distribution function P(X ≤ x) of X ~ N(mu, sigma²), accurate in both tails. */
    public static double cdf(double x, double mu, double sigma) {
        // Φ(z) = ½·erfc(−z/√2): erfc keeps relative accuracy where Φ is tiny.
        return 0.5 * Erfc.value((mu - x) / (sigma * SQRT2));
    }

    /** Standard normal density φ(z). */
    public static double standardPdf(double z) {
        return Math.exp(-0.5 * z * z) * INV_SQRT_2PI;
    }

    /** Standard normal distribution function Φ(z), accurate in both tails. */
    public static double standardCdf(double z) {
        return 0.5 * Erfc.value(-z / SQRT2);
    }

    /** Upper tail Q(z) = 1 − Φ(z) = Φ(−z), with full relative accuracy where it is tiny. */
    public static double standardSurvival(double z) {
        return 0.5 * Erfc.value(z / SQRT2);
    }

    /**
     * Standard normal quantile Φ⁻¹(p), relative error about 1e-16 for p in [1e-300, 1 − 1e-16]: Wichura's
     * algorithm AS 241 (PPND16, Applied Statistics 37, 1988). p = 0 gives −∞, p = 1 gives +∞, anything outside
     * [0, 1] (or NaN) gives NaN.
     */
    public static double standardQuantile(double p) {
        if (!(p >= 0.0 && p <= 1.0)) {
            return Double.NaN;
        }
        double q = p - 0.5;
        if (Math.abs(q) <= 0.425) {
            // Central region: a rational function of r = 0.425² − q².
            double r = 0.180625 - q * q;
            return q * (((((((2.5090809287301226727e3 * r + 3.3430575583588128105e4) * r
                    + 6.7265770927008700853e4) * r + 4.5921953931549871457e4) * r
                    + 1.3731693765509461125e4) * r + 1.9715909503065514427e3) * r
                    + 1.3314166789178437745e2) * r + 3.3871328727963666080e0)
                    / (((((((5.2264952788528545610e3 * r + 2.8729085735721942674e4) * r
                    + 3.9307895800092710610e4) * r + 2.1213794301586595867e4) * r
                    + 5.3941960214247511077e3) * r + 6.8718700749205790830e2) * r
                    + 4.2313330701600911252e1) * r + 1.0);
        }
        // Tails: a rational function of r = √(−log t), t = min(p, 1 − p); 1 − p is exact for p ≥ ½.
        double t = q < 0 ? p : 1.0 - p;
        if (t == 0.0) {
            return q < 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        double r = Math.sqrt(-Math.log(t));
        double x;
        if (r <= 5.0) {
            r -= 1.6;
            x = (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r
                    + 2.41780725177450611770e-1) * r + 1.27045825245236838258e0) * r
                    + 3.64784832476320460504e0) * r + 5.76949722146069140550e0) * r
                    + 4.63033784615654529590e0) * r + 1.42343711074968357734e0)
                    / (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r
                    + 1.51986665636164571966e-2) * r + 1.48103976427480074590e-1) * r
                    + 6.89767334985100004550e-1) * r + 1.67638483018380384940e0) * r
                    + 2.05319162663775882187e0) * r + 1.0);
        } else {
            r -= 5.0;
            x = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r
                    + 1.24266094738807843860e-3) * r + 2.65321895265761230930e-2) * r
                    + 2.96560571828504891230e-1) * r + 1.78482653991729133580e0) * r
                    + 5.46378491116411436990e0) * r + 6.65790464350110377720e0)
                    / (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r
                    + 1.84631831751005468180e-5) * r + 7.86869131145613259100e-4) * r
                    + 1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r
                    + 5.99832206555887937690e-1) * r + 1.0);
        }
        return q < 0 ? -x : x;
    }
}
