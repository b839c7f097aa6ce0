package io.sparkmdn.nn;

import io.sparkmdn.util.Checks;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The architecture and optimiser of a Mixture Density Network, validated on construction.
 *
 * <p>Every field has a named default ({@link #defaults()}); {@link #toMap()} and {@link #fromMap(Map)} give the
 * round trip to configuration files and command lines (keys are the command-line option names, such as
 * {@code hidden-layers}; values are plain strings).
 *
 * @param inputDim     number of input features d_x (≥ 1; default 1)
 * @param outputDim    dimension of the label d_y (≥ 1; default 1)
 * @param mixtures     number of Gaussian components K (1…1000; default 20)
 * @param hiddenLayers widths of the hidden layers, input to output (each ≥ 1; default [64, 64, 64]; may be empty)
 * @param activation   activation of the hidden layers (default relu)
 * @param learningRate step size of the updater (finite, > 0; default 1e-2)
 * @param updater      gradient updater (default Adam)
 * @param sigmaFloor   lower bound on every σ, in standardised label units (finite, ≥ 0; default 1e-3)
 * @param seed         seed of the weight initialisation (default 42)
 * @param dataType     floating-point type of weights and activations, FLOAT or DOUBLE (default FLOAT)
 * @param clipGradientNorm largest L2 norm of each layer's gradient, larger ones are scaled down to it
 *                     (finite, ≥ 0; 0 = no clipping, the default)
 */
public record MdnOptions(
        int inputDim,
        int outputDim,
        int mixtures,
        List<Integer> hiddenLayers,
        Activation activation,
        double learningRate,
        Updater updater,
        double sigmaFloor,
        long seed,
        DataType dataType,
        double clipGradientNorm) {

    public static final int DEFAULT_MIXTURES = 20;
    /** The default hidden layers as the command line writes them (a constant, for option annotations). */
    public static final String DEFAULT_HIDDEN_LAYERS_TEXT = "64,64,64";
    public static final List<Integer> DEFAULT_HIDDEN_LAYERS = parseLayers(DEFAULT_HIDDEN_LAYERS_TEXT);
    /** The default activation as the command line writes it. */
    public static final String DEFAULT_ACTIVATION_TEXT = "relu";
    public static final Activation DEFAULT_ACTIVATION = parseActivation(DEFAULT_ACTIVATION_TEXT);
    public static final double DEFAULT_LEARNING_RATE = 1e-2;
    public static final Updater DEFAULT_UPDATER = Updater.ADAM;
    public static final double DEFAULT_SIGMA_FLOOR = 1e-3;
    public static final long DEFAULT_SEED = 42L;
    public static final DataType DEFAULT_DATA_TYPE = DataType.FLOAT;
    static final int MAX_MIXTURES = 1000;

    public MdnOptions {
        Checks.checkArgument(inputDim >= 1, "Invalid input dimension: %s (must be >= 1)", inputDim);
        Checks.checkArgument(outputDim >= 1, "Invalid output dimension: %s (must be >= 1)", outputDim);
        checkMixtures(mixtures);
        checkHiddenLayers(hiddenLayers);
        hiddenLayers = List.copyOf(hiddenLayers);
        Checks.checkArgument(activation != null, "Activation must not be null");
        checkLearningRate(learningRate);
        Checks.checkArgument(updater != null, "Updater must not be null");
        checkSigmaFloor(sigmaFloor);
        Checks.checkArgument(dataType == DataType.FLOAT || dataType == DataType.DOUBLE,
                "Invalid data type: %s (must be FLOAT or DOUBLE)", dataType);
        checkClipGradientNorm(clipGradientNorm);
    }

    public static void checkMixtures(int mixtures) {
        Checks.checkArgument(mixtures >= 1 && mixtures <= MAX_MIXTURES,
                "Invalid number of mixtures: %s (must be between 1 and %s)", mixtures, MAX_MIXTURES);
    }

    public static void checkHiddenLayers(List<Integer> hiddenLayers) {
        Checks.checkArgument(hiddenLayers != null, "Hidden layers must not be null (use [] for none)");
        for (int i = 0; i < hiddenLayers.size(); i++) {
            Checks.checkArgument(hiddenLayers.get(i) != null && hiddenLayers.get(i) >= 1,
                    "Invalid width of hidden layer %s: %s (must be >= 1)", i, hiddenLayers.get(i));
        }
    }

    public static void checkLearningRate(double learningRate) {
        Checks.checkArgument(Double.isFinite(learningRate) && learningRate > 0,
                "Invalid learning rate: %s (must be finite and > 0)", learningRate);
    }

    public static void checkSigmaFloor(double sigmaFloor) {
        Checks.checkArgument(Double.isFinite(sigmaFloor) && sigmaFloor >= 0,
                "Invalid sigma floor: %s (must be finite and >= 0)", sigmaFloor);
    }

    public static void checkClipGradientNorm(double clipGradientNorm) {
        Checks.checkArgument(Double.isFinite(clipGradientNorm) && clipGradientNorm >= 0,
                "Invalid gradient clipping norm: %s (must be finite and >= 0; 0 = off)", clipGradientNorm);
    }

    /** Options without gradient clipping. */
    public MdnOptions(int inputDim, int outputDim, int mixtures, List<Integer> hiddenLayers, Activation activation,
                      double learningRate, Updater updater, double sigmaFloor, long seed, DataType dataType) {
        this(inputDim, outputDim, mixtures, hiddenLayers, activation, learningRate, updater, sigmaFloor, seed,
                dataType, 0);
    }

    /**
     * The default network for 1-D x and 1-D y: three hidden layers of 64 ReLU units, K = 20, Adam 1e-2 (chosen by a
     * sweep on three problems; bench/HISTORY.md).
     */
    public static MdnOptions defaults() {
        return new MdnOptions(1, 1, DEFAULT_MIXTURES, DEFAULT_HIDDEN_LAYERS, DEFAULT_ACTIVATION,
                DEFAULT_LEARNING_RATE, DEFAULT_UPDATER, DEFAULT_SIGMA_FLOOR, DEFAULT_SEED, DEFAULT_DATA_TYPE, 0);
    }

    /** These options with the input and output dimensions replaced (as found in the training data). */
    public MdnOptions withDimensions(int newInputDim, int newOutputDim) {
        return new MdnOptions(newInputDim, newOutputDim, mixtures, hiddenLayers, activation, learningRate,
                updater, sigmaFloor, seed, dataType, clipGradientNorm);
    }

    /** These options with another learning rate (a resumed run may lower it). */
    public MdnOptions withLearningRate(double newLearningRate) {
        return new MdnOptions(inputDim, outputDim, mixtures, hiddenLayers, activation, newLearningRate, updater,
                sigmaFloor, seed, dataType, clipGradientNorm);
    }

    /** These options with another data type (gradient checks run in DOUBLE). */
    public MdnOptions withDataType(DataType newDataType) {
        return new MdnOptions(inputDim, outputDim, mixtures, hiddenLayers, activation, learningRate, updater,
                sigmaFloor, seed, newDataType, clipGradientNorm);
    }

    /** The output layout of a network built from these options. */
    public MdnOutputLayout layout() {
        return new MdnOutputLayout(mixtures, outputDim);
    }

    /** The loss of the output layer. */
    public MdnLoss loss() {
        return new MdnLoss(mixtures, outputDim, sigmaFloor);
    }

    /** The DL4J configuration: dense hidden layers, then an identity output layer with {@link MdnLoss}. */
    public MultiLayerConfiguration toConfiguration() {
        NeuralNetConfiguration.Builder builder = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .updater(updater.create(learningRate))
                .weightInit(WeightInit.XAVIER);
        if (clipGradientNorm > 0) {
            builder.gradientNormalization(GradientNormalization.ClipL2PerLayer)
                    .gradientNormalizationThreshold(clipGradientNorm);
        }
        NeuralNetConfiguration.ListBuilder layers = builder.list();
        int nIn = inputDim;
        for (int width : hiddenLayers) {
            layers.layer(new DenseLayer.Builder().nIn(nIn).nOut(width).activation(activation).build());
            nIn = width;
        }
        layers.layer(new OutputLayer.Builder(loss())
                .nIn(nIn).nOut(layout().width()).activation(Activation.IDENTITY).build());
        return layers.build();
    }

    /** All fields as strings keyed by option name ({@code learning-rate}); {@link #fromMap(Map)} reads them back. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("input-dim", Integer.toString(inputDim));
        m.put("output-dim", Integer.toString(outputDim));
        m.put("mixtures", Integer.toString(mixtures));
        m.put("hidden-layers", hiddenLayers.stream().map(String::valueOf).collect(Collectors.joining(",")));
        m.put("activation", activation.name().toLowerCase(Locale.ROOT));
        m.put("learning-rate", Double.toString(learningRate));
        m.put("updater", updater.name().toLowerCase(Locale.ROOT));
        m.put("sigma-floor", Double.toString(sigmaFloor));
        m.put("seed", Long.toString(seed));
        m.put("data-type", dataType.name().toLowerCase(Locale.ROOT));
        m.put("clip-gradient-norm", Double.toString(clipGradientNorm));
        return m;
    }

    /**
     * Options from string values keyed by option name; missing keys take their defaults, unknown keys are
     * refused (a typo must not silently fall back to a default).
     */
    public static MdnOptions fromMap(Map<String, String> values) {
        Map<String, String> m = new LinkedHashMap<>(defaults().toMap());
        for (Map.Entry<String, String> e : values.entrySet()) {
            Checks.checkArgument(m.containsKey(e.getKey()),
                    "Unknown network option: '%s' (known: %s)", e.getKey(), m.keySet());
            m.put(e.getKey(), e.getValue());
        }
        return new MdnOptions(
                parseInt(m, "input-dim"),
                parseInt(m, "output-dim"),
                parseInt(m, "mixtures"),
                parseLayers(m.get("hidden-layers")),
                parseActivation(m.get("activation")),
                parseDouble(m, "learning-rate"),
                Updater.parse(m.get("updater")),
                parseDouble(m, "sigma-floor"),
                parseLong(m, "seed"),
                parseDataType(m.get("data-type")),
                parseDouble(m, "clip-gradient-norm"));
    }

    private static int parseInt(Map<String, String> m, String key) {
        try {
            return Integer.parseInt(m.get(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid " + key + ": '" + m.get(key) + "' (not an integer)");
        }
    }

    private static long parseLong(Map<String, String> m, String key) {
        try {
            return Long.parseLong(m.get(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid " + key + ": '" + m.get(key) + "' (not an integer)");
        }
    }

    private static double parseDouble(Map<String, String> m, String key) {
        try {
            return Double.parseDouble(m.get(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid " + key + ": '" + m.get(key) + "' (not a number)");
        }
    }

    /** Comma-separated widths ({@code 64,64}); blank for none. */
    public static List<Integer> parseLayers(String s) {
        if (s.isBlank()) {
            return List.of();
        }
        try {
            return Arrays.stream(s.split(",")).map(String::trim).map(Integer::valueOf).toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "Invalid hidden-layers: '" + s + "' (comma-separated widths, e.g. 32,32)");
        }
    }

    /** The activation named {@code s} (DL4J's names, case-insensitive). */
    public static Activation parseActivation(String s) {
        try {
            return Activation.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown activation: '" + s + "' (e.g. tanh, relu, sigmoid)");
        }
    }

    /** {@code float} or {@code double} (case-insensitive). */
    public static DataType parseDataType(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        if (t.equals("FLOAT") || t.equals("DOUBLE")) {
            return DataType.valueOf(t);
        }
        throw new IllegalArgumentException("Invalid data-type: '" + s + "' (must be float or double)");
    }
}
