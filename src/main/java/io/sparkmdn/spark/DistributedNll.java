package io.sparkmdn.spark;

import io.sparkmdn.model.MdnModel;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The exact mean negative log-likelihood of a table under a model, computed on the executors. */
public final class DistributedNll {

    private DistributedNll() {
    }

    /**
     * Mean of −log p(y | x) over the rows of {@code data} (columns {@link Columns#X}, {@link Columns#Y}), in
     * nats per point; NaN for no rows. Each partition runs batched forward passes and returns one partial sum.
     */
    public static double meanNll(Dataset<Row> data, ModelBroadcast model) {
        JavaRDD<Row> rows = data.select(Columns.X, Columns.Y).javaRDD();
        double[] total = rows.mapPartitions(it -> partitionSum(it, model))
                .fold(new double[] {0, 0}, (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
        return total[1] == 0 ? Double.NaN : total[0] / total[1];
    }

    /** Runs {@code rows} through the model in chunks; returns {sum of −log p, row count}. */
    private static Iterator<double[]> partitionSum(Iterator<Row> rows, ModelBroadcast broadcast) {
        if (!rows.hasNext()) {
            return List.of(new double[] {0, 0}).iterator();
        }
        MdnModel model = broadcast.model();
        double[] total = new double[2];
        Columns.forEachChunk(rows, model.options().inputDim(), model.options().outputDim(), MdnModel.CHUNK_ROWS,
                (x, y, n) -> {
                    for (double logp : model.logDensities(x, y)) {
                        total[0] -= logp;
                    }
                    total[1] += n;
                });
        return List.of(total).iterator();
    }
}
