package io.sparkmdn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.data.SeedToy;
import io.sparkmdn.data.XYData;
import io.sparkmdn.model.EpochStats;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.train.TrainOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

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
}
