package io.sparkmdn.spark;

import static org.apache.spark.sql.functions.col;

import io.sparkmdn.train.EpochStats;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.Normalization;
import io.sparkmdn.model.Standardizer;
import io.sparkmdn.model.TrainingSummary;
import io.sparkmdn.nn.MdnOptions;
import io.sparkmdn.train.BlockMomentum;
import io.sparkmdn.train.ScaleOut;
import io.sparkmdn.train.SparkTrainOptions;
import io.sparkmdn.train.TrainingProgress;
import io.sparkmdn.util.PhaseTimer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Trains an MDN across Spark executors with DL4J's synchronous parameter averaging.
 *
 * <p>The input's rows are read once, split into train and test (seeded), counted and their standardisation
 * statistics aggregated from the training rows; the training rows are then dealt once into cached
 * {@link RowBlock blocks}, one per worker and averaging round. Every epoch each block's rows are shuffled into
 * minibatches ({@link DataSet}s of {@code batchSize} rows) on the executors; for each round every worker fits
 * its block and the parameters (and updater state) are averaged.
 * After every epoch the exact test NLL and the training NLL of a fixed sample of about 20k training rows are
 * computed on the executors ({@link DistributedNll}) and logged with samples/s and the ETA; early stopping and
 * the learning-rate schedule follow the test NLL ({@link TrainingProgress}). Nothing goes through a path only the driver can see: data moves as RDDs
 * ({@link RDDTrainingApproach#Direct}) and the model as a broadcast.
 */
public final class SparkTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(SparkTrainer.class);

    private SparkTrainer() {
    }

    /**
     * What the trainer reports after every epoch: the epoch's numbers, the model as it stands (what a resumed run
     * continues from) and the best model so far (what the run keeps), each with the history so far.
     */
    @FunctionalInterface
    public interface EpochListener {
        void afterEpoch(EpochStats stats, MdnModel modelSoFar, MdnModel bestSoFar);

        /** This listener, then {@code next}. */
        default EpochListener andThen(EpochListener next) {
            return (stats, model, best) -> {
                afterEpoch(stats, model, best);
                next.afterEpoch(stats, model, best);
            };
        }
    }

    /**
     * The input's rows read once and cached ({@code all}), split by a hash of each row into the rows trained on
     * ({@code train}, a view of {@code all}) and those held out for the test NLL ({@code test}, cached on its own:
     * it outlives {@code all}, which is dropped once the training rows are dealt into blocks).
     */
    record Split(Dataset<Row> all, Dataset<Row> train, Dataset<Row> test) {
        void unpersist() {
            all.unpersist();
            test.unpersist();
        }
    }

    /**
     * How every epoch runs: the row counts, the workers, the averaging rounds per epoch and the minibatches per
     * round; the training rows dealt into rounds × workers {@link RowBlock blocks} (cached); and the fixed sample
     * of training rows whose NLL is logged after every epoch (cached): about {@link #TRAIN_NLL_ROWS} rows (all of
     * them when there are fewer), drawn by a hash of each row, so the same rows every epoch. The full pass cost
     * as much as a quarter of an epoch, for a number only the log reads.
     */
    record EpochPlan(long trainRows, long testRows, ScaleOut.Plan scaleOut, int rounds, int batchesPerRound,
                     JavaRDD<RowBlock> blocks, Dataset<Row> trainNllRows) {
        int workers() {
            return scaleOut.workers();
        }

        int batchSize() {
            return scaleOut.batchSize();
        }

        void unpersist() {
            blocks.unpersist(false);
            trainNllRows.unpersist();
        }
    }

    /**
     * The training rows of one dealt partition as plain arrays, row-major, in a fixed order (by a hash of each
     * row's values, so the same whatever the input's partitioning): what every epoch's minibatches are cut from,
     * without a sort or a row conversion per epoch.
     */
    record RowBlock(int rows, double[] x, double[] y) implements java.io.Serializable {
    }

    /** About how many training rows the per-epoch training NLL is measured on. */
    static final long TRAIN_NLL_ROWS = 20_000;

    /** Trains a new network. */
    public static MdnModel train(SparkSession spark, Dataset<Row> input, MdnOptions options,
                                 SparkTrainOptions settings, Consumer<EpochStats> listener) {
        return train(spark, input, options, settings, null, null, (stats, model, best) -> listener.accept(stats));
    }

    /**
     * Trains until {@code settings.train().epochs()} epochs are done or early stopping ends the run
     * ({@link TrainingProgress}), starting from {@code resumeFrom} (a model saved after some epochs, with its
     * updater state, normalisation and history; {@code resumeBest} is the best model saved with it, or null) or,
     * when it is null, from a new network. Returns the best epoch's model when the settings have a patience, the
     * last one's otherwise. Each epoch's randomness derives from (seed, epoch) alone and the schedule and
     * patience from the history, so a resumed run takes the same path as one that was never interrupted. After
     * every epoch the parameters and NLLs are checked: NaN or ±Inf stops training with a
     * {@link TrainingDivergedException} before {@code listener} hears of the epoch; the epoch is logged after
     * {@code listener} (the job's checkpoint) returns.
     */
    public static MdnModel train(SparkSession spark, Dataset<Row> input, MdnOptions options,
                                 SparkTrainOptions settings, MdnModel resumeFrom, MdnModel resumeBest,
                                 EpochListener listener) {
        return train(spark, input, options, settings, resumeFrom, resumeBest, listener, new PhaseTimer());
    }

    /**
     * As {@link #train(SparkSession, Dataset, MdnOptions, SparkTrainOptions, MdnModel, MdnModel, EpochListener)},
     * adding the wall time of each of the trainer's phases to {@code phases}: the split and standardisation
     * statistics, the dealing of rows into rounds, and per epoch the gradient steps, the NLL evaluation and
     * {@code listener} (the job's checkpoint).
     */
    public static MdnModel train(SparkSession spark, Dataset<Row> input, MdnOptions options,
                                 SparkTrainOptions settings, MdnModel resumeFrom, MdnModel resumeBest,
                                 EpochListener listener, PhaseTimer phases) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Split split = split(input, settings);
        EpochPlan plan = null;
        try {
            jsc.setJobDescription("train: read the rows, count them and standardisation statistics");
            Tuple2<Normalization, Long> counted = phases.time("count rows and statistics",
                    () -> normalizationAndCount(split.train()));
            Normalization norm = resumeFrom != null ? resumeFrom.normalization() : counted._1();
            MdnOptions opts = options.withDimensions(norm.x().dim(), norm.y().dim());
            EpochPlan dealt = phases.time("dealing rows into rounds",
                    () -> plan(jsc, split, counted._2(), norm, settings, resumeFrom));
            plan = dealt;
            MultiLayerNetwork network = phases.time("network set-up", () -> initialNetwork(opts, resumeFrom));
            List<EpochStats> history = resumeFrom == null ? List.of() : resumeFrom.training().history();
            SparkTrainOptions effective = settings.stretched(plan.scaleOut().epochScale());
            return epochs(jsc, network, resumeBest == null ? null : resumeBest.network(), opts, norm, effective, plan,
                    split.test(), history, listener.andThen(logger(effective.train().epochs(), history.size())),
                    phases);
        } finally {
            if (plan != null) {
                plan.unpersist();
            }
            split.unpersist();
        }
    }

    /**
     * The settings a run of {@code settings} on {@code trainRows} training rows follows in this Spark context: its
     * schedule stretched by the {@link ScaleOut.Plan#epochScale() scale-out plan} (what a resumed run's progress is
     * judged by).
     */
    public static SparkTrainOptions effective(JavaSparkContext jsc, SparkTrainOptions settings, long trainRows) {
        return settings.stretched(scaleOutPlan(jsc, settings, trainRows).epochScale());
    }

    private static ScaleOut.Plan scaleOutPlan(JavaSparkContext jsc, SparkTrainOptions settings, long trainRows) {
        int requested = settings.workers() > 0 ? settings.workers() : jsc.defaultParallelism();
        return settings.scaleOutOrOff().plan(trainRows, requested, settings.train().batchSize());
    }

    /**
     * The train/test split from a hash of each row's values: deterministic whatever the partitioning (unlike
     * randomSplit, which also sorts partitions). The input is cached once; both sides are views of it until
     * {@link #plan} has dealt the training rows and cached the test rows on their own.
     */
    static Split split(Dataset<Row> input, SparkTrainOptions settings) {
        Dataset<Row> all = input.select(col(Columns.X), col(Columns.Y),
                Columns.uniformDraw(settings.train().seed()).as("__u")).persist(StorageLevel.MEMORY_AND_DISK());
        return new Split(all,
                all.where(col("__u").geq(settings.testFraction())).drop("__u"),
                all.where(col("__u").lt(settings.testFraction())).drop("__u").persist(StorageLevel.MEMORY_AND_DISK()));
    }

    /**
     * The rows of {@code input} (features and labels in {@link Columns#X}, {@link Columns#Y}) that a training run with
     * {@code settings} holds out for its test NLL: the test side of {@link #split}, by the same hash.
     */
    public static Dataset<Row> heldOutRows(Dataset<Row> input, SparkTrainOptions settings) {
        return input.where(Columns.uniformDraw(settings.train().seed()).lt(settings.testFraction()));
    }

    /**
     * Deals the {@code trainCount} training rows into rounds × workers {@link RowBlock blocks} (cached) and finds
     * the minibatches per round; caches the test rows and the training-NLL sample, after which the split's copy
     * of all rows is dropped, so each row is kept once.
     */
    static EpochPlan plan(JavaSparkContext jsc, Split split, long trainCount, Normalization norm,
                          SparkTrainOptions settings, MdnModel resumeFrom) {
        jsc.setJobDescription("train: deal the training rows into blocks");
        long seed = settings.train().seed();
        ScaleOut.Plan scaleOut = scaleOutPlan(jsc, settings, trainCount);
        int workers = scaleOut.workers();
        int batch = scaleOut.batchSize();
        long testCount = split.test().count();
        LOG.info("training on {} rows, testing on {}; {} workers, batch {}, averaging every {} batches{}",
                trainCount, testCount, workers, batch, settings.averagingFrequency(),
                resumeFrom == null ? "" : "; resuming after epoch " + resumeFrom.training().epochs());
        for (String note : scaleOut.notes()) {
            LOG.info("scale-out: {}", note);
        }
        int rounds = roundsPerEpoch(trainCount, batch, workers, settings.averagingFrequency());
        JavaRDD<RowBlock> blocks = blocks(deal(split.train(), seed, rounds * workers), seed, norm.x().dim(),
                norm.y().dim())
                .persist(StorageLevel.MEMORY_AND_DISK());
        int batchesPerRound = mostBatchesInABlock(blocks, batch);
        Dataset<Row> trainNllRows = (trainCount <= TRAIN_NLL_ROWS ? split.train()
                : split.train().where(Columns.uniformDraw(seed + 3).lt((double) TRAIN_NLL_ROWS / trainCount)))
                .persist(StorageLevel.MEMORY_AND_DISK());
        trainNllRows.count();
        split.all().unpersist();
        return new EpochPlan(trainCount, testCount, scaleOut, rounds, batchesPerRound, blocks, trainNllRows);
    }

    /**
     * The epoch loop: from the epoch after {@code history} until the settings' maximum or early stopping, fits an
     * epoch at the schedule's rate, checks for divergence, measures the NLLs, keeps a copy of the best epoch's
     * network and tells {@code listener}; returns the model the run keeps.
     */
    private static MdnModel epochs(JavaSparkContext jsc, MultiLayerNetwork start, MultiLayerNetwork resumedBest,
                                   MdnOptions opts, Normalization norm, SparkTrainOptions settings, EpochPlan plan,
                                   Dataset<Row> testRows, List<EpochStats> history, EpochListener listener,
                                   PhaseTimer phases) {
        MultiLayerNetwork network = start;
        List<EpochStats> done = new ArrayList<>(history);
        TrainingProgress progress = TrainingProgress.of(done, settings);
        // a checkpoint from before early stopping has no best model; its run (no patience) keeps the last anyway
        MultiLayerNetwork best = resumedBest != null ? resumedBest : start;
        int epochs = settings.train().epochs();
        String trainer = trainer(settings, plan);
        // the buffer starts at zero, also in a resumed run (it is not checkpointed)
        BlockMomentum blockMomentum = new BlockMomentum(settings.scaleOutOrOff().blockMomentum(), 1.0);
        while (!progress.stops()) {
            int epoch = done.size() + 1;
            jsc.setJobDescription("train: epoch " + epoch + "/" + epochs);
            long begin = System.nanoTime();
            network.setLearningRate(settings.learningRate(opts.learningRate(), epoch, progress)
                    * plan.scaleOut().learningRateFactor());
            network = fitEpoch(jsc, network, plan, norm, opts.dataType(), settings, epoch, blockMomentum);
            double seconds = (System.nanoTime() - begin) / 1e9;
            phases.add("epochs: gradient steps", seconds);
            DivergenceGuard.checkParameters(network, epoch, done.size());
            MdnModel current = new MdnModel(opts, norm, network, null);
            EpochStats stats = phases.time("epochs: NLL evaluation", () -> evaluate(jsc, current,
                    plan.trainNllRows(), testRows, epoch, seconds, plan.trainRows()));
            DivergenceGuard.checkScores(stats, done.size());
            done.add(stats);
            progress = TrainingProgress.of(done, settings);
            if (progress.bestEpoch() == epoch) {
                best = network.clone(); // the averaging master updates the network in place
            }
            MdnModel bestSoFar = new MdnModel(opts, norm, best,
                    summary(trainer, plan, done, progress.bestEpoch(), progress.stopReason()));
            phases.time("epochs: checkpoints", () -> {
                listener.afterEpoch(stats, current.withTraining(summary(trainer, plan, done, null, null)), bestSoFar);
                return null;
            });
        }
        LOG.info("training ended: {}", progress.stopReason());
        return settings.patience() == null
                ? new MdnModel(opts, norm, network, summary(trainer, plan, done, null, progress.stopReason()))
                : new MdnModel(opts, norm, best,
                        summary(trainer, plan, done, progress.bestEpoch(), progress.stopReason()));
    }

    /** The summary of the epochs {@code done}, keeping {@code bestEpoch} (null: the last). */
    private static TrainingSummary summary(String trainer, EpochPlan plan, List<EpochStats> done,
                                           Integer bestEpoch, String stopReason) {
        return TrainingSummary.of(trainer, plan.trainRows(), plan.testRows(), done, bestEpoch, stopReason);
    }

    /** Logs each epoch with its NLLs, speed and the time left, from the mean wall time of this run's epochs. */
    private static EpochListener logger(int epochs, int alreadyDone) {
        long start = System.nanoTime();
        return (stats, model, best) -> {
            double wallPerEpoch = (System.nanoTime() - start) / 1e9 / (stats.epoch() - alreadyDone);
            logEpoch(stats, epochs, wallPerEpoch * (epochs - stats.epoch()));
        };
    }

    private static MultiLayerNetwork initialNetwork(MdnOptions opts, MdnModel resumeFrom) {
        if (resumeFrom == null) {
            MultiLayerNetwork network = new MultiLayerNetwork(opts.toConfiguration());
            network.init();
            return network;
        }
        return resumeFrom.network();
    }

    private static String trainer(SparkTrainOptions settings, EpochPlan plan) {
        String described = String.format("spark parameter averaging: %d workers, batch %d, averaging every %d",
                plan.workers(), plan.batchSize(), settings.averagingFrequency());
        return plan.scaleOut().notes().isEmpty() ? described
                : described + " (" + String.join("; ", plan.scaleOut().notes()) + ")";
    }

    /**
     * Averaging rounds per epoch: enough that each worker fits about {@code averagingFrequency} minibatches per
     * round.
     */
    public static int roundsPerEpoch(long trainRows, int batchSize, int workers, int averagingFrequency) {
        long rowsPerRound = (long) batchSize * workers * averagingFrequency;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (trainRows + rowsPerRound - 1) / rowsPerRound));
    }

    /**
     * One epoch over rows {@link #deal dealt} into {@code rounds × workers} partitions: each partition is
     * reordered by a hash of (row, seed, epoch) and cut into minibatches, the partitions are grouped into rounds
     * of {@code workers} in an order drawn from (seed, epoch), and DL4J fits the rounds one after another, each
     * partition on one worker, averaging after each round. Fitting DL4J's way instead (one RDD of all
     * minibatches) makes it split the RDD with randomSplit, a pass over all the data for each round (quadratic
     * in the rows per epoch), and shuffle each split again among the workers. Rebuilding the minibatches every
     * epoch also changes which rows share a gradient step, as a single-JVM epoch does.
     */
    private static MultiLayerNetwork fitEpoch(JavaSparkContext jsc, MultiLayerNetwork network, EpochPlan plan,
                                              Normalization norm, DataType dataType, SparkTrainOptions settings,
                                              int epoch, BlockMomentum blockMomentum) {
        long epochSeed = settings.train().seed() * 1_000_003L + epoch;
        int workers = plan.workers();
        JavaRDD<DataSet> batches = minibatches(plan.blocks(), norm, dataType, plan.batchSize(),
                epochSeed, settings.inputNoise(), settings.labelNoise());
        // a training master per epoch, seeded by (seed, epoch): a resumed run repeats the same draws
        ParameterAveragingTrainingMaster master = trainingMaster(workers, plan.batchSize(), epochSeed,
                plan.batchesPerRound());
        int[] order = permutation(batches.getNumPartitions(), epochSeed);
        for (int round = 0; round < plan.rounds(); round++) {
            int[] chosen = Arrays.copyOfRange(order, round * workers, (round + 1) * workers);
            JavaRDD<DataSet> part = JavaRDD.fromRDD(
                    PartitionPruningRDD.create(batches.rdd(), new PartitionSet(chosen)), batches.classTag());
            double[] start = blockMomentum.isIdentity() ? null : network.params().toDoubleVector();
            network = new SparkDl4jMultiLayer(jsc, network, master).fit(part);
            if (start != null) {
                setParameters(network, blockMomentum.step(start, network.params().toDoubleVector()));
            }
        }
        return network;
    }

    /** Sets every parameter of {@code network} (flattened in its own order) from {@code values}. */
    static void setParameters(MultiLayerNetwork network, double[] values) {
        INDArray params = network.params();
        params.assign(Nd4j.create(values, params.shape(), 'c').castTo(params.dataType()));
    }

    /** 0 … n − 1 in an order drawn from {@code seed}. */
    private static int[] permutation(int n, long seed) {
        List<Integer> order = new ArrayList<>(IntStream.range(0, n).boxed().toList());
        Collections.shuffle(order, new Random(seed));
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Keeps the given partitions of an RDD (a Scala function, as PartitionPruningRDD takes; serializable). */
    private static final class PartitionSet extends scala.runtime.AbstractFunction1<Object, Object>
            implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final int[] partitions;

        PartitionSet(int[] partitions) {
            this.partitions = partitions.clone();
        }

        @Override
        public Object apply(Object partition) {
            int index = (Integer) partition;
            return Arrays.stream(partitions).anyMatch(p -> p == index);
        }
    }

    /**
     * The minibatches of the fullest block (one job, which also materialises the cached blocks). DL4J's workers
     * stop after "averaging frequency" minibatches, and its master advances the updater's step count (Adam's t)
     * by as many per round: this number, rather than the requested frequency, leaves no row out and keeps t with
     * the workers' steps.
     */
    static int mostBatchesInABlock(JavaRDD<RowBlock> blocks, int batchSize) {
        long most = blocks.map(RowBlock::rows).fold(0, Math::max);
        return (int) Math.max(1, (most + batchSize - 1) / batchSize);
    }

    private static ParameterAveragingTrainingMaster trainingMaster(int workers, int batch, long epochSeed,
                                                                   int batchesPerRound) {
        return new RoundTrainingMaster(new ParameterAveragingTrainingMaster.Builder(workers, batch)
                .batchSizePerWorker(batch)
                .averagingFrequency(batchesPerRound)
                .workerPrefetchNumBatches(2)
                .saveUpdater(true)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                // a round arrives as one partition per worker already
                .repartionData(Repartition.NumPartitionsWorkersDiffers)
                .rngSeed(epochSeed)
                .collectTrainingStats(false));
    }

    /**
     * DL4J's parameter-averaging master, given one averaging round per {@code fit}: it runs the round as one
     * iteration. The stock master first caches and counts what it is given to split it into rounds, two Spark
     * jobs per round that the trainer's own dealing makes unnecessary.
     */
    private static final class RoundTrainingMaster extends ParameterAveragingTrainingMaster {
        private static final long serialVersionUID = 1L;

        RoundTrainingMaster(ParameterAveragingTrainingMaster.Builder builder) {
            super(builder);
        }

        @Override
        protected void executeTrainingDirect(SparkDl4jMultiLayer network, JavaRDD<DataSet> round) {
            doIteration(network, round, 1, 1);
        }
    }

    /** Standardisation statistics of the training rows, aggregated per partition and merged. */
    static Normalization normalization(Dataset<Row> trainRows) {
        return normalizationAndCount(trainRows)._1();
    }

    /** Standardisation statistics and the number of the training rows, in one pass. */
    static Tuple2<Normalization, Long> normalizationAndCount(Dataset<Row> trainRows) {
        Tuple2<Standardizer.Accumulator, Standardizer.Accumulator> acc = trainRows.javaRDD()
                .mapPartitions(SparkTrainer::partitionStatistics)
                .reduce((a, b) -> new Tuple2<>(a._1().merge(b._1()), a._2().merge(b._2())));
        return new Tuple2<>(new Normalization(acc._1().result(), acc._2().result()), acc._1().count());
    }

    private static Iterator<Tuple2<Standardizer.Accumulator, Standardizer.Accumulator>> partitionStatistics(
            Iterator<Row> rows) {
        if (!rows.hasNext()) {
            return List.<Tuple2<Standardizer.Accumulator, Standardizer.Accumulator>>of().iterator();
        }
        Row first = rows.next();
        double[] x = new double[first.getSeq(0).length()];
        double[] y = new double[first.getSeq(1).length()];
        Standardizer.Accumulator ax = new Standardizer.Accumulator(x.length);
        Standardizer.Accumulator ay = new Standardizer.Accumulator(y.length);
        for (Row row = first; row != null; row = rows.hasNext() ? rows.next() : null) {
            Columns.copyDoubles(row, 0, x, 0);
            Columns.copyDoubles(row, 1, y, 0);
            ax.add(x, 0);
            ay.add(y, 0);
        }
        return List.of(new Tuple2<>(ax, ay)).iterator();
    }

    /**
     * The training rows dealt into {@code parts} partitions by a hash of their values with {@code seed}, in one
     * shuffle: which rows share a partition is the same for any partitioning of the input.
     */
    static Dataset<Row> deal(Dataset<Row> trainRows, long seed, int parts) {
        return trainRows.select(col(Columns.X), col(Columns.Y)).repartition(parts, Columns.rowHash(seed + 2));
    }

    /**
     * Dealt rows as one {@link RowBlock} per partition, each partition's rows in the order of a hash of their
     * values with {@code seed}: which rows a block holds and their order do not depend on how the input was
     * partitioned or stored.
     */
    static JavaRDD<RowBlock> blocks(Dataset<Row> dealt, long seed, int dx, int dy) {
        return dealt.sortWithinPartitions(Columns.rowHash(seed + 4)).javaRDD().mapPartitions(rows -> {
            List<double[]> xs = new ArrayList<>();
            List<double[]> ys = new ArrayList<>();
            int[] count = {0};
            Columns.forEachChunk(rows, dx, dy, 4096, (x, y, n) -> {
                xs.add(x); // each chunk is a fresh array of n rows
                ys.add(y);
                count[0] += n;
            });
            return List.of(new RowBlock(count[0], concat(xs, count[0] * dx), concat(ys, count[0] * dy))).iterator();
        }, true);
    }

    private static double[] concat(List<double[]> parts, int length) {
        double[] all = new double[length];
        int at = 0;
        for (double[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /**
     * Standardised minibatches of blocks, block by block: each block's rows in an order drawn from
     * ({@code epochSeed}, block), cut into batches of {@code batchSize} rows. No shuffle and no sort: a new epoch
     * seed reorders rows within their blocks, so batches mix different rows every epoch, as a single-JVM epoch
     * does. With {@code inputNoise} or {@code labelNoise} above 0, Gaussian noise of that σ is added to the
     * standardised values, drawn from (epoch seed, block), so fresh every epoch and the same on a rerun.
     */
    static JavaRDD<DataSet> minibatches(JavaRDD<RowBlock> blocks, Normalization norm, DataType dataType,
                                        int batchSize, long epochSeed, double inputNoise, double labelNoise) {
        double[] xMean = norm.x().mean();
        double[] xStd = norm.x().std();
        double[] yMean = norm.y().mean();
        double[] yStd = norm.y().std();
        return blocks.mapPartitionsWithIndex((part, it) -> {
            List<DataSet> out = new ArrayList<>();
            while (it.hasNext()) {
                RowBlock block = it.next();
                int dx = xMean.length;
                int dy = yMean.length;
                int[] order = shuffled(block.rows(), new SplittableRandom(epochSeed * 0xBF58476D1CE4E5B9L + part));
                SplittableRandom noise = new SplittableRandom(epochSeed * 0x9E3779B97F4A7C15L + part);
                for (int from = 0; from < block.rows(); from += batchSize) {
                    int n = Math.min(batchSize, block.rows() - from);
                    double[] x = gather(block.x(), dx, order, from, n);
                    double[] y = gather(block.y(), dy, order, from, n);
                    standardise(x, xMean, xStd, inputNoise, noise);
                    standardise(y, yMean, yStd, labelNoise, noise);
                    out.add(new DataSet(array(x, n, dx, dataType), array(y, n, dy, dataType)));
                }
            }
            return out.iterator();
        }, true);
    }

    /** 0 … n − 1 shuffled by {@code rng} (Fisher–Yates). */
    private static int[] shuffled(int n, SplittableRandom rng) {
        int[] order = IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Rows {@code order[from … from + n)} of row-major {@code values} of width {@code d}. */
    private static double[] gather(double[] values, int d, int[] order, int from, int n) {
        double[] out = new double[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(values, order[from + i] * d, out, i * d, d);
        }
        return out;
    }

    /** An [n, d] array of {@code dataType}, made directly from the values (no cast op for float). */
    private static INDArray array(double[] values, int n, int d, DataType dataType) {
        if (dataType == DataType.FLOAT) {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            return Nd4j.create(f, new long[] {n, d}, 'c');
        }
        return Nd4j.create(values, new long[] {n, d}, 'c').castTo(dataType);
    }

    /** Standardises row-major values in place, adding N(0, noise²) to each where noise > 0. */
    private static void standardise(double[] v, double[] mean, double[] std, double noise, SplittableRandom rng) {
        for (int j = 0; j < v.length; j++) {
            int l = j % mean.length;
            v[j] = (v[j] - mean[l]) / std[l];
            if (noise > 0) {
                v[j] += noise * rng.nextGaussian();
            }
        }
    }

    private static EpochStats evaluate(JavaSparkContext jsc, MdnModel model, Dataset<Row> trainRows,
                                       Dataset<Row> testRows, int epoch, double seconds, long trainCount) {
        ModelBroadcast broadcast = ModelBroadcast.of(jsc, model);
        try {
            jsc.setJobDescription("train: NLL after epoch " + epoch);
            double[] nll = DistributedNll.meanNlls(broadcast, List.of(trainRows, testRows));
            return new EpochStats(epoch, nll[0], nll[1], seconds, trainCount / seconds);
        } finally {
            broadcast.destroy();
        }
    }

    private static void logEpoch(EpochStats stats, int epochs, double etaSeconds) {
        LOG.info("epoch {}/{}: train NLL {}, test NLL {}, {} samples/s, {} s; ETA {} s", stats.epoch(), epochs,
                String.format("%.4f", stats.trainNll()), String.format("%.4f", stats.testNll()),
                String.format("%.0f", stats.samplesPerSecond()), String.format("%.1f", stats.seconds()),
                String.format("%.0f", etaSeconds));
    }
}
