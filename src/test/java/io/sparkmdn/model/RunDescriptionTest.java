package io.sparkmdn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmdn.input.ColumnSpec;
import io.sparkmdn.input.ColumnType;
import io.sparkmdn.input.InputDescription;
import io.sparkmdn.input.InputFingerprint;
import io.sparkmdn.input.InputSource;
import io.sparkmdn.input.InvalidRows;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.nn.Updater;
import io.sparkmdn.train.LearningRateSchedule;
import io.sparkmdn.train.ScaleOut;
import io.sparkmdn.train.SparkTrainOptions;
import io.sparkmdn.train.TrainOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

class RunDescriptionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A run in which every field differs from its default. */
    static RunDescription everyField() {
        InputDescription input = new InputDescription(new InputSource("hdfs://nn/data/flights.csv", "csv",
                "time DOUBLE, distance DOUBLE, pixels ARRAY<DOUBLE>, delay DOUBLE"),
                List.of(ColumnSpec.ofDim("time", 1), new ColumnSpec("pixels", ColumnType.ARRAY, 3)),
                List.of(new ColumnSpec("delay", ColumnType.VECTOR, 2)), InvalidRows.SKIP);
        MdnOptions network = new MdnOptions(4, 2, 7, List.of(16, 8), Activation.RELU, 0.01, Updater.NADAM, 0.002,
                9L, DataType.DOUBLE, 2.5);
        SparkTrainOptions training = new SparkTrainOptions(new TrainOptions(12, 128, 9L), 50, 0.2, 3, 0.9,
                LearningRateSchedule.COSINE, 7, 0.01, 0.05, 0.1, new ScaleOut(2048, 64, 1000, 0.25));
        InputFingerprint data = new InputFingerprint(List.of("hdfs://nn/data/flights.csv"), 123_456L, 10_000L,
                "time DOUBLE,distance DOUBLE,pixels ARRAY<DOUBLE>,delay DOUBLE");
        return new RunDescription(input, network, training, data);
    }

    @Test
    void everyFieldSurvivesAJsonRoundTrip() throws Exception {
        RunDescription run = everyField();
        String json = JSON.writeValueAsString(run);
        assertEquals(run, JSON.readValue(json, RunDescription.class));

        JsonNode tree = JSON.readTree(json);
        assertEquals("skip", tree.at("/input/invalidRows").asText(), "Spark ML's word, lower case");
        assertEquals("array", tree.at("/input/features/1/type").asText());
        assertEquals(3, tree.at("/input/features/1/width").asInt());
        assertEquals("vector", tree.at("/input/labels/0/type").asText());
        assertEquals(50, tree.at("/training/averagingFrequency").asInt());
        assertEquals(128, tree.at("/training/train/batchSize").asInt());
        assertEquals(123_456L, tree.at("/data/bytes").asLong());
        assertEquals("cosine", tree.at("/training/schedule").asText());
        assertEquals(7, tree.at("/training/patience").asInt());
    }

    @Test
    void trainingSettingsRecordedBeforeSchedulesAndEarlyStoppingReadAsTheyRan() throws Exception {
        // a run as the previous build stored it: no schedule, patience, min delta or noise
        String old = "{\"train\": {\"epochs\": 12, \"batchSize\": 256, \"seed\": 42}, \"averagingFrequency\": 50,"
                + " \"testFraction\": 0.1, \"workers\": 0, \"learningRateDecay\": 0.85}";
        SparkTrainOptions read = JSON.readValue(old, SparkTrainOptions.class);
        assertEquals(new SparkTrainOptions(new TrainOptions(12, 256, 42L), 50, 0.1, 0, 0.85).withEpochs(12)
                .learningRate(1.0, 3, io.sparkmdn.train.TrainingProgress.START), read.learningRate(1.0, 3,
                io.sparkmdn.train.TrainingProgress.START), 1e-15);
        assertEquals(LearningRateSchedule.EXPONENTIAL, read.scheduleOrDefault());
        assertEquals(null, read.patience(), "no early stopping: the run kept its last epoch");
        assertEquals(0.0, read.inputNoise());
        assertEquals(0.0, read.labelNoise());
        assertEquals(null, read.scaleOut());
        assertEquals(ScaleOut.OFF, read.scaleOutOrOff(), "the same batch and rate whatever the workers");
    }

    @Test
    void aRunWithoutTrainingSettingsOrDataAlsoRoundTrips() throws Exception {
        RunDescription run = RunDescription.withoutRecord(MdnOptions.defaults());
        assertEquals(run, JSON.readValue(JSON.writeValueAsString(run), RunDescription.class));
        assertEquals(List.of("x"), run.input().featureNames());
    }

    @Test
    void conflictsNameTheSettingsThatDiffer() {
        RunDescription a = everyField();
        RunDescription b = a.withTraining(a.training().withEpochs(99))
                .withNetwork(a.network().withLearningRate(0.5));
        assertEquals(List.of(), a.conflictsWith(b), "epochs and learning rate may change");
        RunDescription c = a.withTraining(new SparkTrainOptions(new TrainOptions(12, 64, 9L), 50, 0.2, 3, 0.9,
                        LearningRateSchedule.COSINE, 8, 0.01, 0.05, 0.1, new ScaleOut(2048, 64, 1000, 0.5)))
                .withInput(a.input().withInvalidRows(InvalidRows.ERROR));
        assertEquals(List.of("invalid-rows", "batch-size", "patience", "block-momentum"),
                a.conflictsWith(c).stream().map(RunDescription.Setting::key).toList());
    }

    @Test
    void badDescriptionsFailNamingTheProblem() {
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> new ColumnSpec("x", ColumnType.NUMBER, 2));
        assertEquals("Column 'x' is a number but has width 2", width.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new InputDescription(null, List.of(), List.of(), InvalidRows.ERROR));
        assertTrue(none.getMessage().startsWith("No feature columns given"), none.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> InputDescription.named(null, List.of("x", "X"), List.of(), InvalidRows.ERROR));
        assertEquals("Column 'X' is named twice in features [x, X] / labels []", twice.getMessage());
    }
}
