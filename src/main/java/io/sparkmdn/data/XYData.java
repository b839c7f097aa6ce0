package io.sparkmdn.data;

import io.sparkmdn.util.Checks;
import java.util.Arrays;

/**
 * An in-memory batch of (x, y) rows, stored row-major: {@code x[i·inputDim + j]}, {@code y[i·outputDim + l]}.
 *
 * @param inputDim  features per row d_x (≥ 1)
 * @param outputDim label values per row d_y (≥ 1)
 * @param x         n·d_x feature values
 * @param y         n·d_y label values
 */
public record XYData(int inputDim, int outputDim, double[] x, double[] y) {

    public XYData {
        Checks.checkArgument(inputDim >= 1 && outputDim >= 1, "Invalid dimensions d_x=%s, d_y=%s",
                inputDim, outputDim);
        Checks.checkArgument(x.length % inputDim == 0 && y.length % outputDim == 0
                        && x.length / inputDim == y.length / outputDim,
                "x has %s values for d_x=%s but y has %s values for d_y=%s: row counts differ",
                x.length, inputDim, y.length, outputDim);
    }

    /** Number of rows n. */
    public int size() {
        return x.length / inputDim;
    }

    /** Rows [from, to) as a new batch. */
    public XYData rows(int from, int to) {
        Checks.checkArgument(0 <= from && from <= to && to <= size(), "Invalid row range [%s, %s) of %s rows",
                from, to, size());
        return new XYData(inputDim, outputDim, Arrays.copyOfRange(x, from * inputDim, to * inputDim),
                Arrays.copyOfRange(y, from * outputDim, to * outputDim));
    }
}
