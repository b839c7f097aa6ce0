package io.sparkmdn.report;

import io.sparkmdn.data.SeedToy;
import io.sparkmdn.data.TwinCircle;
import io.sparkmdn.data.XYData;
import io.sparkmdn.math.GaussianMixture;
import io.sparkmdn.math.MixtureBatch;
import io.sparkmdn.train.EpochStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Small in-memory inputs for the report's tests: seed-toy data (1-D y) and twin-circle data (2-D y). */
final class ReportFixtures {

    static final int ROWS = 600;
    static final int GRID = 41;
    static final int DRAWS = 30;

    private ReportFixtures() {
    }

    /** Seed-toy rows: three branches of y for x in (−0.8, 0.8). */
    static XYData seedData() {
        return SeedToy.generate(1, 0, ROWS);
    }

    /** Twin-circle rows: y = ±(cos πx, sin πx) + noise. */
    static XYData twinData() {
        return TwinCircle.INSTANCE.rows(1, 0, ROWS);
    }

    /** A three-branch mixture along x in [−1, 1]: μ_k = 0.5 + 0.3 sin(πx + 2πk/3), σ = 0.04, α from x. */
    static MixtureCurve seedMixtures() {
        double[] x = Arrays2.linspace(-1, 1, GRID);
        int k = 3;
        double[] w = new double[GRID * k];
        double[] m = new double[GRID * k];
        double[] s = new double[GRID * k];
        for (int i = 0; i < GRID; i++) {
            double[] logits = {x[i], -x[i], 0.3};
            double norm = 0;
            for (int c = 0; c < k; c++) {
                norm += Math.exp(logits[c]);
            }
            for (int c = 0; c < k; c++) {
                w[i * k + c] = Math.exp(logits[c]) / norm;
                m[i * k + c] = 0.5 + 0.3 * Math.sin(Math.PI * x[i] + 2 * Math.PI * c / 3);
                s[i * k + c] = 0.04 + 0.02 * c;
            }
        }
        return new MixtureCurve(x, new MixtureBatch(k, 1, w, m, s));
    }

    /** The twin circle's true mixture along x in [−1, 1] (2 components, d = 2). */
    static MixtureCurve twinMixtures() {
        double[] x = Arrays2.linspace(-1, 1, GRID);
        MixtureBatch[] rows = new MixtureBatch[GRID];
        for (int i = 0; i < GRID; i++) {
            GaussianMixture g = TwinCircle.trueMixture(x[i]);
            rows[i] = new MixtureBatch(g.components(), g.dim(), g.weights(), g.means(), g.sigmas());
        }
        return new MixtureCurve(x, MixtureBatch.concat(rows));
    }

    /** {@value #DRAWS} draws at each x of {@code curve}, seeded. */
    static SampleSet samplesOf(MixtureCurve curve) {
        SplittableRandom rng = new SplittableRandom(7);
        int d = curve.dim();
        double[] xs = new double[curve.size() * DRAWS];
        double[] ys = new double[xs.length * d];
        for (int i = 0; i < curve.size(); i++) {
            GaussianMixture g = curve.mixtures().mixture(i);
            for (int s = 0; s < DRAWS; s++) {
                int row = i * DRAWS + s;
                xs[row] = curve.x()[i];
                g.sampleInto(rng, 1.0, ys, row * d);
            }
        }
        return new SampleSet(xs, ys, d);
    }

    /** The weighted mean of {@code curve} at each x: what least squares would learn. */
    static MeanCurve meanOf(MixtureCurve curve) {
        int d = curve.dim();
        double[] y = new double[curve.size() * d];
        for (int i = 0; i < curve.size(); i++) {
            System.arraycopy(curve.mixtures().mixture(i).mean(), 0, y, i * d, d);
        }
        return new MeanCurve(curve.x(), y, d);
    }

    /** Eight epochs of falling NLL. */
    static List<EpochStats> history() {
        List<EpochStats> h = new ArrayList<>();
        for (int e = 1; e <= 8; e++) {
            h.add(new EpochStats(e, -1.2 - 0.5 * (1 - Math.exp(-e / 2.0)), -1.15 - 0.45 * (1 - Math.exp(-e / 2.0)),
                    2.0, 50_000));
        }
        return h;
    }

    /** Metrics as the evaluate job writes them, with a slightly U-shaped PIT histogram. */
    static Metrics metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", 50000);
        m.put("nll", -1.61);
        m.put("gaussian_nll", 0.17);
        m.put("mse_net_nll", -0.35);
        m.put("baseline_rows", 20000);
        m.put("pit_ks", 0.031);
        List<Double> pit = new ArrayList<>();
        for (int b = 0; b < 20; b++) {
            double u = (b + 0.5) / 20 - 0.5;
            pit.add((1 + 0.8 * (u * u - 1.0 / 12)) / 20);
        }
        m.put("pit_histogram", pit);
        m.put("crps", 0.078);
        m.put("bayes_limit_nll", -1.823);
        m.put("bayes_gap", 0.21);
        return new Metrics(m);
    }

    /** Every input, for seed-toy data. */
    static ReportInputs seedInputs() {
        MixtureCurve mixtures = seedMixtures();
        return new ReportInputs(seedData(), 200_000, SeedToy.INSTANCE, meanOf(mixtures), mixtures,
                samplesOf(mixtures), history(), metrics(), null, List.of("fixture: seed"), List.of());
    }

    /** Every input, for twin-circle data (2-D y). */
    static ReportInputs twinInputs() {
        MixtureCurve mixtures = twinMixtures();
        return new ReportInputs(twinData(), ROWS, TwinCircle.INSTANCE, meanOf(mixtures), mixtures,
                samplesOf(mixtures), history(), metrics(), null, List.of("fixture: twin-circle"), List.of());
    }
}
