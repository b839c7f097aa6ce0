package io.sparkmdn.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.sin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.input.InputDescription;
import io.sparkmdn.input.InputTable;
import io.sparkmdn.input.InvalidRows;
import io.sparkmdn.train.EpochStats;
import io.sparkmdn.model.ModelDirectory;
import io.sparkmdn.model.RunDescription;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.train.SparkTrainOptions;
import io.sparkmdn.train.TrainOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunTest extends SparkTestBase {

    private static Dataset<Row> rows() {
        return spark.range(1200).repartition(2).withColumn("x", rand(3).multiply(4).minus(2))
                .withColumn("y", sin(col("x")).plus(rand(4).multiply(0.3)));
    }

    private static RunDescription run(int epochs, int batchSize) {
        return new RunDescription(InputDescription.named(null, List.of("x"), List.of("y"), InvalidRows.ERROR),
                MdnOptions.fromMap(Map.of("mixtures", "2", "hidden-layers", "4")),
                new SparkTrainOptions(new TrainOptions(epochs, batchSize, 7), 5, 0.2, 1), null);
    }

    private static TrainingRun of(RunDescription requested, Dataset<Row> data, String checkpoints) {
        return TrainingRun.of(spark, requested)
                .reader((input, columns) -> InputTable.prepare(data, "the input", input, columns))
                .checkpointIn(checkpoints);
    }

    @Test
    void aRunCheckpointsEveryEpochAndAResumedOneContinuesItsHistory(@TempDir Path dir) {
        Dataset<Row> data = rows();
        String path = dir.resolve("m").toString();
        TrainingRun.Result first = of(run(2, 32), data, path).execute();
        assertFalse(first.resumed());
        assertEquals(2, first.model().training().epochs());
        assertEquals(1200, first.run().data().rows());
        assertEquals(List.of("check paths and settings", "read and validate input", "count rows and statistics",
                "dealing rows into rounds", "network set-up", "epochs: gradient steps", "epochs: NLL evaluation",
                "epochs: checkpoints"), List.copyOf(first.model().training().phases().keySet()),
                "the model records where the run's time went");
        String saved = dir.resolve("saved").toString();
        ModelDirectory.save(first.model(), saved, false);
        assertEquals(first.model().training().phases(), ModelDirectory.load(saved).training().phases());

        TrainingRun.Result more = of(run(3, 32), data, path).resume(TrainingRun.Resume.IF_PRESENT).execute();
        assertTrue(more.resumed());
        assertEquals(List.of(1, 2, 3), more.model().training().history().stream().map(EpochStats::epoch).toList());
        assertEquals(first.model().training().history().get(1).testNll(),
                more.model().training().history().get(1).testNll(), "the first epochs are the checkpoint's");
    }

    @Test
    void aSettingNotGivenTakesTheCheckpointsValueAndOneGivenMustEqualIt(@TempDir Path dir) {
        Dataset<Row> data = rows();
        String path = dir.resolve("m").toString();
        of(run(1, 32), data, path).execute();

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> of(run(2, 64), data, path).resume(TrainingRun.Resume.REQUIRED).execute());
        assertEquals("Cannot resume the checkpoint in " + path + ": --batch-size is 64 but the checkpoint was "
                + "trained with 32 (only --epochs and --learning-rate may change; train anew)", refused.getMessage());

        TrainingRun.Result resumed = of(run(2, 64), data, path).resume(TrainingRun.Resume.REQUIRED)
                .given(key -> !key.equals("batch-size")).execute();
        assertEquals(32, resumed.run().training().train().batchSize(), "the checkpoint's batch size");
        assertEquals(2, resumed.model().training().epochs());
    }

    @Test
    void resumingNeedsACheckpointWhereOneIsRequired(@TempDir Path dir) {
        String path = dir.resolve("none").toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> of(run(1, 32), rows(), path)
                .resume(TrainingRun.Resume.REQUIRED).words(key -> key, "start over").execute());
        assertEquals("Nothing to resume: " + path + " has no checkpoint/ (start over)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainingRun.of(spark, run(1, 32)).execute(),
                "a run without a reader");
        assertThrows(IllegalArgumentException.class, () -> TrainingRun.of(spark, run(1, 32))
                .reader((input, columns) -> null).resume(TrainingRun.Resume.REQUIRED).execute(),
                "resuming without a checkpoint directory");
    }
}
