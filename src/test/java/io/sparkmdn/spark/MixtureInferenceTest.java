package io.sparkmdn.spark;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.data.SeedToy;
import io.sparkmdn.math.GaussianMixture;
import io.sparkmdn.math.MixtureBatch;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.local.LocalTrainer;
import io.sparkmdn.train.TrainOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.collection.Seq;

class MixtureInferenceTest extends SparkTestBase {

    private static MdnModel model;

    @BeforeAll
    static void trainModel() {
        model = LocalTrainer.fit(MdnOptions.defaults(), new TrainOptions(2, 128, 1),
                SeedToy.generate(1, 0, 5000), null);
    }

    private static Dataset<Row> grid(int n, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create((long) i, -1.0 + 2.0 * i / (n - 1)));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType).add("x", DataTypes.DoubleType);
        return spark.createDataFrame(rows, schema).repartition(partitions)
                .withColumn(Columns.X, array(col("x").cast("double")));
    }

    @Test
    void paramsAreTheModelsMixturesAsPlainArrays() {
        Dataset<Row> out = MixtureInference.params(grid(50, 3), List.of("id", "x"), model);
        assertEquals(List.of("id", "x", "alpha", "mu", "sigma"), List.of(out.columns()));
        assertEquals("array<double>", out.schema().apply("alpha").dataType().simpleString());
        assertEquals("array<array<double>>", out.schema().apply("mu").dataType().simpleString());
        List<Row> rows = out.orderBy("id").collectAsList();
        assertEquals(50, rows.size());
        Row r = rows.get(17);
        MixtureBatch expected = model.predict(new double[] {r.getDouble(1)});
        Seq<Object> alpha = r.getSeq(2);
        Seq<Seq<Object>> mu = r.getSeq(3);
        Seq<Seq<Object>> sigma = r.getSeq(4);
        assertEquals(MdnOptions.DEFAULT_MIXTURES, alpha.length());
        for (int k = 0; k < MdnOptions.DEFAULT_MIXTURES; k++) {
            assertEquals(expected.weight(0, k), (Double) alpha.apply(k), 1e-12);
            assertEquals(expected.mean(0, k, 0), (Double) mu.apply(k).apply(0), 1e-12);
            assertEquals(expected.sigma(0, k, 0), (Double) sigma.apply(k).apply(0), 1e-12);
        }
    }

    @Test
    void samplesAreLongFormatDeterministicAndFollowTheMixture() {
        Dataset<Row> a = MixtureInference.sample(grid(20, 1), List.of("id", "x"), model, 500, 9, 1.0);
        Dataset<Row> b = MixtureInference.sample(grid(20, 4), List.of("id", "x"), model, 500, 9, 1.0);
        assertEquals(List.of("id", "x", "sample_id", "y"), List.of(a.columns()));
        List<Row> ra = a.orderBy("id", "sample_id").collectAsList();
        List<Row> rb = b.orderBy("id", "sample_id").collectAsList();
        assertEquals(20 * 500, ra.size());
        assertEquals(ra, rb, "same seed, other partitioning: same samples");

        double x = ra.get(7 * 500).getDouble(1);
        GaussianMixture mixture = model.predict(new double[] {x}).mixture(0);
        double sum = 0;
        for (int s = 0; s < 500; s++) {
            sum += ra.get(7 * 500 + s).getDouble(3);
        }
        double se = Math.sqrt(mixture.variance()[0] / 500);
        assertEquals(mixture.mean()[0], sum / 500, 5 * se);

        List<Row> other = MixtureInference.sample(grid(20, 1), List.of("id"), model, 2, 10, 1.0)
                .orderBy("id", "sample_id").collectAsList();
        assertTrue(other.get(0).getDouble(2) != ra.get(0).getDouble(3), "another seed, other samples");
    }

    @Test
    void zeroTemperatureGivesTheMostProbableMean() {
        List<Row> rows = MixtureInference.sample(grid(5, 2), List.of("id", "x"), model, 3, 1, 0.0)
                .orderBy("id", "sample_id").collectAsList();
        GaussianMixture m = model.predict(new double[] {rows.get(0).getDouble(1)}).mixture(0);
        double mode = m.mean(m.mostProbableComponent(), 0);
        for (int s = 0; s < 3; s++) {
            assertEquals(mode, rows.get(s).getDouble(3), 0);
        }
    }

    @Test
    void outputColumnsMayNotBeShadowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MixtureInference.sample(grid(5, 1).withColumn("y", col("x")), List.of("y"), model, 1, 1, 1));
        assertTrue(e.getMessage().contains("Input column 'y' clashes"), e.getMessage());
    }
}
