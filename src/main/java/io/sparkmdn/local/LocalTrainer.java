package io.sparkmdn.local;

import io.sparkmdn.data.XYData;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.Normalization;
import io.sparkmdn.model.Standardizer;
import io.sparkmdn.model.TrainingSummary;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.train.EpochStats;
import io.sparkmdn.train.TrainOptions;
import io.sparkmdn.util.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains an MDN in this JVM with DL4J's {@code fit}: the single-machine reference the Spark trainer is
 * measured against, and the trainer of small datasets.
 *
 * <p>Inputs and labels are standardised with statistics of the training rows; the dimensions of
 * {@code options} are replaced by those of the data. After every epoch the exact mean NLL of the training and
 * test rows is computed (log-sum-exp, user units) and passed to the listener.
 */
public final class LocalTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(LocalTrainer.class);

    private LocalTrainer() {
    }

    /** Trains without a listener. */
    public static MdnModel fit(MdnOptions options, TrainOptions train, XYData trainData, XYData testData) {
        return fit(options, train, trainData, testData, stats -> { });
    }

    /**
     * Trains a new network on {@code trainData}, evaluating on {@code testData} (may be null) after each epoch.
     */
    public static MdnModel fit(MdnOptions options, TrainOptions train, XYData trainData, XYData testData,
                               Consumer<EpochStats> listener) {
        Checks.checkArgument(trainData.size() > 0, "No training rows");
        MdnOptions opts = options.withDimensions(trainData.inputDim(), trainData.outputDim());
        Normalization norm = new Normalization(
                Standardizer.fit(trainData.x(), trainData.inputDim()),
                Standardizer.fit(trainData.y(), trainData.outputDim()));
        MultiLayerNetwork network = new MultiLayerNetwork(opts.toConfiguration());
        network.init();

        DataSet all = standardisedDataSet(opts, norm, trainData);
        int n = trainData.size();
        List<EpochStats> history = new ArrayList<>();
        for (int epoch = 1; epoch <= train.epochs(); epoch++) {
            long start = System.nanoTime();
            all.shuffle(train.seed() + epoch);
            for (int from = 0; from < n; from += train.batchSize()) {
                network.fit(rows(all, from, Math.min(n, from + train.batchSize())));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            MdnModel model = new MdnModel(opts, norm, network, null);
            double trainNll = model.meanNll(trainData.x(), trainData.y());
            double testNll = testData == null || testData.size() == 0
                    ? Double.NaN : model.meanNll(testData.x(), testData.y());
            EpochStats stats = new EpochStats(epoch, trainNll, testNll, seconds, n / seconds);
            history.add(stats);
            LOG.info("epoch {}/{}: train NLL {} test NLL {} ({} samples/s)", epoch, train.epochs(),
                    String.format("%.4f", trainNll), String.format("%.4f", testNll),
                    String.format("%.0f", n / seconds));
            listener.accept(stats);
        }
        long testRows = testData == null ? 0 : testData.size();
        String trainer = "single JVM: batch " + train.batchSize();
        return new MdnModel(opts, norm, network, TrainingSummary.of(trainer, n, testRows, history));
    }

    /** Rows [from, to) as views, not copies ({@code DataSet.batchBy} splits per example: 10× slower). */
    private static DataSet rows(DataSet all, int from, int to) {
        INDArrayIndex range = NDArrayIndex.interval(from, to);
        return new DataSet(all.getFeatures().get(range, NDArrayIndex.all()),
                all.getLabels().get(range, NDArrayIndex.all()));
    }

    private static DataSet standardisedDataSet(MdnOptions opts, Normalization norm, XYData data) {
        int n = data.size();
        INDArray features = Nd4j.create(norm.x().apply(data.x()), new long[] {n, data.inputDim()}, 'c')
                .castTo(opts.dataType());
        INDArray labels = Nd4j.create(norm.y().apply(data.y()), new long[] {n, data.outputDim()}, 'c')
                .castTo(opts.dataType());
        return new DataSet(features, labels);
    }
}
