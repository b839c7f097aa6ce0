package io.sparkmdn.spark;

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

    /** Copies the array&lt;double&gt; field {@code index} of {@code row} into {@code into} at {@code offset}. */
    public static void copyDoubles(Row row, int index, double[] into, int offset) {
        Seq<Object> seq = row.getSeq(index);
        int n = seq.length();
        for (int j = 0; j < n; j++) {
            into[offset + j] = (Double) seq.apply(j);
        }
    }
}
