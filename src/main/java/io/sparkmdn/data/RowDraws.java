package io.sparkmdn.data;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.expressions.XXH64;

/**
 * Uniform draws that are a pure function of (seed, stream, row id), computed identically in Java and in Spark
 * SQL, so a synthetic dataset can be generated in Spark's generated code and reproduced row by row in a test or
 * on one machine.
 *
 * <p>A draw is the top 53 bits of {@code xxhash64(key, id)} as a double in [0, 1), where the key is a hash of
 * (seed, stream) worked out once on the driver; Spark's {@code xxhash64} and {@link XXH64} are the same
 * function. Different streams of one row are independent draws.
 */
public final class RowDraws {

    /** The seed of Spark's {@code xxhash64} function. */
    private static final long SPARK_HASH_SEED = 42L;
    private static final double UNIT = 0x1.0p-53;

    private RowDraws() {
    }

    /** The draw of row {@code id} in stream {@code stream} of {@code seed}, in [0, 1). */
    public static double uniform(long seed, int stream, long id) {
        long h = XXH64.hashLong(id, XXH64.hashLong(key(seed, stream), SPARK_HASH_SEED));
        return (h >>> 11) * UNIT;
    }

    /** The same draw as a Spark SQL expression of the long column {@code id}. */
    public static Column uniform(long seed, int stream, Column id) {
        return shiftrightunsigned(xxhash64(lit(key(seed, stream)), id), 11).cast("double").multiply(UNIT);
    }

    /**
     * {@code c} declared non-nullable. Spark declares every math function nullable (sin, cos, sqrt, log), although
     * on non-null numbers only log of a number ≤ 0 gives null, which the kinds' formulas never take; the value
     * is unchanged.
     */
    public static Column nonNull(Column c) {
        return coalesce(c, lit(Double.NaN));
    }

    private static long key(long seed, int stream) {
        return XXH64.hashLong(stream, XXH64.hashLong(seed, SPARK_HASH_SEED));
    }
}
