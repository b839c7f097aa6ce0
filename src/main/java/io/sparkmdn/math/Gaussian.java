package io.sparkmdn.math;

import org.apache.commons.math3.special.Erf;

/**
 * Univariate normal density and distribution functions on primitive doubles.
 *
 * <p>These are hot-path helpers: arguments are not validated, so {@code sigma} must be finite and
 * {@code > 0}; NaN arguments give NaN. Distribution functions go through {@link Erf#erfc} rather
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
        return 0.5 * Erf.erfc((mu - x) / (sigma * SQRT2));
    }

    /** Standard normal density φ(z). */
    public static double standardPdf(double z) {
        return Math.exp(-0.5 * z * z) * INV_SQRT_2PI;
    }

    /** Standard normal distribution function Φ(z), accurate in both tails. */
    public static double standardCdf(double z) {
        return 0.5 * Erf.erfc(-z / SQRT2);
    }
}
