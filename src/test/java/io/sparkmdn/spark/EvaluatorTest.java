package io.sparkmdn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.data.XYData;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.nn.Updater;
import io.sparkmdn.local.LocalTrainer;
import io.sparkmdn.train.TrainOptions;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

class EvaluatorTest extends SparkTestBase {

    private static final int ROWS = 20_000;
    private static final int PARTITIONS = 5;
    /** Labels 10⁸ + N(0, 1): their squares, 10¹⁶, keep no digit of the variance. */
    private static final double OFFSET = 1e8;

    private static XYData data;
    private static Dataset<Row> table;

    @BeforeAll
    static void labelsFarFromZero() {
        SplittableRandom rng = new SplittableRandom(11);
        double[] x = new double[ROWS];
        double[] y = new double[ROWS];
        List<Row> rows = new ArrayList<>(ROWS);
        for (int i = 0; i < ROWS; i++) {
            x[i] = rng.nextDouble();
            y[i] = OFFSET + x[i] + rng.nextGaussian();
            rows.add(RowFactory.create(new Double[] {x[i]}, new Double[] {y[i]}));
        }
        data = new XYData(1, 1, x, y);
        StructType schema = new StructType()
                .add(Columns.X, DataTypes.createArrayType(DataTypes.DoubleType, false), false)
                .add(Columns.Y, DataTypes.createArrayType(DataTypes.DoubleType, false), false);
        table = spark.createDataFrame(rows, schema).repartition(PARTITIONS);
    }

    private static MdnModel model(Activation activation) {
        MdnOptions options = new MdnOptions(1, 1, 2, List.of(8), activation, 5e-3, Updater.ADAM, 1e-3, 3,
                DataType.FLOAT);
        return LocalTrainer.fit(options, new TrainOptions(1, 128, 1), data.rows(0, 4000), null);
    }

    /** The population variance of {@code v}, exactly (decimal arithmetic), rounded to a double. */
    private static double exactVariance(double[] v) {
        MathContext mc = MathContext.DECIMAL128;
        BigDecimal sum = BigDecimal.ZERO;
        for (double d : v) {
            sum = sum.add(new BigDecimal(d));
        }
        BigDecimal n = BigDecimal.valueOf(v.length);
        BigDecimal mean = sum.divide(n, mc);
        BigDecimal squares = BigDecimal.ZERO;
        for (double d : v) {
            BigDecimal r = new BigDecimal(d).subtract(mean);
            squares = squares.add(r.multiply(r));
        }
        return squares.divide(n, mc).doubleValue();
    }

    @Test
    void theGaussianBaselineIsExactForLabelsFarFromZero() {
        assertEquals(PARTITIONS, table.javaRDD().getNumPartitions());
        Evaluator.Report report = Evaluator.evaluate(table, model(Activation.TANH), null, 500, 7);

        double variance = exactVariance(data.y());
        double expected = 0.5 * Math.log(2 * Math.PI * Math.E * variance);
        System.out.printf("labels 1e8 + N(0, 1): sample variance %.12f, Gaussian NLL %.15f, evaluator %.15f "
                + "(relative difference %.2g)%n", variance, expected, report.gaussianNll(),
                Math.abs(report.gaussianNll() - expected) / expected);
        assertEquals(ROWS, report.rows());
        assertEquals(expected, report.gaussianNll(), 1e-9 * Math.abs(expected));
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"ELU", "LEAKYRELU", "SWISH", "GELU", "MISH", "RRELU"})
    void evaluatesModelsOfEveryActivation(Activation activation) {
        // RReLU has no plain-Java forward pass: the model and the least-squares baseline run through ND4J
        Evaluator.Report report = Evaluator.evaluate(table, model(activation), null, 500, 7);
        assertEquals(ROWS, report.rows());
        assertEquals(500, report.baselineRows(), 60);
        for (double v : new double[] {report.nll(), report.gaussianNll(), report.mseNetNll(), report.crps(),
                report.pitKs()}) {
            assertTrue(Double.isFinite(v), activation + ": " + report.toJson());
        }
        // the labels' spread is mostly noise of sd 1: no model is far from the Gaussian baseline's 1.42
        assertTrue(Math.abs(report.nll() - report.gaussianNll()) < 1, activation + ": " + report.toJson());
        assertTrue(Math.abs(report.mseNetNll() - report.gaussianNll()) < 1, activation + ": " + report.toJson());
    }
}
