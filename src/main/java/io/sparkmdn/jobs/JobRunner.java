package io.sparkmdn.jobs;

import io.sparkmdn.nn.NativeBinary;
import io.sparkmdn.util.Names;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * Runs a job command and states, in one place, where configuration comes from: a command-line option wins,
 * then the key of the same name in the configuration file, then the option's built-in default.
 *
 * <p>The configuration file is named by {@code --config FILE}, else by the environment variable
 * {@value #CONFIG_ENV}; with neither, built-in defaults apply. Its keys are long option names without the
 * dashes ({@code batch-size = 256}), or scoped to one job ({@code train.seed = 7}); an unknown key is an error.
 * Errors a user can fix (bad values, missing columns, existing outputs) are printed as one line, without a
 * stack trace, and exit with status 2; other failures exit with 1.
 */
public final class JobRunner {

    /** Environment variable naming the configuration file when {@code --config} is not given. */
    public static final String CONFIG_ENV = "SPARK_MDN_CONFIG";
    static final String CONFIG_OPTION = "--config";

    /** What every job's exit status means, as its {@code --help} lists it. */
    static final Map<String, String> EXIT_CODES = exitCodes();

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "done");
        codes.put("1", "an unexpected failure (its stack trace is printed)");
        codes.put("2", "a problem to fix, named in one line: a bad option or value, bad input, an output that "
                + "exists or overlaps an input, a checkpoint that cannot be resumed");
        codes.put("3", "evaluate --fail-if: a threshold was crossed (named in one line; the metrics are written)");
        return codes;
    }

    private JobRunner() {
    }

    /** Parses {@code args} into {@code command}, runs it and returns the exit status. */
    public static int run(Object command, String[] args) {
        NativeBinary.select(); // before anything loads ND4J
        CommandLine cli;
        try {
            cli = commandLine(command, args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                cmd.getErr().println(cmd.getColorScheme().errorText("error: " + e.getMessage()));
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** The command line for {@code command}, with defaults from the configuration file {@code args} names. */
    static CommandLine commandLine(Object command, String[] args) {
        CommandLine cli = new CommandLine(command);
        cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(EXIT_CODES);
        Path path = configPath(args);
        Properties config = loadConfig(path);
        cli.setDefaultValueProvider(ConfigDefaults.of(config, path, cli.getCommandSpec()));
        return cli;
    }

    /** The jobs whose options a configuration file may set: a key that none of them has is an error. */
    static final List<Class<?>> JOBS = List.of(GenerateJob.class, TrainJob.class, ParamsJob.class, SampleJob.class,
            ScoreJob.class, EvaluateJob.class, CalibrateJob.class, ReportJob.class, ModelJob.class);

    /** Each job's name and the keys it takes (long option names without the dashes). */
    static Map<String, Set<String>> jobKeys() {
        Map<String, Set<String>> keys = new TreeMap<>();
        for (Class<?> job : JOBS) {
            CommandLine.Model.CommandSpec spec = CommandLine.Model.CommandSpec.forAnnotatedObject(job);
            keys.put(spec.name(), keys(spec));
        }
        return keys;
    }

    private static Set<String> keys(CommandLine.Model.CommandSpec spec) {
        Set<String> keys = new TreeSet<>();
        for (OptionSpec option : spec.options()) {
            keys.add(option.longestName().replaceFirst("^-+", ""));
        }
        return keys;
    }

    static Path configPath(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(CONFIG_OPTION) && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith(CONFIG_OPTION + "=")) {
                return Path.of(args[i].substring(CONFIG_OPTION.length() + 1));
            }
        }
        String env = System.getenv(CONFIG_ENV);
        return env == null || env.isBlank() ? null : Path.of(env);
    }

    private static Properties loadConfig(Path path) {
        Properties props = new Properties();
        if (path == null) {
            return props;
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("Configuration file not found: " + path);
        }
        try (Reader in = Files.newBufferedReader(path)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read configuration file " + path, e);
        }
        return props;
    }

    /**
     * Default values from the configuration file. A key is a long option name without the dashes
     * ({@code batch-size}), for every job that has that option, or scoped to one job ({@code train.seed}), which
     * wins over the unscoped key for that job. A key no job has, or a scoped key its job does not have, is an
     * error naming the nearest key there is.
     */
    private record ConfigDefaults(Map<String, String> values) implements IDefaultValueProvider {

        static ConfigDefaults of(Properties config, Path file, CommandLine.Model.CommandSpec command) {
            if (config.isEmpty()) {
                return new ConfigDefaults(Map.of());
            }
            Map<String, Set<String>> jobs = jobKeys();
            jobs.merge(command.name(), keys(command), (a, b) -> {
                Set<String> all = new TreeSet<>(a);
                all.addAll(b);
                return all;
            });
            Set<String> anyJob = new TreeSet<>();
            jobs.values().forEach(anyJob::addAll);
            Map<String, String> mine = new TreeMap<>();
            Map<String, String> scoped = new TreeMap<>();
            for (String key : config.stringPropertyNames()) {
                String value = config.getProperty(key).trim();
                int dot = key.indexOf('.');
                String job = dot < 0 ? null : key.substring(0, dot);
                String name = dot < 0 ? key : key.substring(dot + 1);
                if (job == null) {
                    checkKnown(key, anyJob, "any job", file);
                    mine.put(name, value);
                } else {
                    if (!jobs.containsKey(job)) {
                        throw new IllegalArgumentException("Unknown job '" + job + "' in configuration key '" + key
                                + "' of " + file + " (jobs: " + String.join(", ", jobs.keySet()) + ")");
                    }
                    if (!jobs.get(job).contains(name)) {
                        List<String> owners = jobs.entrySet().stream().filter(e -> e.getValue().contains(name))
                                .map(Map.Entry::getKey).toList();
                        if (!owners.isEmpty()) {
                            throw new IllegalArgumentException("Configuration key '" + key + "' of " + file
                                    + ": job " + job + " has no option '" + name + "' (" + String.join(", ", owners)
                                    + (owners.size() == 1 ? " has" : " have") + " it)");
                        }
                    }
                    checkKnown(name, jobs.get(job), "job " + job, file);
                    if (job.equals(command.name())) {
                        scoped.put(name, value);
                    }
                }
            }
            mine.putAll(scoped);
            return new ConfigDefaults(mine);
        }

        private static void checkKnown(String key, Set<String> known, String where, Path file) {
            if (!known.contains(key)) {
                String nearest = Names.nearest(key, known);
                throw new IllegalArgumentException("Unknown configuration key '" + key + "' in " + file
                        + ": no option of " + where + " has that name"
                        + (nearest == null ? "" : "; did you mean '" + nearest + "'?"));
            }
        }

        @Override
        public String defaultValue(ArgSpec arg) {
            return arg instanceof OptionSpec option ? values.get(option.longestName().replaceFirst("^-+", "")) : null;
        }
    }
}
