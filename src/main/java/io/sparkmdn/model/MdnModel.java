package io.sparkmdn.model;

import io.sparkmdn.input.InputDescription;
import io.sparkmdn.math.MixtureBatch;
import io.sparkmdn.nn.DenseForward;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.util.Checks;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained Mixture Density Network: the network, the options it was built from, the standardisation of its
 * inputs and labels, and a summary of its training. Everything it takes and returns is in the user's units.
 *
 * <p>Inputs and labels are passed as row-major {@code double[]} (n·d_x and n·d_y values), so a Spark partition
 * or a test can hand over a batch without building per-row objects. Inference runs in chunks of
 * {@value #CHUNK_ROWS} rows. The network's weights are snapshotted at construction for the plain-Java forward
 * pass ({@link DenseForward}): a model built around a network that is trained further must be rebuilt. A model
 * is not safe for concurrent use: give each thread its own {@link #copy()}.
 */
public final class MdnModel {

    /** Rows per forward pass in {@link #predict(double[])}. */
    public static final int CHUNK_ROWS = 8192;

    private final MdnOptions options;
    private final Normalization normalization;
    private final MultiLayerNetwork network;
    private final TrainingSummary training;
    private final RunDescription run;
    private final ModelCalibration calibration;
    private final DenseForward forward;

    /**
     * @param options       the network's options (its dimensions must match the normalisation)
     * @param normalization statistics the network's inputs and labels were standardised with
     * @param network       an initialised network built from {@code options}
     * @param training      what training did; null for an untrained model
     */
    public MdnModel(MdnOptions options, Normalization normalization, MultiLayerNetwork network,
                    TrainingSummary training) {
        this(options, normalization, network, training, null);
    }

    /**
     * @param run the run that trained the model (its input columns, settings and data); null when the model
     *            records none, in which case its columns are {@code x} and {@code y}
     */
    public MdnModel(MdnOptions options, Normalization normalization, MultiLayerNetwork network,
                    TrainingSummary training, RunDescription run) {
        this(options, normalization, network, training, run, null);
    }

    /** @param calibration the model's conformal calibration, or null for the model's own answers */
    public MdnModel(MdnOptions options, Normalization normalization, MultiLayerNetwork network,
                    TrainingSummary training, RunDescription run, ModelCalibration calibration) {
        Checks.checkArgument(normalization.x().dim() == options.inputDim(),
                "Input normalisation has %s columns, network expects %s", normalization.x().dim(),
                options.inputDim());
        Checks.checkArgument(normalization.y().dim() == options.outputDim(),
                "Label normalisation has %s columns, network predicts %s", normalization.y().dim(),
                options.outputDim());
        long width = network.layerSize(network.getnLayers() - 1);
        Checks.checkArgument(width == options.layout().width(),
                "Network output width %s does not match the MDN layout width %s (K=%s, d=%s)",
                width, options.layout().width(), options.mixtures(), options.outputDim());
        this.options = options;
        this.normalization = normalization;
        this.network = network;
        this.training = training;
        this.run = run == null ? null : run.withNetwork(options);
        Checks.checkArgument(calibration == null || calibration.conformal().dim() == options.outputDim(),
                "The calibration has %s dimensions; the network predicts %s",
                calibration == null ? 0 : calibration.conformal().dim(), options.outputDim());
        this.calibration = calibration;
        Checks.checkArgument(run == null || run.input().inputDim() == options.inputDim()
                        && run.input().outputDim() == options.outputDim(),
                "The run's columns give d_x = %s, d_y = %s; the network has %s, %s",
                run == null ? 0 : run.input().inputDim(), run == null ? 0 : run.input().outputDim(),
                options.inputDim(), options.outputDim());
        this.forward = DenseForward.of(network).orElse(null);
    }

    public MdnOptions options() {
        return options;
    }

    public Normalization normalization() {
        return normalization;
    }

    /** The DL4J network; it works in standardised units. */
    public MultiLayerNetwork network() {
        return network;
    }

    /** The training summary, or null for an untrained model. */
    public TrainingSummary training() {
        return training;
    }

    /** The run that trained the model, or null when it records none (see {@link #columns()}). */
    public RunDescription run() {
        return run;
    }

    /**
     * The model's input columns, by name, with their types and widths: those of its run, or {@code x} and
     * {@code y} for a model that records none.
     */
    public InputDescription columns() {
        return run != null ? run.input() : InputDescription.defaultColumns(options.inputDim(), options.outputDim());
    }

    /** This model with another training summary. */
    public MdnModel withTraining(TrainingSummary summary) {
        return new MdnModel(options, normalization, network, summary, run, calibration);
    }

    /** This model with the run that trained it. */
    public MdnModel withRun(RunDescription newRun) {
        return new MdnModel(options, normalization, network, training, newRun, calibration);
    }

    /** This trained model with the run that trained it and the count of invalid rows its input dropped. */
    public MdnModel describedBy(RunDescription newRun, long droppedRows) {
        return new MdnModel(options, normalization, network, training.withDroppedRows(droppedRows), newRun,
                calibration);
    }

    /** An independent copy (own network parameters) for use on another thread. */
    public MdnModel copy() {
        return new MdnModel(options, normalization, network.clone(), training, run, calibration);
    }

    /** The model's conformal calibration, or null when its answers are its own. */
    public ModelCalibration calibration() {
        return calibration;
    }

    /** This model with {@code value} for its calibration (null: none); the network is shared. */
    public MdnModel withCalibration(ModelCalibration value) {
        return new MdnModel(options, normalization, network, training, run, value);
    }

    /** The mixture p(y | x) for each row of {@code x} (n·d_x values, row-major), in the user's units. */
    public MixtureBatch predict(double[] x) {
        int dx = options.inputDim();
        Checks.checkArgument(x.length % dx == 0,
                "Input has %s values, not a whole number of rows of %s features", x.length, dx);
        int n = x.length / dx;
        if (n <= CHUNK_ROWS) {
            return predictChunk(x);
        }
        MixtureBatch[] parts = new MixtureBatch[(n + CHUNK_ROWS - 1) / CHUNK_ROWS];
        for (int p = 0; p < parts.length; p++) {
            int from = p * CHUNK_ROWS;
            int to = Math.min(n, from + CHUNK_ROWS);
            parts[p] = predictChunk(java.util.Arrays.copyOfRange(x, from * dx, to * dx));
        }
        return MixtureBatch.concat(parts);
    }

    /**
     * One chunk through the network: in plain Java where {@link DenseForward} supports the network (so a row's
     * result does not depend on its batch), else through ND4J.
     */
    private MixtureBatch predictChunk(double[] x) {
        int n = x.length / options.inputDim();
        double[] standardised = normalization.x().apply(x);
        MixtureBatch batch;
        if (forward != null) {
            batch = options.layout().decode(forward.forward(standardised), options.sigmaFloor());
        } else {
            INDArray input = Nd4j.create(standardised, new long[] {n, options.inputDim()}, 'c')
                    .castTo(options.dataType());
            batch = options.layout().decode(network.output(input, false), options.sigmaFloor());
        }
        Standardizer y = normalization.y();
        return batch.affine(y.mean(), y.std());
    }

    /** log p(y_i | x_i) for each row, in the user's units (nats). */
    public double[] logDensities(double[] x, double[] y) {
        return predict(x).logDensities(y);
    }

    /** Mean negative log-likelihood of the rows, in nats per point. */
    public double meanNll(double[] x, double[] y) {
        double[] logp = logDensities(x, y);
        double sum = 0;
        for (double v : logp) {
            sum -= v;
        }
        return sum / logp.length;
    }
}
