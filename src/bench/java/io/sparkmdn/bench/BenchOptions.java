package io.sparkmdn.bench;

import java.util.List;

/**
 * Sizes of one benchmark run: {@link #standard()} for the committed reports, {@link #quick()} for a smoke run in
 * seconds, {@link #large()} adding 10⁸ rows to the throughput section.
 *
 * @param trainRows          rows of the training comparison
 * @param testRows           rows scored after every epoch
 * @param epochs             epochs per training configuration
 * @param batchSizes         batch sizes compared (single JVM and Spark alike)
 * @param averagingFrequency Spark averaging frequency in the batch-size comparison
 * @param averagingSweep     averaging frequencies swept at the first batch size
 * @param defaultsRows       rows generated for each kind's run with the defaults (10% of them held out for the
 *                           trainer's test NLL, as by default)
 * @param defaultsTestRows   fresh rows each kind's model is evaluated on
 * @param throughputRows     row counts of the generation and sampling comparison
 * @param epochScalingRows   row counts of the one-epoch scaling run
 * @param peerRows           rows of the PyTorch comparison's CSV (10% held out by both for the test NLL)
 * @param peerEpochs         epochs of each PyTorch comparison run (no early stopping)
 * @param peerRepeats        runs of each side per network (medians reported; the order alternates)
 */
public record BenchOptions(int trainRows, int testRows, int epochs, List<Integer> batchSizes,
                           int averagingFrequency, List<Integer> averagingSweep, int defaultsRows,
                           int defaultsTestRows, List<Long> throughputRows, List<Long> epochScalingRows,
                           int peerRows, int peerEpochs, int peerRepeats) {

    /** The committed reports' sizes (about 10 minutes on 2 cores). */
    public static BenchOptions standard() {
        return new BenchOptions(200_000, 20_000, 4, List.of(256, 1024, 4096), 50, List.of(5, 20, 50, 100),
                222_222, 50_000, List.of(1_000_000L, 3_000_000L, 10_000_000L),
                List.of(200_000L, 400_000L, 800_000L), 222_222, 10, 2);
    }

    /** Tiny sizes: checks that every section runs and the report is written. */
    public static BenchOptions quick() {
        return new BenchOptions(4_000, 1_000, 2, List.of(256), 5, List.of(5, 10), 4_000, 1_000,
                List.of(20_000L, 40_000L), List.of(4_000L, 8_000L), 4_000, 2, 1);
    }

    /** The standard run with 10⁸ rows added to generation and sampling. */
    public static BenchOptions large() {
        BenchOptions s = standard();
        return new BenchOptions(s.trainRows, s.testRows, s.epochs, s.batchSizes, s.averagingFrequency,
                s.averagingSweep, s.defaultsRows, s.defaultsTestRows,
                List.of(1_000_000L, 10_000_000L, 100_000_000L), s.epochScalingRows, s.peerRows, s.peerEpochs,
                s.peerRepeats);
    }
}
