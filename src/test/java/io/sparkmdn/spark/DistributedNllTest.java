package io.sparkmdn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.data.SeedToy;
import io.sparkmdn.data.XYData;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.Normalization;
import io.sparkmdn.model.Standardizer;
import io.sparkmdn.nn.MdnOptions;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

class DistributedNllTest extends SparkTestBase {

    @Test
    void severalTablesInOneJobEqualEachTableOnItsOwnAndTheLocalNll() {
        MdnOptions opts = MdnOptions.defaults();
        MultiLayerNetwork network = new MultiLayerNetwork(opts.toConfiguration());
        network.init();
        MdnModel model = new MdnModel(opts, new Normalization(new Standardizer(new double[] {0.1},
                new double[] {0.7}), new Standardizer(new double[] {0.5}, new double[] {0.3})), network, null);
        Dataset<Row> a = SparkTrainerTest.seedToyInput(3, 1_500, 3);
        Dataset<Row> b = SparkTrainerTest.seedToyInput(4, 700, 2);
        Dataset<Row> none = a.limit(0);
        ModelBroadcast broadcast = ModelBroadcast.of(JavaSparkContext.fromSparkContext(spark.sparkContext()), model);
        try {
            double[] both = DistributedNll.meanNlls(broadcast, List.of(a, b, none));
            XYData da = SeedToy.generate(3, 0, 1_500);
            XYData db = SeedToy.generate(4, 0, 700);
            assertEquals(model.meanNll(da.x(), da.y()), both[0], 1e-9);
            assertEquals(model.meanNll(db.x(), db.y()), both[1], 1e-9);
            assertTrue(Double.isNaN(both[2]), "no rows: " + both[2]);
            assertEquals(DistributedNll.meanNll(b, broadcast), both[1], 1e-12);
            assertTrue(Math.abs(both[0] - both[1]) > 1e-6, "different tables give different NLLs");
        } finally {
            broadcast.destroy();
        }
    }
}
