package io.sparkmdn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.jobs.TrainJob;
import io.sparkmdn.ml.MixtureDensityRegressor;
import io.sparkmdn.model.RunDescription;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A training setting is declared where it is parsed (the {@code train} job's option, the ML estimator's Param)
 * and named again by the run description, the shipped configuration and the docs (docs/model.md). They must
 * agree: the same settings, under names that map one to one, with the same defaults.
 */
class SettingsAgreementTest {

    /** Options of the job that are not settings of a run: where data and model are, how the job runs. */
    private static final Set<String> JOB_ONLY = Set.of("input", "data", "table", "query", "format", "schema", "model",
            "overwrite", "mode", "resume", "resume-on-changed-data", "config", "master", "help", "version",
            "no-early-stopping");
    /** Params of the estimator that are not settings of the job (Spark ML's columns and the fit's own). */
    private static final Set<String> ML_ONLY = Set.of("featuresCol", "labelCol", "predictionCol", "interval",
            "checkpointPath", "earlyStopping");
    private static final Map<String, String> PARAM_OF = Map.of("features", "featuresCol", "labels", "labelCol",
            "invalid-rows", "handleInvalid");
    /** Where the two front doors differ on purpose: Spark ML's conventional column names. */
    private static final Set<String> OWN_DEFAULTS = Set.of("features", "labels");

    /** The train job's options that are run settings, by key, with their defaults as text. */
    static Map<String, String> jobSettings() {
        Map<String, String> settings = new TreeMap<>();
        for (OptionSpec o : CommandSpec.forAnnotatedObject(new TrainJob()).options()) {
            String key = o.longestName().replaceFirst("^-+", "");
            if (!JOB_ONLY.contains(key)) {
                settings.put(key, o.defaultValue());
            }
        }
        return settings;
    }

    static String paramName(String key) {
        if (PARAM_OF.containsKey(key)) {
            return PARAM_OF.get(key);
        }
        String[] words = key.split("-");
        return words[0] + Arrays.stream(words).skip(1)
                .map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1)).collect(Collectors.joining());
    }

    /** A default as the job writes it: numbers by value, lists comma-separated, names in lower case. */
    static String normal(Object value) {
        if (value == null) {
            return "none";
        }
        if (value instanceof int[] a) {
            return Arrays.stream(a).mapToObj(String::valueOf).collect(Collectors.joining(","));
        }
        String text = value.toString().trim().toLowerCase(java.util.Locale.ROOT);
        try {
            double d = Double.parseDouble(text);
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
        } catch (NumberFormatException e) {
            return text;
        }
    }

    @Test
    void everyTrainingSettingOfTheJobIsAParamOfTheEstimatorWithTheSameDefault() {
        MixtureDensityRegressor regressor = new MixtureDensityRegressor();
        List<String> disagreements = new ArrayList<>();
        for (Map.Entry<String, String> e : jobSettings().entrySet()) {
            String name = paramName(e.getKey());
            if (!regressor.hasParam(name)) {
                disagreements.add("--" + e.getKey() + " has no Param " + name);
                continue;
            }
            Param<Object> param = regressor.getParam(name);
            Object mlDefault = regressor.getDefault(param).get();
            if (!OWN_DEFAULTS.contains(e.getKey()) && !normal(e.getValue()).equals(normal(mlDefault))) {
                disagreements.add("--" + e.getKey() + " defaults to " + e.getValue() + ", Param " + name + " to "
                        + normal(mlDefault));
            }
        }
        assertEquals(List.of(), disagreements);
        assertEquals("true", normal(regressor.getDefault(regressor.getParam("earlyStopping")).get()),
                "early stopping is on by default, as the job's --no-early-stopping is off");
    }

    @Test
    void everyParamOfTheEstimatorIsASettingOfTheJob() {
        Set<String> params = jobSettings().keySet().stream().map(SettingsAgreementTest::paramName)
                .collect(Collectors.toSet());
        List<String> extra = Arrays.stream(new MixtureDensityRegressor().params()).map(Param::name)
                .filter(n -> !params.contains(n) && !ML_ONLY.contains(n)).sorted().toList();
        assertEquals(List.of(), extra, "Params without a train option");
    }

    @Test
    void theRunDescriptionRecordsOnlySettingsTheJobHas() {
        Set<String> keys = jobSettings().keySet();
        List<String> unknown = RunDescription.FIXED.stream().map(RunDescription.Setting::key)
                .filter(k -> !keys.contains(k) && !JOB_ONLY.contains(k)).toList();
        assertEquals(List.of(), unknown);
        assertTrue(RunDescription.FIXED.stream().anyMatch(s -> s.key().equals("batch-size")));
    }

    @Test
    void theShippedConfigurationAndTheDocsGiveTheBuiltInDefaults() throws IOException {
        Map<String, String> settings = jobSettings();
        Properties conf = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("conf/spark-mdn.properties"))) {
            conf.load(in);
        }
        List<String> disagreements = new ArrayList<>();
        for (String key : conf.stringPropertyNames()) {
            if (settings.containsKey(key) && !normal(conf.getProperty(key)).equals(normal(settings.get(key)))) {
                disagreements.add("conf " + key + " = " + conf.getProperty(key) + ", built in " + settings.get(key));
            }
        }
        // the table of network options in docs/model.md: | `key` | meaning | default |
        String readme = Files.readString(Path.of("docs/model.md"));
        int table = readme.indexOf("Options (`MdnOptions`");
        assertTrue(table > 0, "the table of network options in docs/model.md");
        Matcher row = Pattern.compile("(?m)^\\| `([a-z-]+)` \\| [^\\n]*\\| ([^|\\n]+) \\|$")
                .matcher(readme.substring(table, readme.indexOf("\n## ", table)));
        int checked = 0;
        while (row.find()) {
            String key = row.group(1);
            if (settings.containsKey(key) && settings.get(key) != null) {
                checked++;
                if (!normal(row.group(2)).equals(normal(settings.get(key)))) {
                    disagreements.add("docs/model.md " + key + " = " + row.group(2).trim() + ", built in "
                            + settings.get(key));
                }
            }
        }
        assertEquals(List.of(), disagreements);
        assertFalse(checked < 5, "the defaults table of docs/model.md was found (" + checked + " rows)");
    }
}
