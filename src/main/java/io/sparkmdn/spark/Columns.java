package io.sparkmdn.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import io.sparkmdn.input.InputTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import scala.collection.Seq;

/** Names of the columns the jobs add to a user's table, and how to read them. */
public final class Columns {

    /** Features as array&lt;double&gt; of length d_x. */
    public static final String X = InputTable.FEATURES_COLUMN;
    /** Labels as array&lt;double&gt; of length d_y. */
    public static final String Y = InputTable.LABELS_COLUMN;

    private Columns() {
    }

    /**
     * A 64-bit hash of a row's features and labels and a seed: the row's random draw, the same whatever the
     * partitioning.
     */
    public static Column rowHash(long seed) {
        return xxhash64(col(X), col(Y), lit(seed));
    }

    /** {@link #rowHash} mapped to a uniform draw in [0, 1). */
    public static Column uniformDraw(long seed) {
        return rowHash(seed).divide(Math.pow(2, 63)).cast("double").multiply(0.5).plus(0.5);
    }

    /** Copies the array&lt;double&gt; field {@code index} of {@code row} into {@code into} at {@code offset}. */
    public static void copyDoubles(Row row, int index, double[] into, int offset) {
        Seq<Object> seq = row.getSeq(index);
        int n = seq.length();
        for (int j = 0; j < n; j++) {
            into[offset + j] = (Double) seq.apply(j);
        }
    }

    /** Receives one chunk of rows: n rows of features and labels, row-major, arrays of exactly n·d values. */
    @FunctionalInterface
    public interface ChunkConsumer {
        void accept(double[] x, double[] y, int n);
    }

    /** Receives one chunk of rows: the rows, and their features and labels, row-major, n·d values each. */
    @FunctionalInterface
    public interface RowChunkConsumer {
        void accept(List<Row> rows, double[] x, double[] y);
    }

    /**
     * Reads rows whose fields 0 and 1 are features (d_x values) and labels (d_y values) in chunks of at most
     * {@code chunk} rows, handing each chunk to {@code consumer}; the last chunk may be shorter.
     */
    public static void forEachChunk(Iterator<Row> rows, int dx, int dy, int chunk, ChunkConsumer consumer) {
        forEachRowChunk(rows, dx, dy, chunk, (list, x, y) -> consumer.accept(x, y, list.size()));
    }

    /** As {@link #forEachChunk}, handing over each chunk's rows too (for their other fields). */
    public static void forEachRowChunk(Iterator<Row> rows, int dx, int dy, int chunk, RowChunkConsumer consumer) {
        double[] x = new double[chunk * dx];
        double[] y = new double[chunk * dy];
        List<Row> list = new ArrayList<>(chunk);
        while (rows.hasNext()) {
            Row row = rows.next();
            int n = list.size();
            copyDoubles(row, 0, x, n * dx);
            copyDoubles(row, 1, y, n * dy);
            list.add(row);
            if (n + 1 == chunk || !rows.hasNext()) {
                consumer.accept(list, Arrays.copyOf(x, (n + 1) * dx), Arrays.copyOf(y, (n + 1) * dy));
                list.clear();
            }
        }
    }
}
