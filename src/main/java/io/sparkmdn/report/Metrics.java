package io.sparkmdn.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmdn.util.Checks;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluate job's metrics (its JSON object, keys in file order), with typed access to what the report plots.
 *
 * @param values metric name → number, array of numbers or null, as in {@code metrics.json}
 */
public record Metrics(Map<String, Object> values) {

    /** Key of the PIT histogram: fractions of PIT values in equal bins of [0, 1]. */
    public static final String PIT_HISTOGRAM = "pit_histogram";
    /** Key of the PIT Kolmogorov–Smirnov distance. */
    public static final String PIT_KS = "pit_ks";
    /** Key of the Bayes-limit NLL (the true density's), null when unknown. */
    public static final String BAYES_LIMIT = "bayes_limit_nll";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the known keys mean, for the report's table. */
    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("rows", "rows scored"),
            Map.entry("nll", "NLL, MDN (nats/point)"),
            Map.entry("gaussian_nll", "NLL, single Gaussian fitted to y"),
            Map.entry("mse_net_nll", "NLL, least-squares net with Gaussian residuals"),
            Map.entry("baseline_rows", "rows the least-squares net was fitted on"),
            Map.entry(PIT_KS, "PIT Kolmogorov–Smirnov distance from uniform"),
            Map.entry("crps", "CRPS (mean)"),
            Map.entry(BAYES_LIMIT, "NLL, Bayes limit (true density)"),
            Map.entry("bayes_gap", "gap to the Bayes limit (nats/point)"));

    public Metrics {
        Checks.checkArgument(values != null, "No metrics given");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The metrics in {@code json} (an object); fails naming {@code source} when it is not one. */
    public static Metrics parse(String json, String source) {
        try {
            Map<String, Object> values = JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
            Checks.checkArgument(values != null, "Metrics file %s is empty", source);
            return new Metrics(values);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Invalid metrics file " + source + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The number under {@code key}, or null when it is absent, null or not a number. */
    public Double number(String key) {
        return values.get(key) instanceof Number n ? n.doubleValue() : null;
    }

    /** The PIT histogram (fractions per bin), or null when absent or not an array of numbers. */
    public double[] pitHistogram() {
        if (!(values.get(PIT_HISTOGRAM) instanceof List<?> list) || list.isEmpty()) {
            return null;
        }
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Number n)) {
                return null;
            }
            out[i] = n.doubleValue();
        }
        return out;
    }

    /** The rows of the report's table: a readable label and the formatted value of every scalar metric. */
    public List<Map.Entry<String, String>> table() {
        return values.entrySet().stream()
                .filter(e -> !(e.getValue() instanceof List<?>) && !(e.getValue() instanceof Map<?, ?>))
                .map(e -> Map.entry(LABELS.getOrDefault(e.getKey(), e.getKey()), format(e.getValue())))
                .toList();
    }

    private static String format(Object value) {
        if (value == null) {
            return "—";
        }
        if (value instanceof Integer || value instanceof Long) {
            return String.format("%,d", ((Number) value).longValue());
        }
        if (value instanceof Number n) {
            return String.format("%.4f", n.doubleValue());
        }
        return value.toString();
    }
}
