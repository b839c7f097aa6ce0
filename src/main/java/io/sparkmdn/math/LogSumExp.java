package io.sparkmdn.math;

import java.util.Objects;

/**
 * Numerically stable log-sum-exp and softmax on slices of {@code double[]}.
 *
 * <p>Both shift by the maximum before exponentiating, so inputs such as {@code [1000, 1000]} or
 * {@code [-1e6, -1e6 + 1]} neither overflow nor underflow.
 */
public final class LogSumExp {

    private LogSumExp() {
    }

    /** log Σ exp(a[i]) over the whole array; see {@link #of(double[], int, int)}. */
    public static double of(double[] a) {
        return of(a, 0, a.length);
    }

    /**
     * log Σ exp(a[i]) over {@code a[from .. from+length)}: -Infinity when empty or all entries are
     * -Infinity, NaN when any entry is NaN, +Infinity when any entry is +Infinity.
     */
    public static double of(double[] a, int from, int length) {
        Objects.checkFromIndexSize(from, length, a.length);
        int end = from + length;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < end; i++) {
            double v = a[i];
            if (v != v) {
                return Double.NaN;
            }
            if (v > max) {
                max = v;
            }
        }
        if (max == Double.NEGATIVE_INFINITY || max == Double.POSITIVE_INFINITY) {
            return max;
        }
        double sum = 0.0;
        for (int i = from; i < end; i++) {
            sum += Math.exp(a[i] - max);
        }
        return max + Math.log(sum);
    }

    /** Replaces the whole array by its softmax; see {@link #softmaxInPlace(double[], int, int)}. */
    public static void softmaxInPlace(double[] logits) {
        softmaxInPlace(logits, 0, logits.length);
    }

    /**
     * Replaces {@code logits[from .. from+length)} by exp(logit)/Σexp(logit), max-shifted; throws
     * IllegalArgumentException for an empty slice, a NaN or +Infinity logit, or all -Infinity.
     */
    public static void softmaxInPlace(double[] logits, int from, int length) {
        Objects.checkFromIndexSize(from, length, logits.length);
        if (length == 0) {
            throw new IllegalArgumentException("softmax of an empty slice is undefined");
        }
        int end = from + length;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < end; i++) {
            double v = logits[i];
            if (v != v || v == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(
                        "Invalid logit at index " + (i - from) + ": " + v + " (must not be NaN or +Infinity)");
            }
            if (v > max) {
                max = v;
            }
        }
        if (max == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("softmax is undefined when all " + length + " logits are -Infinity");
        }
        double sum = 0.0;
        for (int i = from; i < end; i++) {
            double e = Math.exp(logits[i] - max);
            logits[i] = e;
            sum += e;
        }
        // sum >= 1 (the max term contributes exp(0)), so the division is safe.
        for (int i = from; i < end; i++) {
            logits[i] /= sum;
        }
    }
}
