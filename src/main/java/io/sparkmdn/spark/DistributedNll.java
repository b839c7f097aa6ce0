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
        return meanNlls(model, List.of(data))[0];
    }

    /**
     * {@link #meanNll} of each table, in one Spark job over all their partitions (so small tables share the
     * executors' cores instead of taking turns).
     */
    public static double[] meanNlls(ModelBroadcast model, List<Dataset<Row>> tables) {
        int n = tables.size();
        JavaRDD<double[]> partials = null;
        for (int t = 0; t < n; t++) {
            int table = t;
            JavaRDD<double[]> sums = tables.get(t).select(Columns.X, Columns.Y).javaRDD()
                    .mapPartitions(it -> partitionSum(it, model, table, n));
            partials = partials == null ? sums : partials.union(sums);
        }
        double[] total = partials.fold(new double[2 * n], (a, b) -> {
            double[] sum = a.clone();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += b[i];
            }
            return sum;
        });
        double[] means = new double[n];
        for (int t = 0; t < n; t++) {
            means[t] = total[2 * t + 1] == 0 ? Double.NaN : total[2 * t] / total[2 * t + 1];
        }
        return means;
    }

    /**
     * Runs {@code rows} through the model in chunks; returns {sum of −log p, row count} of table {@code table}
     * at its place among {@code tables} (zeros for the others).
     */
    private static Iterator<double[]> partitionSum(Iterator<Row> rows, ModelBroadcast broadcast, int table,
                                                   int tables) {
        double[] total = new double[2 * tables];
        if (!rows.hasNext()) {
            return List.of(total).iterator();
        }
        MdnModel model = broadcast.model();
        Columns.forEachChunk(rows, model.options().inputDim(), model.options().outputDim(), MdnModel.CHUNK_ROWS,
                (x, y, n) -> {
                    for (double logp : model.logDensities(x, y)) {
                        total[2 * table] -= logp;
                    }
                    total[2 * table + 1] += n;
                });
        return List.of(total).iterator();
    }
}
