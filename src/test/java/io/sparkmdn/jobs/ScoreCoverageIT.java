package io.sparkmdn.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelDirectory;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analyst's contract end to end, with the defaults a user gets: a model trained with no tuning flags on 200k
 * rows of the seed toy; the score job's quantiles then hold their levels, and its interval its coverage, to
 * ±0.01 on 50k fresh rows, and its mean log-likelihood is evaluate's NLL.
 */
class ScoreCoverageIT {

    private static final String MASTER = "local[2]";
    private static final double[] LEVELS = {0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95};
    private static final double TOLERANCE = 0.01;

    @TempDir
    static Path dir;

    @Test
    void quantilesAndIntervalsOfADefaultModelCoverTheirLevels() throws Exception {
        String train = dir.resolve("train").toString();
        String test = dir.resolve("test").toString();
        String model = dir.resolve("model").toString();
        String scores = dir.resolve("scores").toString();
        String metrics = dir.resolve("metrics.json").toString();
        JobHarness.ok(MASTER, new GenerateJob(), "--rows", "222222", "--seed", "11", "--out", train);
        JobHarness.ok(MASTER, new GenerateJob(), "--rows", "50000", "--seed", "12", "--out", test);
        JobHarness.ok(MASTER, new TrainJob(), "--data", train, "--model", model);
        StringBuilder levels = new StringBuilder();
        for (double l : LEVELS) {
            levels.append(levels.length() == 0 ? "" : ",").append(l);
        }
        JobHarness.ok(MASTER, new ScoreJob(), "--model", model, "--input", test, "--out", scores,
                "--quantiles", levels.toString(), "--interval", "0.9");
        JobHarness.ok(MASTER, new EvaluateJob(), "--model", model, "--data", test, "--out", metrics);

        MdnModel trained = ModelDirectory.load(model);
        System.out.printf("default model: %d epochs, kept %s (%s)%n", trained.training().epochs(),
                trained.training().bestEpoch(), trained.training().stopReason());
        StringBuilder select = new StringBuilder("SELECT count(*) AS n, avg(CAST(in_interval AS DOUBLE)) AS inside, "
                + "avg(log_likelihood) AS ll");
        for (int i = 0; i < LEVELS.length; i++) {
            select.append(", avg(CAST(y <= quantiles[").append(i).append("] AS DOUBLE)) AS q").append(i);
        }
        Row r = JobHarness.withSpark(spark -> spark.sql(select + " FROM parquet.`" + scores + "`").first());
        assertEquals(50_000L, r.getLong(0));
        StringBuilder report = new StringBuilder("coverage per level:");
        for (int i = 0; i < LEVELS.length; i++) {
            report.append(String.format(" %.2f→%.4f", LEVELS[i], r.getDouble(3 + i)));
        }
        report.append(String.format("; 90%% interval %.4f", r.getDouble(1)));
        System.out.println(report);
        for (int i = 0; i < LEVELS.length; i++) {
            assertEquals(LEVELS[i], r.getDouble(3 + i), TOLERANCE, "level " + LEVELS[i] + ": " + report);
        }
        assertEquals(0.9, r.getDouble(1), TOLERANCE, report.toString());
        double nll = new ObjectMapper().readTree(Path.of(metrics).toFile()).path("nll").asDouble(Double.NaN);
        assertEquals(nll, -r.getDouble(2), 1e-6, "the mean log-likelihood is evaluate's NLL");
        List<String> kept = List.of("id", "x", "y");
        Row first = JobHarness.withSpark(spark -> spark.read().parquet(scores).first());
        assertTrue(List.of(first.schema().fieldNames()).containsAll(kept), "input columns are kept");
    }
}
