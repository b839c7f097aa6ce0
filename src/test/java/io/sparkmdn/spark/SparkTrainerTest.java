package io.sparkmdn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.data.SeedToy;
import io.sparkmdn.data.XYData;
import io.sparkmdn.train.EpochStats;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.Normalization;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.nn.Updater;
import io.sparkmdn.train.LearningRateSchedule;
import io.sparkmdn.train.ScaleOut;
import io.sparkmdn.train.SparkTrainOptions;
import io.sparkmdn.train.TrainOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

class SparkTrainerTest extends SparkTestBase {

    /** Seed-toy rows as the trainer's input: columns __x and __y, array<double>. */
    static Dataset<Row> seedToyInput(long seed, int rows, int partitions) {
        XYData d = SeedToy.generate(seed, 0, rows);
        List<Row> list = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            list.add(RowFactory.create(List.of(d.x()[i]).toArray(), List.of(d.y()[i]).toArray()));
        }
        StructType schema = new StructType()
                .add(Columns.X, DataTypes.createArrayType(DataTypes.DoubleType, false), false)
                .add(Columns.Y, DataTypes.createArrayType(DataTypes.DoubleType, false), false);
        return spark.createDataFrame(list, schema).repartition(partitions);
    }

    @Test
    void parameterAveragingOnTwoWorkersLearnsTheSeedToy() {
        TaskRecorder.FIT_TASKS.clear();
        TaskRecorder listener = new TaskRecorder();
        spark.sparkContext().addSparkListener(listener);
        try {
            List<EpochStats> history = new ArrayList<>();
            MdnModel model = SparkTrainer.train(spark, seedToyInput(1, 20_000, 4), MdnOptions.defaults(),
                    new SparkTrainOptions(new TrainOptions(4, 128, 7), 5, 0.2, 2), history::add);

            assertEquals(4, history.size());
            EpochStats last = history.get(3);
            System.out.printf("spark local[2], 16k train rows, 4 epochs: test NLL %.4f, %.0f samples/s%n",
                    last.testNll(), last.samplesPerSecond());
            assertTrue(last.testNll() < -1.0, "test NLL " + last.testNll());
            assertEquals(last.testNll(), model.training().testNll(), 0);
            assertEquals(20_000, model.training().trainRows() + model.training().testRows());
            assertTrue(Math.abs(model.training().testRows() - 4000) < 300, "test rows " + model.training().testRows());
            assertTrue(TaskRecorder.FIT_TASKS.size() >= 2, "fit tasks: " + TaskRecorder.FIT_TASKS);
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }
    }

    /** A small network and a few rows: what these tests check is the plan, not the fit. */
    private static MdnModel trainSmall(SparkTrainOptions settings) {
        MdnOptions small = new MdnOptions(1, 1, 3, List.of(8), Activation.TANH, 0.01, Updater.ADAM, 0.001, 3,
                DataType.FLOAT);
        return SparkTrainer.train(spark, seedToyInput(3, 6_000, 4), small, settings, stats -> { });
    }

    private static SparkTrainOptions settings(int workers, int batch, ScaleOut scaleOut) {
        return new SparkTrainOptions(new TrainOptions(2, batch, 7), 5, 0.2, workers, 0.9,
                LearningRateSchedule.EXPONENTIAL, null, 0.001, 0, 0, scaleOut);
    }

    @Test
    void twoWorkersTrainBitForBitAsBeforeScaleOutExisted() {
        MdnModel scaled = trainSmall(settings(2, 64, new ScaleOut(128, 32, 100, 0)));
        MdnModel off = trainSmall(settings(2, 64, ScaleOut.OFF));
        assertEquals("spark parameter averaging: 2 workers, batch 64, averaging every 5", scaled.training().trainer());
        assertArrayEquals(off.network().params().toDoubleVector(), scaled.network().params().toDoubleVector(), 0.0);
        // the per-epoch NLLs are sums over partitions in the order Spark folds them: equal up to rounding
        for (int e = 0; e < 2; e++) {
            assertEquals(off.training().history().get(e).trainNll(), scaled.training().history().get(e).trainNll(),
                    1e-12);
            assertEquals(off.training().history().get(e).testNll(), scaled.training().history().get(e).testNll(),
                    1e-12);
        }
    }

    @Test
    void moreWorkersGetSmallerBatchesAndTooFewRowsFewerWorkers() {
        // 4,800 training rows: the floor of 1,000 rows a worker allows 4 of the 8 asked for; 128 ÷ 4 = 32 rows each
        MdnModel model = trainSmall(settings(8, 64, new ScaleOut(128, 16, 1_000, 0)));
        String trainer = model.training().trainer();
        assertTrue(trainer.startsWith("spark parameter averaging: 4 workers, batch 32,"), trainer);
        assertTrue(trainer.contains("of 8 workers") && trainer.contains("fewer than 1000"), trainer);
        // 16 workers at the smallest batch: 16 × 16 = 256 rows a step, twice the global batch
        String doubled = trainSmall(settings(16, 64, new ScaleOut(128, 16, 0, 0))).training().trainer();
        assertTrue(doubled.contains("16 workers, batch 16") && doubled.contains("learning rate × 1.414")
                && doubled.contains("2.000 data epochs each"), doubled);
    }

    @Test
    void blockMomentumMovesTheModel() {
        MdnModel plain = trainSmall(settings(2, 64, new ScaleOut(0, 1, 0, 0)));
        MdnModel momentum = trainSmall(settings(2, 64, new ScaleOut(0, 1, 0, 0.5)));
        double[] a = plain.network().params().toDoubleVector();
        double[] b = momentum.network().params().toDoubleVector();
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        assertTrue(diff > 1e-4, "block momentum moved the parameters by at most " + diff);
        assertTrue(Double.isFinite(momentum.training().testNll()), "finite test NLL");
    }

    @Test
    void rowsAreDealtOnceIntoBlocksOfFullBatchesWhateverTheInputPartitioning() {
        JavaRDD<SparkTrainer.RowBlock> three = SparkTrainer.blocks(
                SparkTrainer.deal(seedToyInput(2, 5_000, 3), 5, 4), 5, 1, 1);
        JavaRDD<SparkTrainer.RowBlock> seven = SparkTrainer.blocks(
                SparkTrainer.deal(seedToyInput(2, 5_000, 7), 5, 4), 5, 1, 1);
        Normalization norm = SparkTrainer.normalization(SparkTrainer.deal(seedToyInput(2, 5_000, 3), 5, 4));
        List<List<double[]>> a = parts(SparkTrainer.minibatches(three, norm, DataType.DOUBLE, 64, 11, 0, 0));
        List<List<double[]>> b = parts(SparkTrainer.minibatches(seven, norm, DataType.DOUBLE, 64, 11, 0, 0));
        assertEquals(4, a.size());
        int rows = 0;
        for (int p = 0; p < 4; p++) {
            List<double[]> batches = a.get(p);
            assertTrue(batches.size() > 1, "part " + p + " has " + batches.size() + " batches");
            for (int i = 0; i < batches.size(); i++) {
                // features of a batch, then its labels
                int n = batches.get(i).length / 2;
                assertTrue(i == batches.size() - 1 ? n >= 1 && n <= 64 : n == 64, "batch " + i + " of part " + p
                        + " has " + n + " rows");
                rows += n;
                assertArrayEquals(batches.get(i), b.get(p).get(i), "part " + p + " batch " + i);
            }
        }
        assertEquals(5_000, rows);
        // DL4J's workers stop after this many batches: it must cover the fullest partition
        int most = a.stream().mapToInt(List::size).max().orElseThrow();
        assertEquals(most, SparkTrainer.mostBatchesInABlock(three, 64));
        // another epoch mixes other rows into each batch of a partition, and the partition keeps its rows
        List<List<double[]>> next = parts(SparkTrainer.minibatches(three, norm, DataType.DOUBLE, 64, 12, 0, 0));
        assertFalse(java.util.Arrays.equals(a.get(0).get(0), next.get(0).get(0)));
        assertEquals(a.get(0).stream().mapToInt(batch -> batch.length).sum(),
                next.get(0).stream().mapToInt(batch -> batch.length).sum());
    }

    @Test
    void roundsPerEpochGiveEachWorkerAboutTheAveragingFrequencyInBatches() {
        assertEquals(1, SparkTrainer.roundsPerEpoch(10, 256, 2, 100));
        assertEquals(1, SparkTrainer.roundsPerEpoch(51_200, 256, 2, 100));
        assertEquals(2, SparkTrainer.roundsPerEpoch(51_201, 256, 2, 100));
        assertEquals(196, SparkTrainer.roundsPerEpoch(10_000_000, 256, 2, 100));
    }

    /** Each partition's batches, each batch as its features followed by its labels. */
    private static List<List<double[]>> parts(JavaRDD<DataSet> batches) {
        return batches.map(ds -> {
            double[] x = ds.getFeatures().toDoubleVector();
            double[] y = ds.getLabels().toDoubleVector();
            double[] both = java.util.Arrays.copyOf(x, x.length + y.length);
            System.arraycopy(y, 0, both, x.length, y.length);
            return both;
        }).glom().collect();
    }
}
