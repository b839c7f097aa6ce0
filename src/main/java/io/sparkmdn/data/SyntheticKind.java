package io.sparkmdn.data;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Column;

/**
 * A built-in synthetic dataset: rows that are a pure function of (seed, row id), so any partitioning of the ids
 * gives identical rows, and a known true conditional density p(y | x), so a model's NLL can be compared with
 * the best achievable (the Bayes limit, E[−log p(y | x)]).
 *
 * <p>Implementations are stateless singletons and serializable, so Spark can ship them to executors.
 */
public interface SyntheticKind extends Serializable {

    /** The name the registry and the command lines know the kind by, e.g. {@code seed}. */
    String name();

    /** Features per row d_x (≥ 1). */
    int inputDim();

    /** Label values per row d_y (≥ 1). */
    int outputDim();

    /**
     * Fills {@code x[0, d_x)} and {@code y[0, d_y)} with row {@code id} of the dataset seeded by {@code seed}, using
     * no randomness but {@link RowDraws} of (seed, id).
     */
    void row(long seed, long id, double[] x, double[] y);

    /**
     * The same rows as Spark SQL expressions of the long column {@code id}, bit for bit: {x, y}, each a double
     * when its dimension is 1, else an array of doubles, none nullable. Spark evaluates them in generated code,
     * without a Row object per row.
     */
    Column[] columns(long seed, Column id);

    /**
     * The true conditional log-density log p(y | x) in nats; −∞ where y (or x) is outside the support, NaN if an
     * argument holds NaN.
     */
    double trueLogDensity(double[] x, double[] y);

    /** Rows with ids [firstId, firstId + count) as an in-memory batch. */
    default XYData rows(long seed, long firstId, int count) {
        int dx = inputDim();
        int dy = outputDim();
        double[] x = new double[count * dx];
        double[] y = new double[count * dy];
        double[] xr = new double[dx];
        double[] yr = new double[dy];
        for (int i = 0; i < count; i++) {
            row(seed, firstId + i, xr, yr);
            System.arraycopy(xr, 0, x, i * dx, dx);
            System.arraycopy(yr, 0, y, i * dy, dy);
        }
        return new XYData(dx, dy, x, y);
    }

    /** The built-in kinds, in the order {@link #names()} lists them. */
    static List<SyntheticKind> builtIn() {
        return List.of(SeedToy.INSTANCE, TwinCircle.INSTANCE, Skewed.INSTANCE);
    }

    /** The names of the built-in kinds. */
    static List<String> names() {
        return builtIn().stream().map(SyntheticKind::name).toList();
    }

    /** The built-in kind called {@code name}; fails naming the known kinds if there is none. */
    static SyntheticKind of(String name) {
        Objects.requireNonNull(name, "dataset kind name");
        for (SyntheticKind kind : builtIn()) {
            if (kind.name().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(
                "Unknown dataset kind: '" + name + "' (known: " + String.join(", ", names()) + ")");
    }
}
