package io.sparkmdn.math;

import java.util.function.DoubleUnaryOperator;

/** Composite Simpson rule for the numeric checks in these tests. */
final class Quadrature {

    private Quadrature() {
    }

    /** ∫_a^b f(t) dt with Simpson's rule on n (made even) intervals. */
    static double simpson(DoubleUnaryOperator f, double a, double b, int n) {
        if (n % 2 == 1) {
            n++;
        }
        double h = (b - a) / n;
        double sum = f.applyAsDouble(a) + f.applyAsDouble(b);
        for (int i = 1; i < n; i++) {
            sum += (i % 2 == 1 ? 4.0 : 2.0) * f.applyAsDouble(a + i * h);
        }
        return sum * h / 3.0;
    }
}
