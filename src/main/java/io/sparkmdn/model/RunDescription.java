package io.sparkmdn.model;

import io.sparkmdn.input.InputDescription;
import io.sparkmdn.input.InputFingerprint;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.train.SparkTrainOptions;
import io.sparkmdn.util.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a training run is, in one typed record: its input (source, feature and label columns with their widths,
 * invalid-row policy), its network and its training settings, and the fingerprint of the data it read. The
 * {@code train} job's options, the Spark ML Params and {@code --resume} all map onto it; a model directory and
 * its checkpoint store it, so that inference finds the model's columns by name and a resumed run can tell what
 * changed.
 *
 * @param input    the input; its columns resolved (types and widths) once the data has been read
 * @param network  the network and optimiser
 * @param training epochs, batch, averaging, test fraction, workers, learning-rate decay; null for a model not
 *                 trained by the Spark trainer
 * @param data     the fingerprint of the training data; null where unknown
 */
public record RunDescription(InputDescription input, MdnOptions network, SparkTrainOptions training,
                             InputFingerprint data) {

    /**
     * The settings a resumed run must share with the run it continues, keyed by their option names (the
     * {@code train} job's options and configuration keys). The epochs and the learning rate may change.
     */
    public static final List<Setting> FIXED = List.of(
            new Setting("data", r -> r.input().source() == null ? null : r.input().source().path()),
            new Setting("table", r -> r.input().source() == null ? null : r.input().source().table()),
            new Setting("query", r -> r.input().source() == null ? null : r.input().source().query()),
            new Setting("format", r -> r.input().source() == null ? null : r.input().source().format()),
            new Setting("schema", r -> r.input().source() == null ? null : r.input().source().schema()),
            new Setting("features", r -> r.input().featureNames()),
            new Setting("labels", r -> r.input().labelNames()),
            new Setting("invalid-rows", r -> r.input().invalidRows()),
            new Setting("batch-size", r -> r.training().train().batchSize()),
            new Setting("averaging-frequency", r -> r.training().averagingFrequency()),
            new Setting("test-fraction", r -> r.training().testFraction()),
            new Setting("workers", r -> r.training().workers()),
            new Setting("learning-rate-decay", r -> r.training().learningRateDecay()),
            new Setting("schedule", r -> r.training().scheduleOrDefault()),
            new Setting("patience", r -> r.training().patience()),
            new Setting("min-delta", r -> r.training().minDelta()),
            new Setting("input-noise", r -> r.training().inputNoise()),
            new Setting("label-noise", r -> r.training().labelNoise()),
            new Setting("global-batch", r -> r.training().scaleOutOrOff().globalBatch()),
            new Setting("min-batch-size", r -> r.training().scaleOutOrOff().minBatchSize()),
            new Setting("min-rows-per-worker", r -> r.training().scaleOutOrOff().minRowsPerWorker()),
            new Setting("block-momentum", r -> r.training().scaleOutOrOff().blockMomentum()),
            new Setting("mixtures", r -> r.network().mixtures()),
            new Setting("hidden-layers", r -> r.network().hiddenLayers()),
            new Setting("activation", r -> r.network().activation()),
            new Setting("updater", r -> r.network().updater()),
            new Setting("sigma-floor", r -> r.network().sigmaFloor()),
            new Setting("data-type", r -> r.network().dataType()),
            new Setting("seed", r -> r.network().seed()),
            new Setting("clip-gradient-norm", r -> r.network().clipGradientNorm()));

    public RunDescription {
        Checks.checkArgument(input != null, "A run description needs its input");
        Checks.checkArgument(network != null, "A run description needs its network options");
    }

    /** One setting of a run, by its option name, and how to read it from a description. */
    public record Setting(String key, Function<RunDescription, Object> value) {

        /** This setting's value in {@code run} as a command line writes it: {@code 64,64}, {@code relu}, {@code none}. */
        public String text(RunDescription run) {
            Object v = value.apply(run);
            if (v == null) {
                return "none";
            }
            if (v instanceof List<?> list) {
                return list.stream().map(String::valueOf).collect(Collectors.joining(","));
            }
            if (v instanceof Enum<?> e) {
                return e.name().toLowerCase(Locale.ROOT);
            }
            return String.valueOf(v);
        }
    }

    /** The {@link #FIXED} settings whose values differ from {@code other}'s, in order. */
    public List<Setting> conflictsWith(RunDescription other) {
        List<Setting> differing = new ArrayList<>();
        for (Setting s : FIXED) {
            if (!Objects.equals(s.value().apply(this), s.value().apply(other))) {
                differing.add(s);
            }
        }
        return differing;
    }

    /** The run of a model that records none: columns {@code x} and {@code y}, no source, no training settings. */
    public static RunDescription withoutRecord(MdnOptions network) {
        return new RunDescription(InputDescription.defaultColumns(network.inputDim(), network.outputDim()), network,
                null, null);
    }

    /** This run with another input. */
    public RunDescription withInput(InputDescription newInput) {
        return new RunDescription(newInput, network, training, data);
    }

    /** This run with other network options. */
    public RunDescription withNetwork(MdnOptions newNetwork) {
        return new RunDescription(input, newNetwork, training, data);
    }

    /** This run with other training settings. */
    public RunDescription withTraining(SparkTrainOptions newTraining) {
        return new RunDescription(input, network, newTraining, data);
    }

    /** This run having read {@code columns} (resolved) with fingerprint {@code fingerprint}. */
    public RunDescription withData(InputDescription columns, InputFingerprint fingerprint) {
        return new RunDescription(columns, network.withDimensions(columns.inputDim(), columns.outputDim()), training,
                fingerprint);
    }
}
